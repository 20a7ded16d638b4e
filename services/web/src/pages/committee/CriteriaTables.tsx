import type { RegistrySchemas } from '../../api/client';
import { ScrollTable } from '../../components/ScrollTable';
import { criterionSource, RESULT_LABELS } from './labels';
import { Status } from './ui';

type CriterionResult = RegistrySchemas['CriterionResult'];
type Decision = RegistrySchemas['Decision'];

const points = (value: string | null | undefined) => (value == null ? '—' : value.replace('.', ','));

/** The automatic formal checks: each result in words, what it was read from, and what to fix. */
export function FormalChecks({ results, caption }: { results: CriterionResult[]; caption: string }) {
  return (
    <ScrollTable caption={caption}>
      <thead>
        <tr>
          <th scope="col">Требование</th>
          <th scope="col">Результат</th>
          <th scope="col">Что проверено</th>
          <th scope="col">Источник сведений</th>
        </tr>
      </thead>
      <tbody>
        {results.map((c) => (
          <tr key={c.code}>
            <td>{c.name}</td>
            <td>
              <Status tone={c.result === 'fail' ? 'danger' : 'success'}>{RESULT_LABELS[c.result] ?? c.result}</Status>
            </td>
            <td className="overflow-safe">
              {c.detail}
              {c.what_to_fix ? <div className="muted">Что исправить: {c.what_to_fix}</div> : null}
              {c.comment ? <div>Комиссия: {c.comment}</div> : null}
            </td>
            <td>{criterionSource(c.code, c.kind)}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

/** A decision's scoring matrix: points, weight, weighted points and the committee's reason per criterion, and the total against the threshold. */
export function DecisionMatrix({ decision, caption }: { decision: Decision; caption: string }) {
  const scored = decision.criteria.filter((c) => c.kind !== 'formal');
  return (
    <ScrollTable caption={caption}>
      <thead>
        <tr>
          <th scope="col">Критерий</th>
          <th scope="col" className="num">
            Баллы
          </th>
          <th scope="col" className="num">
            Вес
          </th>
          <th scope="col" className="num">
            С учётом веса
          </th>
          <th scope="col">Обоснование</th>
          <th scope="col">Кто оценил</th>
        </tr>
      </thead>
      <tbody>
        {scored.map((c) => (
          <tr key={c.code}>
            <td>{c.name}</td>
            <td className="num">{c.points ?? '—'}</td>
            <td className="num">{points(c.weight)}</td>
            <td className="num">{points(c.weighted_points)}</td>
            <td className="overflow-safe">
              {c.comment ? <div>{c.comment}</div> : null}
              <div className={c.comment ? 'muted' : undefined}>{c.detail}</div>
            </td>
            <td>{criterionSource(c.code, c.kind)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Итого</th>
          <td />
          <td />
          <td className="num">{points(decision.total_points)}</td>
          <td colSpan={2}>Проходной балл: {points(decision.threshold)}</td>
        </tr>
      </tfoot>
    </ScrollTable>
  );
}
