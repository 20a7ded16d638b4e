import { useEffect, useState } from 'react';
import { Alert, Button, Link, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { $settlement, type SettlementSchemas } from '../../api/client';
import { toProblem } from '../../api/problem';
import { Definitions } from '../../components/Definitions';
import { Money } from '../../components/Money';
import { EmptyState, PageState, ProblemAlert } from '../../components/PageState';
import { ScrollTable } from '../../components/ScrollTable';
import { formatDateTime } from '../../format/date';
import { useSession } from '../../session/SessionProvider';
import { periodName, refreshSettlement, Status, useFinanceRegion, type Tone } from './finance';

type Run = SettlementSchemas['Run'];
type Batch = SettlementSchemas['Batch'];

const BATCH_STATUS: Record<Batch['status'], { text: string; tone: Tone }> = {
  draft: { text: 'Сформирован, ждёт утверждения', tone: 'warning' },
  approving: { text: 'Утверждён, проводится в учёте', tone: 'info' },
  approved: { text: 'Утверждён', tone: 'success' },
};

const PAYOUT_STATUS: Record<SettlementSchemas['Payout']['status'], { text: string; tone: Tone }> = {
  pending: { text: 'Ждёт утверждения', tone: 'warning' },
  in_transit: { text: 'Отправлена в банк', tone: 'info' },
  paid: { text: 'Исполнена банком', tone: 'success' },
  returned: { text: 'Возвращена банком', tone: 'danger' },
  withheld: { text: 'Удержана в счёт долга', tone: 'normal' },
};

const CHANGE: Record<SettlementSchemas['BatchComparison']['items'][number]['change'], string> = {
  new: 'новый получатель',
  gone: 'в этом реестре нет',
  changed: 'сумма изменилась',
  same: 'без изменений',
};

const EXPORTS = [
  { format: '1c', label: 'Файл для банка 1С (1CClientBankExchange)' },
  { format: 'pain001', label: 'ISO 20022 pain.001' },
  { format: 'csv', label: 'Таблица CSV' },
] as const;

/** The payout batch of a completed run: formed by one officer, approved by another, then downloaded for the bank. */
export function BatchPanel({ run }: { run: Run }) {
  const { canAct } = useFinanceRegion();
  const { session } = useSession();
  const queryClient = useQueryClient();
  const [actionError, setActionError] = useState<unknown>(null);
  const batch = $settlement.useQuery(
    'get',
    '/v1/runs/{id}/batch',
    { params: { path: { id: run.id } } },
    { retry: false, refetchInterval: (q) => (q.state.data?.status === 'approving' ? 1000 : false) },
  );
  const create = $settlement.useMutation('post', '/v1/runs/{id}/batch');
  const approve = $settlement.useMutation('post', '/v1/batches/{id}/approve');
  const notFormed = batch.error && toProblem(batch.error).status === 404;

  const act = async (action: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await action();
      await refreshSettlement(queryClient);
    } catch (error) {
      setActionError(error);
    }
  };

  return (
    <section aria-labelledby="batch-title" className="stack">
      <Text as="h2" variant="header-1" id="batch-title">
        Реестр выплат
      </Text>
      {actionError ? <ProblemAlert error={actionError} /> : null}
      {notFormed ? (
        <EmptyState title="Реестр выплат ещё не сформирован">
          {canAct
            ? 'Сформируйте реестр: в него войдут выплаты поставщикам по этому расчёту. Утвердить его должен другой сотрудник.'
            : 'Реестр формирует сотрудник финансового органа.'}
        </EmptyState>
      ) : (
        <PageState loading={batch.isPending} error={batch.error} retry={() => void batch.refetch()}>
          {batch.data ? <BatchDetails batch={batch.data} mine={batch.data.created_by === session?.user.id} approvedByMe={batch.data.approved_by === session?.user.id} /> : null}
        </PageState>
      )}
      {canAct && notFormed ? (
        <div className="row">
          <Button view="action" size="l" loading={create.isPending} onClick={() => void act(() => create.mutateAsync({ params: { path: { id: run.id } } }))}>
            Сформировать реестр выплат
          </Button>
        </div>
      ) : null}
      {canAct && batch.data?.status === 'draft' ? (
        batch.data.created_by === session?.user.id ? (
          <Alert
            theme="info"
            title="Утвердить реестр должен другой сотрудник"
            message="Вы сформировали этот реестр, поэтому утвердить его не можете: по правилу «четырёх глаз» выплаты утверждает второй сотрудник финансового органа. Передайте реестр коллеге."
          />
        ) : (
          <div className="row">
            <Button view="action" size="l" loading={approve.isPending} onClick={() => void act(() => approve.mutateAsync({ params: { path: { id: batch.data!.id } } }))}>
              Утвердить реестр
            </Button>
          </div>
        )
      ) : null}
    </section>
  );
}

function who(subject: string | null, me: boolean): string {
  if (!subject) return '—';
  return me ? 'вы' : 'другой сотрудник финансового органа';
}

