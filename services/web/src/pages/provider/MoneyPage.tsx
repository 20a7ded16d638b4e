import { Alert, Card, Text } from '@gravity-ui/uikit';
import { $certificates, $settlement, type SettlementSchemas } from '../../api/client';
import { Definitions } from '../../components/Definitions';
import { Money } from '../../components/Money';
import { EmptyState, PageState } from '../../components/PageState';
import { formatDate, plural } from '../../format/date';
import { Status, type Tone } from '../citizen/cabinet';
import { sumAmounts } from '../../format/amounts';
import { ProviderPage, useProviderId } from './frame';

type Payout = SettlementSchemas['ProviderMoney']['payouts'][number];

const STAGE: Record<Payout['stage'], { text: string; tone: Tone }> = {
  in_batch: { text: 'В реестре на выплату, ждёт утверждения', tone: 'info' },
  sent: { text: 'Утверждена и отправлена в банк', tone: 'info' },
  paid: { text: 'Оплачена банком', tone: 'success' },
  returned: { text: 'Возвращена банком', tone: 'danger' },
  withheld: { text: 'Удержана в счёт задолженности', tone: 'warning' },
};

const monthName = new Intl.DateTimeFormat('ru-RU', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** «декабрь 2026 г.» from the API's "2026-12". */
export function formatPeriod(period: string): string {
  return monthName.format(new Date(`${period}-01T00:00:00Z`));
}

const actsText = (n: number) => `${n} ${plural(n, 'акт', 'акта', 'актов')}`;

function payoutNote(p: Payout): string {
  if (p.stage === 'paid') return `Банк провёл ${p.paid_on ? formatDate(p.paid_on) : ''}${p.bank_statement ? `, выписка ${p.bank_statement}` : ''}`;
  if (p.stage === 'returned') return `Причина банка: ${p.return_reason ?? 'не указана'}`;
  if (p.stage === 'withheld') return p.withheld_reason ?? 'Удержана';
  return p.expected_payment_on ? `Ожидаемая дата оплаты — ${formatDate(p.expected_payment_on)}` : '';
}

export function MoneyPage() {
  const providerId = useProviderId();
  const money = $settlement.useQuery('get', '/v1/providers/{id}/money', { params: { path: { id: providerId } } });
  const held = $certificates.useQuery('get', '/v1/providers/{id}/acts', { params: { path: { id: providerId }, query: { status: 'held' } } });
  const heldSum = held.data ? sumAmounts(held.data.items.map((a) => a.amount)) : null;
  const statement = (period: string, format: 'csv' | 'xlsx') => `/api/settlement/v1/providers/${providerId}/periods/${period}/statement?format=${format}`;

  return (
    <ProviderPage title="Расчёты и выплаты" lead="Путь денег за оказанные услуги: акт ждёт подтверждения получателя, подтверждённый — ежемесячного расчёта, расчёт — выплаты банком.">
      <PageState loading={money.isPending} error={money.error} retry={() => void money.refetch()}>
        {money.data ? (
          <>
            <Card className="card-pad stack" view="outlined">
              <Text as="h2" variant="subheader-3">
                До выплаты
              </Text>
              <Definitions
                items={[
                  {
                    term: 'Ждут подтверждения получателей',
                    value: held.data && heldSum ? (
                      <>
                        {actsText(held.data.items.length)} на <Money amount={heldSum} />
                      </>
                    ) : (
                      '—'
                    ),
                  },
                  {
                    term: 'Подтверждены, ждут расчёта',
                    value: (
                      <>
                        {actsText(money.data.unsettled.acts)} на <Money amount={money.data.unsettled.amount} />
                      </>
                    ),
                  },
                  // Acts all held for review have no payment date to expect: the alert below says when they are paid.
                  money.data.unsettled.expected_payment_on && money.data.held.acts < money.data.unsettled.acts
                    ? { term: 'Ожидаемая дата выплаты', value: formatDate(money.data.unsettled.expected_payment_on) }
                    : null,
                ]}
              />
              {money.data.held.acts > 0 && money.data.held.reason ? (
                <Alert
                  theme="warning"
                  title={
                    <>
                      {`Задержано до проверки: ${actsText(money.data.held.acts)} на `}
                      <Money amount={money.data.held.amount} />
                    </>
                  }
                  message={money.data.held.reason}
                />
              ) : null}
            </Card>

            <Text as="h2" variant="subheader-3">
              Выплаты
            </Text>
            {money.data.payouts.length ? (
              <ul className="card-list" aria-label="Выплаты">
                {money.data.payouts.map((p) => (
                  <li key={p.id}>
                    <Card className="card-pad stack" view="outlined">
                      <Text as="h3" variant="subheader-2">
                        Выплата за {formatPeriod(p.period)}: <Money amount={p.amount} />
                      </Text>
                      <div className="row">
                        <Status tone={STAGE[p.stage].tone}>{STAGE[p.stage].text}</Status>
                      </div>
                      <Definitions
                        items={[
                          { term: 'Номер выплаты (в назначении платежа)', value: p.reference },
                          { term: 'Начислено', value: <Money amount={p.earned} /> },
                          p.withheld !== '0.00' ? { term: 'Удержано', value: <Money amount={p.withheld} /> } : null,
                          { term: 'Счёт получателя', value: p.bank_account },
                          { term: p.stage === 'returned' ? 'Возврат' : 'Состояние', value: payoutNote(p) || '—' },
                        ]}
                      />
                    </Card>
                  </li>
                ))}
              </ul>
            ) : (
              <EmptyState title="Выплат пока нет">Выплата формируется после ежемесячного расчёта по подтверждённым актам.</EmptyState>
            )}

            <Text as="h2" variant="subheader-3">
              Расчёты по месяцам
            </Text>
            {money.data.periods.length ? (
              <ul className="card-list" aria-label="Расчёты по месяцам">
                {money.data.periods.map((p) => (
                  <li key={p.period}>
                    <Card className="card-pad stack" view="outlined">
                      <Text as="h3" variant="subheader-2">
                        Расчёт за {formatPeriod(p.period)}
                      </Text>
                      <Definitions
                        items={[
                          { term: 'Актов', value: String(p.acts) },
                          { term: 'Единиц услуг', value: String(p.units) },
                          { term: 'Стоимость услуг', value: <Money amount={p.gross_amount} /> },
                          { term: 'Плата получателей', value: <Money amount={p.fee_amount} /> },
                          { term: 'Компенсация', value: <Money amount={p.amount} /> },
                          { term: 'Оплачено банком', value: <Money amount={p.paid_amount} /> },
                        ]}
                      />
                      <div className="row">
                        <a className="download-link" href={statement(p.period, 'csv')} download>
                          Скачать CSV<span className="visually-hidden"> — расчёт за {formatPeriod(p.period)}</span>
                        </a>
                        <a className="download-link" href={statement(p.period, 'xlsx')} download>
                          Скачать XLSX<span className="visually-hidden"> — расчёт за {formatPeriod(p.period)}</span>
                        </a>
                      </div>
                    </Card>
                  </li>
                ))}
              </ul>
            ) : (
              <EmptyState title="Расчётов пока нет">Расчёт за месяц выполняется 1-го числа следующего месяца.</EmptyState>
            )}
          </>
        ) : null}
      </PageState>
    </ProviderPage>
  );
}
