import { Text } from '@gravity-ui/uikit';
import { $certificates, $settlement, type CertificatesSchemas, type SettlementSchemas } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { Money } from '../../components/Money';
import { EmptyState, PageState } from '../../components/PageState';
import { ScrollTable } from '../../components/ScrollTable';
import { formatMoney } from '../../format/money';
import { FinancePage, periodName, Status, useFinanceRegion } from './finance';
import { addMoney, sameMoney } from '../../format/amounts';

type Programme = CertificatesSchemas['BudgetProgrammeListItem'];
type Allocations = SettlementSchemas['ProgrammeAllocations'];

interface Check {
  check: string;
  /** null: the ledger could not be read, so the check cannot hold. */
  left: string | null;
  right: string | null;
}

/** Budget programmes: funded, issued to certificates, held, paid and available, per programme and period, tied to the ledger. */
export function ProgrammesPage() {
  const { regionCode } = useFinanceRegion();
  const programmes = $certificates.useQuery('get', '/v1/budget-programmes', { params: { query: { region_code: regionCode } } }, { staleTime: 0 });
  const allocations = $settlement.useQuery('get', '/v1/programmes/allocations', { params: { query: { region_code: regionCode } } }, { staleTime: 0 });
  return (
    <FinancePage
      title="Программы и распределение средств"
      lead="По каждой бюджетной программе: сколько выделено, выдано на сертификаты, заблокировано под неподтверждённые акты, оплачено поставщикам и сколько доступно — и сверка этих сумм со счетами учёта (ledger)."
    >
      <PageState
        loading={programmes.isPending || allocations.isPending}
        error={programmes.error ?? allocations.error}
        retry={() => {
          void programmes.refetch();
          void allocations.refetch();
        }}
      >
        {programmes.data && programmes.data.items.length > 0 && allocations.data ? (
          programmes.data.items.map((p) => <ProgrammeCard key={p.id} programme={p} allocations={allocations.data} />)
        ) : (
          <EmptyState title="Бюджетных программ нет">Программы заводит финансовый орган региона.</EmptyState>
        )}
      </PageState>
    </FinancePage>
  );
}

function ProgrammeCard({ programme: p, allocations }: { programme: Programme; allocations: Allocations }) {
  const headingId = `programme-${p.id}`;
  const received = allocations.programmes.find((a) => a.budget_programme_id === p.id) ?? { redeemed: '0.00', settled: '0.00', waiting: '0.00' };
  const periods = allocations.periods.filter((a) => a.budget_programme_id === p.id);
  const checks: Check[] = [
    { check: 'Доступно (выделено − выдано) = остаток счёта программы в учёте', left: p.available, right: p.ledger_balance },
    { check: 'Оплачено по сертификатам = принято к расчёту с поставщиками', left: p.redeemed, right: received.redeemed },
    { check: 'Принято к расчёту = рассчитано в периодах + ждёт расчёта', left: received.redeemed, right: addMoney(received.settled, received.waiting) },
  ];
  const allOk = checks.every((c) => c.left !== null && c.right !== null && sameMoney(c.left, c.right));
  return (
    <section aria-labelledby={headingId} className="stack finance-form">
      <Text as="h2" variant="header-1" id={headingId}>
        {p.code} — {p.name}
      </Text>
      <Definitions
        items={[
          { term: 'Выделено', value: <Money amount={p.funded} /> },
          { term: 'Выдано на сертификаты', value: <Money amount={p.committed} /> },
          { term: 'Заблокировано под неподтверждённые акты', value: <Money amount={p.held} /> },
          { term: 'Оплачено поставщикам по подтверждённым актам', value: <Money amount={p.redeemed} /> },
          { term: 'Доступно для новых сертификатов', value: <Money amount={p.available} /> },
        ]}
      />
      <Text as="h3" variant="subheader-3">
        Сверка с учётом
      </Text>
      <Text as="p">
        <Status tone={allOk ? 'success' : 'danger'}>{allOk ? 'Всё совпадает' : 'Есть расхождения'}</Status>
        {allOk ? null : ' Только что подтверждённые акты доходят до расчётов за несколько секунд; если расхождение не уходит, сообщите в техподдержку.'}
      </Text>
      <ScrollTable caption={`Сверка программы ${p.code} с учётом`} captionHidden>
        <thead>
          <tr>
            <th scope="col">Проверка</th>
            <th scope="col" className="num">
              Слева
            </th>
            <th scope="col" className="num">
              Справа
            </th>
            <th scope="col">Итог</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((c) => (
            <tr key={c.check}>
              <th scope="row">{c.check}</th>
              <td className="num">{c.left === null ? 'учёт недоступен' : formatMoney(c.left)}</td>
              <td className="num">{c.right === null ? 'учёт недоступен' : formatMoney(c.right)}</td>
              <td>{c.left === null || c.right === null ? 'не проверено' : sameMoney(c.left, c.right) ? 'совпадает' : 'НЕ совпадает'}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <Text as="h3" variant="subheader-3">
        По периодам расчёта
      </Text>
      {periods.length > 0 ? (
        <ScrollTable caption={`Программа ${p.code} по периодам расчёта`} captionHidden>
          <thead>
            <tr>
              <th scope="col">Период</th>
              <th scope="col" className="num">
                Рассчитано к компенсации
              </th>
              <th scope="col" className="num">
                Перенесено
              </th>
              <th scope="col" className="num">
                В банке
              </th>
              <th scope="col" className="num">
                Исполнено банком
              </th>
              <th scope="col" className="num">
                Возвращено банком
              </th>
            </tr>
          </thead>
          <tbody>
            {periods.map((a) => (
              <tr key={a.period}>
                <th scope="row">{periodName(a.period)}</th>
                <td className="num">
                  <Money amount={a.settled} />
                </td>
                <td className="num">
                  <Money amount={a.carried} />
                </td>
                <td className="num">
                  <Money amount={a.in_transit} />
                </td>
                <td className="num">
                  <Money amount={a.paid} />
                </td>
                <td className="num">
                  <Money amount={a.returned} />
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      ) : (
        <EmptyState title="Расчётов по программе ещё не было" />
      )}
      {received.waiting !== '0.00' ? (
        <Text as="p">
          Ждёт расчёта: <Money amount={received.waiting} />.
        </Text>
      ) : null}
    </section>
  );
}