function BatchDetails({ batch, mine, approvedByMe }: { batch: Batch; mine: boolean; approvedByMe: boolean }) {
  const payouts = $settlement.useQuery('get', '/v1/batches/{id}/payouts', { params: { path: { id: batch.id } } });
  const comparison = $settlement.useQuery('get', '/v1/batches/{id}/comparison', { params: { path: { id: batch.id } } });
  // Approval moves every payout on: read them again when the batch's state changes.
  const { refetch } = payouts;
  useEffect(() => {
    void refetch();
  }, [batch.status, refetch]);
  return (
    <div className="stack">
      <div className="row">
        <Text>Состояние реестра:</Text>
        <Status tone={BATCH_STATUS[batch.status].tone}>{BATCH_STATUS[batch.status].text}</Status>
      </div>
      <Definitions
        items={[
          { term: 'Сформировал', value: `${who(batch.created_by, mine)}, ${formatDateTime(batch.created_at)}` },
          { term: 'Утвердил', value: batch.approved_at ? `${who(batch.approved_by, approvedByMe)}, ${formatDateTime(batch.approved_at)}` : 'ещё не утверждён' },
          { term: 'Выплат', value: String(batch.payouts) },
          { term: 'Сумма реестра', value: <Money amount={batch.total} /> },
        ]}
      />
      {batch.status === 'approved' ? (
        <nav aria-label="Скачать платёжные файлы" className="stack" style={{ gap: 8 }}>
          <Text as="h3" variant="subheader-3">
            Платёжные файлы
          </Text>
          <ul className="plain-list">
            {EXPORTS.map((e) => (
              <li key={e.format}>
                <Link href={`/api/settlement/v1/batches/${batch.id}/export?format=${e.format}`} download>
                  {e.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : (
        <Text color="secondary">Платёжные файлы можно скачать после утверждения реестра вторым сотрудником.</Text>
      )}
      <nav aria-label="Сверка реестра с банком и учётом" className="stack" style={{ gap: 8 }}>
        <Text as="h3" variant="subheader-3">
          Сверка реестра
        </Text>
        <Text as="p">Что банк сделал с каждой выплатой, расхождения региона и сверка с учётом (ledger).</Text>
        <ul className="plain-list">
          <li>
            <Link href={`/api/settlement/v1/batches/${batch.id}/reconciliation?format=csv`} download>
              Сверка реестра, CSV
            </Link>
          </li>
          <li>
            <Link href={`/api/settlement/v1/batches/${batch.id}/reconciliation?format=xlsx`} download>
              Сверка реестра, XLSX
            </Link>
          </li>
        </ul>
      </nav>
      <Text as="h3" variant="subheader-3" id="comparison-title">
        Отличия от предыдущего реестра
      </Text>
      <PageState loading={comparison.isPending} error={comparison.error} retry={() => void comparison.refetch()}>
        {comparison.data ? (
          <>
            <Text as="p">
              {comparison.data.previous
                ? `Предыдущий реестр — за ${periodName(comparison.data.previous.period)}. `
                : 'Это первый реестр региона: сравнивать не с чем, все получатели новые. '}
              Было <Money amount={comparison.data.previous_total} />, стало <Money amount={comparison.data.total} />, разница <Money amount={comparison.data.difference} />.
            </Text>
            <ScrollTable caption="Выплаты по поставщикам: этот реестр против предыдущего" captionHidden>
              <thead>
                <tr>
                  <th scope="col">Поставщик</th>
                  <th scope="col" className="num">
                    Было
                  </th>
                  <th scope="col" className="num">
                    Стало
                  </th>
                  <th scope="col" className="num">
                    Разница
                  </th>
                  <th scope="col">Что изменилось</th>
                </tr>
              </thead>
              <tbody>
                {comparison.data.items.map((i) => (
                  <tr key={i.provider_id}>
                    <th scope="row">
                      {i.provider_name}
                      <br />
                      <span className="muted">ИНН {i.inn}</span>
                    </th>
                    <td className="num">
                      <Money amount={i.previous_amount} />
                    </td>
                    <td className="num">
                      <Money amount={i.amount} />
                    </td>
                    <td className="num">
                      <Money amount={i.difference} />
                    </td>
                    <td>{CHANGE[i.change]}</td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          </>
        ) : null}
      </PageState>
      <Text as="h3" variant="subheader-3">
        Выплаты реестра
      </Text>
      <PageState loading={payouts.isPending} error={payouts.error} retry={() => void payouts.refetch()}>
        {payouts.data && payouts.data.items.length > 0 ? (
          <ScrollTable caption="Выплаты реестра с реквизитами и состоянием" captionHidden>
            <thead>
              <tr>
                <th scope="col">№</th>
                <th scope="col">Получатель</th>
                <th scope="col">Счёт получателя</th>
                <th scope="col" className="num">
                  Начислено
                </th>
                <th scope="col" className="num">
                  Удержано
                </th>
                <th scope="col" className="num">
                  К выплате
                </th>
                <th scope="col">Состояние</th>
                <th scope="col">Ссылка платежа</th>
              </tr>
            </thead>
            <tbody>
              {payouts.data.items.map((p) => (
                <tr key={p.id}>
                  <td>{p.number}</td>
                  <th scope="row">
                    {p.provider_name}
                    <br />
                    <span className="muted">ИНН {p.inn}</span>
                  </th>
                  <td>
                    {p.bank_account}
                    <br />
                    <span className="muted">БИК {p.bank_bic}</span>
                  </td>
                  <td className="num">
                    <Money amount={p.earned} />
                  </td>
                  <td className="num">
                    <Money amount={p.withheld} />
                  </td>
                  <td className="num">
                    <Money amount={p.amount} />
                  </td>
                  <td>
                    <Status tone={PAYOUT_STATUS[p.status].tone}>{PAYOUT_STATUS[p.status].text}</Status>
                    {p.return_reason ? <div className="muted">Причина возврата: {p.return_reason}</div> : null}
                  </td>
                  <td>{p.reference}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        ) : (
          <EmptyState title="В реестре нет выплат">В расчёте не оказалось компенсации к выплате.</EmptyState>
        )}
      </PageState>
    </div>
  );
}
