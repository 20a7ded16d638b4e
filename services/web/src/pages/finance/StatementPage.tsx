import { Alert, Text } from '@gravity-ui/uikit';
import { useLocation, useParams } from 'react-router';
import { $settlement } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { Money } from '../../components/Money';
import { EmptyState, PageState } from '../../components/PageState';
import { RouterLink } from '../../components/RouterLink';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDate, formatDateTime } from '../../format/date';
import { FinancePage, Status } from './finance';
import { FORMAT, MATCH, OUTCOME, RESOLUTION, type StatementLine } from './statements';

/** The match report of one statement: every line is paid, returned with the bank's reason, or a discrepancy. */
export function StatementPage() {
  const { id = '' } = useParams();
  const again = (useLocation().state as { again?: boolean } | null)?.again === true;
  const statement = $settlement.useQuery('get', '/v1/statements/{id}', { params: { path: { id } } }, { refetchInterval: (q) => (q.state.data?.status === 'posting' ? 1000 : false) });
  const s = statement.data;
  const of = (outcome: StatementLine['outcome']) => (s?.lines ?? []).filter((l) => l.outcome === outcome);
  const paid = of('paid');
  const returned = of('returned');
  const discrepancies = of('discrepancy');
  const open = discrepancies.filter((l) => !l.resolution).length;
  return (
    <FinancePage title={s ? `Выписка ${s.file_name ?? s.statement_ref ?? ''}`.trim() : 'Выписка'}>
      <PageState loading={statement.isPending} error={statement.error} retry={() => void statement.refetch()}>
        {s ? (
          <>
            {again ? (
              <Alert
                theme="info"
                title="Эта выписка уже была загружена"
                message={`Она загружена ${formatDateTime(s.imported_at)}; показан тот импорт, повторная загрузка ничего не изменила.`}
              />
            ) : null}
            <Definitions
              items={[
                { term: 'Формат', value: FORMAT[s.format] },
                { term: 'Счёт', value: s.account },
                { term: 'Период выписки', value: s.date_from ? `${formatDate(s.date_from)} — ${s.date_to ? formatDate(s.date_to) : '…'}` : '—' },
                { term: 'Загружена', value: formatDateTime(s.imported_at) },
                { term: 'Проводки в учёте', value: s.status === 'posted' ? 'сделаны' : 'выполняются' },
              ]}
            />
            <div role="status" className="stack" style={{ gap: 4 }}>
              <Text variant="subheader-2">
                Строк в выписке: {s.lines.length}. Исполнено: {paid.length}. Возвращено банком: {returned.length}. Расхождений: {discrepancies.length}
                {discrepancies.length ? `, из них не разобрано: ${open}` : ''}.
              </Text>
              {open > 0 ? (
                <Text>
                  Расхождения разбирает сотрудник: <RouterLink to="/finance/discrepancies">перейти к очереди расхождений</RouterLink>.
                </Text>
              ) : null}
            </div>
            <LinesSection id="paid" title="Исполненные платежи" lines={paid} empty="В выписке нет исполненных платежей по реестрам." />
            <LinesSection id="returned" title="Возвращено банком" lines={returned} empty="Банк ничего не вернул." showReason />
            <LinesSection id="discrepancies" title="Расхождения" lines={discrepancies} empty="Все строки выписки сопоставлены с выплатами." showDiscrepancy />
          </>
        ) : null}
      </PageState>
    </FinancePage>
  );
}

function LinesSection({ id, title, lines, empty, showReason, showDiscrepancy }: { id: string; title: string; lines: StatementLine[]; empty: string; showReason?: boolean; showDiscrepancy?: boolean }) {
  const headingId = `lines-${id}`;
  return (
    <section aria-labelledby={headingId} className="stack">
      <Text as="h2" variant="header-1" id={headingId}>
        {title}
      </Text>
      {lines.length > 0 ? (
        <ScrollTable caption={`${title}: строки выписки`} captionHidden>
          <thead>
            <tr>
              <th scope="col">№</th>
              <th scope="col">Контрагент</th>
              <th scope="col" className="num">
                Сумма
              </th>
              <th scope="col">Дата</th>
              <th scope="col">Ссылка платежа</th>
              <th scope="col">{showDiscrepancy ? 'Почему не сопоставлено' : showReason ? 'Причина возврата (банк)' : 'Сопоставлено'}</th>
              {showDiscrepancy ? <th scope="col">Решение</th> : null}
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.id}>
                <td>{l.number}</td>
                <th scope="row">
                  {l.counterparty_name ?? '—'}
                  {l.counterparty_inn ? (
                    <>
                      <br />
                      <span className="muted">ИНН {l.counterparty_inn}</span>
                    </>
                  ) : null}
                </th>
                <td className="num">
                  {l.direction === 'credit' ? 'поступление ' : 'списание '}
                  <Money amount={l.amount} />
                </td>
                <td>{l.booked_on ? formatDate(l.booked_on) : '—'}</td>
                <td>{l.reference ?? '—'}</td>
                <td>{showDiscrepancy ? (l.discrepancy_reason ?? '—') : showReason ? (l.bank_reason ?? '—') : l.match_method ? MATCH[l.match_method] : '—'}</td>
                {showDiscrepancy ? (
                  <td>
                    {l.resolution ? (
                      <>
                        <Status tone="success">{RESOLUTION[l.resolution]}</Status>
                        {l.resolution_note ? <div>Примечание: {l.resolution_note}</div> : null}
                      </>
                    ) : (
                      <Status tone={OUTCOME.discrepancy.tone}>Не разобрано</Status>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      ) : (
        <EmptyState title={empty} />
      )}
    </section>
  );
}
