import { useMemo, useState } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Button, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { z } from 'zod/mini';
import { $registry, type RegistrySchemas } from '../../api/client';
import { toProblem } from '../../api/problem';
import { FormTextField } from '../../components/FormTextField';
import { ScrollTable } from '../../components/ScrollTable';
import { ErrorSummary, type SummaryItem } from '../../forms/ErrorSummary';
import { applyProblem } from '../../forms/server-errors';
import { summaryOfErrors } from './forms';
import { criterionSource } from './labels';

type Round = RegistrySchemas['Round'];
type Application = RegistrySchemas['Application'];

interface Values {
  scores: Record<string, string>;
  comments: Record<string, string>;
  reason: string;
}

function schemaFor(round: Round, appeal: boolean) {
  const scores: Record<string, z.ZodMiniType<string>> = {};
  const comments: Record<string, z.ZodMiniType<string>> = {};
  for (const c of round.scored_criteria) {
    if (c.source === 'committee') {
      scores[c.code] = z.string().check(
        z.trim(),
        z.refine((v) => /^\d+$/.test(v) && Number(v) <= c.max_points, `«${c.name}»: поставьте целое число баллов от 0 до ${c.max_points}`),
      );
      comments[c.code] = z.string().check(z.trim(), z.minLength(3, `«${c.name}»: обоснуйте оценку`), z.maxLength(2000, 'Обоснование — не длиннее 2000 знаков'));
    } else {
      comments[c.code] = z.string().check(z.maxLength(2000, 'Обоснование — не длиннее 2000 знаков'));
    }
  }
  return z.object({
    scores: z.object(scores),
    comments: z.object(comments),
    reason: appeal ? z.string().check(z.trim(), z.minLength(10, 'Опишите решение по апелляции (не короче 10 знаков)'), z.maxLength(4000, 'Не длиннее 4000 знаков')) : z.string(),
  });
}

const fieldId = (path: string) => `scoring-${path.replace(/\./g, '-')}`;

/**
 * The scoring matrix as a form: the committee scores its own criteria and gives a reason for each; the
 * registry's own criteria are scored when the decision is made, and may carry a reason too. On an
 * appeal the committee also states its decision's reason.
 */
export function ScoringForm({ round, application, appeal }: { round: Round; application: Application; appeal: boolean }) {
  const queryClient = useQueryClient();
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const schema = useMemo(() => schemaFor(round, appeal), [round, appeal]);
  const decide = $registry.useMutation('post', '/v1/rounds/{id}/applications/{applicationId}/decision');
  const decideAppeal = $registry.useMutation('post', '/v1/rounds/{id}/applications/{applicationId}/appeal/decision');
  const defaults: Values = {
    scores: Object.fromEntries(round.scored_criteria.filter((c) => c.source === 'committee').map((c) => [c.code, ''])),
    comments: Object.fromEntries(round.scored_criteria.map((c) => [c.code, ''])),
    reason: '',
  };
  const form = useForm<Values>({ resolver: standardSchemaResolver(schema), defaultValues: defaults, shouldFocusError: false });

  const submit = form.handleSubmit(
    async (values) => {
      setSummary([]);
      const scores = Object.fromEntries(Object.entries(values.scores).map(([code, v]) => [code, Number(v)]));
      const comments = Object.fromEntries(Object.entries(values.comments).filter(([, v]) => v.trim() !== '').map(([code, v]) => [code, v.trim()]));
      const path = { path: { id: round.id, applicationId: application.id } };
      try {
        if (appeal) await decideAppeal.mutateAsync({ params: path, body: { scores, comments, reason: values.reason.trim() } });
        else await decide.mutateAsync({ params: path, body: { scores, comments } });
        await queryClient.invalidateQueries({ predicate: (q) => typeof q.queryKey[1] === 'string' && (q.queryKey[1] as string).startsWith('/v1/') });
      } catch (error) {
        const fields = Object.fromEntries(
          round.scored_criteria.flatMap((c) => [
            [`scores.${c.code}`, { name: `scores.${c.code}` as const, id: fieldId(`scores.${c.code}`) }],
            [`comments.${c.code}`, { name: `comments.${c.code}` as const, id: fieldId(`comments.${c.code}`) }],
          ]),
        );
        setSummary(applyProblem(toProblem(error), form.setError, { ...fields, reason: { name: 'reason', id: fieldId('reason') } }));
      }
    },
    (errors) => setSummary(summaryOfErrors(errors, fieldId)),
  );

  return (
    <form onSubmit={submit} noValidate className="stack" aria-labelledby="scoring-title">
      <Text as="h2" variant="header-1" id="scoring-title">
        {appeal ? 'Решение по апелляции' : 'Оценка заявки'}
      </Text>
      <Text as="p">
        Баллы по критериям «рассчитано реестром» реестр ставит сам в момент решения по сведениям о поставщике. Итог — сумма баллов с учётом весов
        {round.sonko_preference_points !== '0' ? ` и ${round.sonko_preference_points.replace('.', ',')} балла преимущества СОНКО` : ''}; для допуска нужно не меньше{' '}
        {round.threshold.replace('.', ',')}.
      </Text>
      <ErrorSummary items={summary} />
      <ScrollTable caption="Критерии оценки: вес и максимальный балл" captionHidden>
        <thead>
          <tr>
            <th scope="col">Критерий</th>
            <th scope="col" className="num">
              Вес
            </th>
            <th scope="col" className="num">
              Максимум
            </th>
            <th scope="col">Кто оценивает</th>
          </tr>
        </thead>
        <tbody>
          {round.scored_criteria.map((c) => (
            <tr key={c.code}>
              <td>{c.name}</td>
              <td className="num">{c.weight.replace('.', ',')}</td>
              <td className="num">{c.max_points}</td>
              <td>{c.source === 'committee' ? 'Комиссия' : criterionSource(c.code, 'scored')}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <ol className="card-list">
        {round.scored_criteria.map((c) => (
          <li key={c.code} className="fieldset committee-criterion stack">
            <Text as="h3" variant="subheader-2">
              {c.name}
            </Text>
            {c.source === 'committee' ? (
              <FormTextField control={form.control} name={`scores.${c.code}`} id={fieldId(`scores.${c.code}`)} label={`Баллы: ${c.name}`} hint={`От 0 до ${c.max_points}, вес ${c.weight.replace('.', ',')}`} />
            ) : (
              <Text as="p" color="secondary">
                {criterionSource(c.code, 'scored')}, до {c.max_points} баллов.
              </Text>
            )}
            <FormTextField
              control={form.control}
              name={`comments.${c.code}`}
              id={fieldId(`comments.${c.code}`)}
              label={`Обоснование: ${c.name}`}
              hint={c.source === 'committee' ? 'Почему столько баллов: на какие сведения и документы опирается оценка' : 'Необязательно'}
              multiline
            />
          </li>
        ))}
      </ol>
      {appeal ? (
        <FormTextField control={form.control} name="reason" id={fieldId('reason')} label="Решение комиссии по апелляции" hint="Поставщик увидит это обоснование вместе с итогом" multiline />
      ) : null}
      <div className="row">
        <Button type="submit" view="action" size="l" loading={form.formState.isSubmitting}>
          {appeal ? 'Принять решение по апелляции' : 'Принять решение'}
        </Button>
      </div>
    </form>
  );
}
