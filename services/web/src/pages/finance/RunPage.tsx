import { Text } from '@gravity-ui/uikit';
import { useParams } from 'react-router';
import { $settlement, type SettlementSchemas } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { Money } from '../../components/Money';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDate, formatDateTime, plural } from '../../format/date';
import { BatchPanel } from './BatchPanel';
import { FinancePage, periodName, RUN_STATUS, Status } from './finance';

type Row = Record<string, unknown>;
const text = (value: unknown) => (value === null || value === undefined || value === '' ? '—' : String(value));
const money = (value: unknown) => <Money amount={typeof value === 'string' ? value : null} />;

/** One run: its progress, compensation per provider and service, state-assignment volumes and what was carried over. */
export function RunPage() {
  const { id = '' } = useParams();
  const run = $settlement.useQuery('get', '/v1/runs/{id}', { params: { path: { id } } }, { refetchInterval: (q) => (q.state.data && q.state.data.status !== 'completed' ? 1000 : false) });
  const completed = run.data?.status === 'completed';
  const report = $settlement.useQuery('get', '/v1/runs/{id}/report', { params: { path: { id }, query: { format: 'json' } } }, { enabled: completed });
  const carried = $settlement.useQuery('get', '/v1/runs/{id}/carryovers', { params: { path: { id } } }, { enabled: completed });
  const title = run.data ? `Расчёт за ${periodName(run.data.period)}` : 'Расчёт';
  // Asked for as JSON; the contract also lists the CSV and XLSX bodies of the same endpoint.
  const reportData = report.data as SettlementSchemas['Report'] | undefined;
  const rows = (reportData?.rows ?? []) as Row[];
  const names = new Map(rows.map((r) => [String(r.provider_id), text(r.provider_name)]));
  const stateRows = rows.filter((r) => r.funding_mode === 'госзадание');
  const totals = run.data?.totals;

  return (
    <FinancePage title={title}>
      <PageState loading={run.isPending} error={run.error} retry={() => void run.refetch()}>
        {run.data && totals ? (
          <>
            <div role="status" aria-live="polite" className="row">
              <Text>Состояние:</Text>
              <Status tone={RUN_STATUS[run.data.status]?.tone}>{RUN_STATUS[run.data.status]?.text ?? run.data.status}</Status>
              {!completed ? <Text color="secondary">Страница обновится сама, когда расчёт завершится.</Text> : null}
            </div>
            <Definitions
              items={[
                { term: 'Регион', value: run.data.region_code },
                { term: 'Начат', value: formatDateTime(run.data.created_at) },
                { term: 'Завершён', value: run.data.completed_at ? formatDateTime(run.data.completed_at) : '—' },
                { term: 'Поставщиков', value: String(totals.providers) },
                { term: 'Актов (списаний)', value: String(totals.redemptions) },
                { term: 'Стоимость по нормативу', value: <Money amount={totals.gross_amount} /> },
                { term: 'Плата получателей', value: <Money amount={totals.fee_amount} /> },
                { term: 'К компенсации', value: <Money amount={totals.compensation_amount} /> },
                { term: 'Перенесено на следующий период', value: <>{`${totals.carried_redemptions} ${plural(totals.carried_redemptions, 'акт', 'акта', 'актов')} на `}<Money amount={totals.carried_amount} /></> },
                totals.held_redemptions > 0
                  ? {
                      term: 'Из них задержано до проверки (поставщик приостановлен или исключён)',
                      value: <>{`${totals.held_redemptions} ${plural(totals.held_redemptions, 'акт', 'акта', 'актов')} на `}<Money amount={totals.held_amount} /></>,
                    }
                  : null,
              ]}
            />
            {run.data.last_error ? <Text color="danger">Последняя ошибка выполнения: {run.data.last_error}</Text> : null}
            {completed ? (
              <Text as="p">
                <RouterLink to={`/finance/reports?run=${run.data.id}`}>Отчёт за {periodName(run.data.period)} с выгрузкой CSV и XLSX</RouterLink>
              </Text>
            ) : null}
          </>
        ) : null}
      </PageState>
      {completed ? (
        <>
          <section aria-labelledby="lines-title" className="stack">
            <Text as="h2" variant="header-1" id="lines-title">
              Компенсация по поставщикам и услугам
            </Text>
            <PageState loading={report.isPending} error={report.error} retry={() => void report.refetch()}>
              {rows.length > 0 ? (
                <ScrollTable caption="Компенсация по поставщикам и услугам: стоимость, плата получателей и к компенсации" captionHidden>
                  <thead>
                    <tr>
                      <th scope="col">Поставщик</th>
                      <th scope="col">Финансирование</th>
                      <th scope="col">Программа</th>
                      <th scope="col">Услуга</th>
                      <th scope="col" className="num">
                        Единиц
                      </th>
                      <th scope="col" className="num">
                        Стоимость
                      </th>
                      <th scope="col" className="num">
                        Плата получателей
                      </th>
                      <th scope="col" className="num">
                        К компенсации
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r, i) => (
                      <tr key={i}>
                        <th scope="row">
                          {text(r.provider_name)}
                          <br />
                          <span className="muted">ИНН {text(r.inn)}</span>
                        </th>
                        <td>{text(r.funding_mode)}</td>
                        <td>{text(r.programme)}</td>
                        <td>{text(r.service)}</td>
                        <td className="num">{text(r.units)}</td>
                        <td className="num">{money(r.gross_amount)}</td>
                        <td className="num">{money(r.fee_amount)}</td>
                        <td className="num">{money(r.amount)}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row" colSpan={4}>
                        Итого
                      </th>
                      <td className="num">{text(reportData?.totals.units)}</td>
                      <td className="num">{money(reportData?.totals.gross_amount)}</td>
                      <td className="num">{money(reportData?.totals.fee_amount)}</td>
                      <td className="num">{money(reportData?.totals.amount)}</td>
                    </tr>
                  </tfoot>
                </ScrollTable>
              ) : (
                <EmptyState title="В этом расчёте нет начислений">За период не было подтверждённых услуг, которые ещё не рассчитаны.</EmptyState>
              )}
            </PageState>
          </section>
          <section aria-labelledby="assignment-title" className="stack">
            <Text as="h2" variant="header-1" id="assignment-title">
              Объёмы по государственному заданию
            </Text>
            {stateRows.length > 0 ? (
              <ScrollTable caption="Оказанные объёмы поставщиков госзадания против задания" captionHidden>
                <thead>
                  <tr>
                    <th scope="col">Поставщик</th>
                    <th scope="col">Услуга</th>
                    <th scope="col" className="num">
                      Оказано
                    </th>
                    <th scope="col" className="num">
                      Задание
                    </th>
                    <th scope="col">Исполнение</th>
                  </tr>
                </thead>
                <tbody>
                  {stateRows.map((r, i) => (
                    <tr key={i}>
                      <th scope="row">{text(r.provider_name)}</th>
                      <td>{text(r.service)}</td>
                      <td className="num">{text(r.units)}</td>
                      <td className="num">{text(r.assigned_units)}</td>
                      <td>{assignmentText(r.units, r.assigned_units)}</td>
                    </tr>
                  ))}
                </tbody>
              </ScrollTable>
            ) : (
              <EmptyState title="Поставщиков госзадания в расчёте нет">Учреждения, работающие по госзаданию, не получают компенсацию; их объёмы сверяются с заданием здесь.</EmptyState>
            )}
          </section>
          <section aria-labelledby="carried-title" className="stack">
            <Text as="h2" variant="header-1" id="carried-title">
              Перенесено на следующий период
            </Text>
            <PageState loading={carried.isPending} error={carried.error} retry={() => void carried.refetch()}>
              {carried.data && carried.data.items.length > 0 ? (
                <ScrollTable caption="Акты, перенесённые на следующий период, с причиной" captionHidden>
                  <thead>
                    <tr>
                      <th scope="col">Поставщик</th>
                      <th scope="col">Программа</th>
                      <th scope="col">Услуга</th>
                      <th scope="col">Дата оказания</th>
                      <th scope="col" className="num">
                        Сумма
                      </th>
                      <th scope="col">Причина</th>
                    </tr>
                  </thead>
                  <tbody>
                    {carried.data.items.map((c) => (
                      <tr key={c.redemption_id}>
                        <th scope="row">{c.provider_name ?? names.get(c.provider_id) ?? c.provider_id}</th>
                        <td>{c.budget_programme_code}</td>
                        <td>{c.service_code}</td>
                        <td>{formatDate(c.delivered_on)}</td>
                        <td className="num">
                          <Money amount={c.amount} />
                        </td>
                        <td>{c.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </ScrollTable>
              ) : (
                <EmptyState title="Ничего не перенесено">Всё начисленное за период поместилось в лимиты выплат.</EmptyState>
              )}
            </PageState>
          </section>
          {run.data ? <BatchPanel run={run.data} /> : null}
        </>
      ) : null}
    </FinancePage>
  );
}

function assignmentText(units: unknown, assigned: unknown): string {
  if (assigned === null || assigned === undefined) return 'задание не установлено';
  const done = Number(units);
  const plan = Number(assigned);
  if (done === plan) return 'выполнено точно';
  return done > plan ? `сверх задания на ${done - plan}` : `недовыполнено на ${plan - done}`;
}
