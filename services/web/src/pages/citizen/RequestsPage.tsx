import { Card, Text } from '@gravity-ui/uikit';
import { $certificates, type CertificatesSchemas } from '../../api/client';
import { Definitions, type Definition } from '../../components/Definitions';
import { Money } from '../../components/Money';
import { EmptyState, PageState } from '../../components/PageState';
import { RefusalDetails } from '../../components/RefusalDetails';
import { RouterLink } from '../../components/RouterLink';
import { formatDate, formatDateTime } from '../../format/date';
import { CabinetPage, Status, type Tone } from './cabinet';
import { DELIVERY_RESOLUTION, HISTORY_KIND, historyStatus, refusalName, unitsText } from './labels';
import { useActingFor } from './useActingFor';

type HistoryItem = CertificatesSchemas['HistoryItem'];
type Notice = CertificatesSchemas['Notice'];

const DANGER = new Set(['refused', 'declined', 'revoked', 'voided']);
const SUCCESS = new Set(['recognised', 'programme_drawn', 'issued', 'active', 'accepted', 'posted']);
const toneOf = (status: string): Tone => (DANGER.has(status) ? 'danger' : SUCCESS.has(status) ? 'success' : status === 'held' || status === 'open' || status === 'requested' ? 'info' : 'normal');

const SUBJECT_KIND: Record<string, string> = { assessment: 'заявление', certificate: 'сертификат', booking: 'запись к поставщику', delivery: 'акт об оказании услуг' };

/** A value of the free-form `details` when it is the string (or number) the kind promises. */
function text(details: HistoryItem['details'], key: string): string | undefined {
  const value = details[key];
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** «Объём: 120 часов» from the item's units and the unit of its certificate line. */
function volume(details: HistoryItem['details']) {
  const units = Number(text(details, 'units'));
  if (!Number.isInteger(units) || units <= 0) return null;
  const unit = text(details, 'unit');
  return { term: 'Объём', value: unit ? unitsText(units, unit) : `${units} ед.` };
}

const byNewest = (a: { at: string }, b: { at: string }) => (Date.parse(b.at) || 0) - (Date.parse(a.at) || 0);

export function RequestsPage() {
  const acting = useActingFor();
  // The history is the citizen's own: the API gives it only to the signed-in recipient.
  const forSomeoneElse = acting.canActFor && (acting.recipientId !== undefined || acting.needsRecipient);
  const query = $certificates.useQuery('get', '/v1/me/requests', {}, { enabled: !forSomeoneElse });
  return (
    <CabinetPage title="Мои обращения" lead="Все ваши заявления, сертификаты, записи к поставщикам и акты — от новых к старым. Если в чём-то отказали, здесь сказано почему и что делать.">
      {forSomeoneElse ? (
        <EmptyState title="История обращений доступна только самому получателю">
          Получатель видит её в своём личном кабинете. Сертификаты, записи и акты получателя откройте в соседних разделах кабинета.
        </EmptyState>
      ) : (
        <PageState loading={query.isPending} error={query.error} retry={() => void query.refetch()}>
          {query.data ? (
            <>
              {query.data.notices.length > 0 ? <Notices notices={query.data.notices} /> : null}
              <section aria-labelledby="history-title" className="stack">
                <Text as="h2" variant="header-1" id="history-title">
                  История
                </Text>
                {query.data.items.length === 0 ? (
                  <EmptyState title="Обращений пока нет">
                    Чтобы получить социальные услуги по сертификату, подайте заявление в орган социальной защиты населения лично или через Госуслуги.
                  </EmptyState>
                ) : (
                  <ol className="card-list timeline" aria-labelledby="history-title">
                    {[...query.data.items].sort(byNewest).map((item) => (
                      <li key={`${item.kind}-${item.id}`}>
                        <HistoryEntry item={item} link={acting.link} />
                      </li>
                    ))}
                  </ol>
                )}
              </section>
            </>
          ) : null}
        </PageState>
      )}
    </CabinetPage>
  );
}

function Notices({ notices }: { notices: Notice[] }) {
  return (
    <section aria-labelledby="notices-title" className="stack">
      <Text as="h2" variant="header-1" id="notices-title">
        Уведомления
      </Text>
      <ul className="card-list" aria-labelledby="notices-title">
        {[...notices].sort((a, b) => byNewest({ at: a.created_at }, { at: b.created_at })).map((notice) => (
          <li key={notice.id}>
            <Card className="card-pad stack notice" view="outlined" theme="info">
              <Text as="p" variant="subheader-1">
                {formatDateTime(notice.created_at)}
              </Text>
              <Text as="p">{notice.text}</Text>
            </Card>
          </li>
        ))}
      </ul>
    </section>
  );
}

function HistoryEntry({ item, link }: { item: HistoryItem; link: (to: string) => string }) {
  const status = historyStatus(item.kind, item.status);
  return (
    <Card className="card-pad stack" view="outlined">
      <Text as="h3" variant="subheader-3">
        {item.kind === 'certificate' ? <RouterLink to={link(`/cabinet/certificates/${item.id}`)}>{item.title}</RouterLink> : item.title}
      </Text>
      <div className="row">
        <Status tone={toneOf(item.status)}>{status}</Status>
        <Text>
          {HISTORY_KIND[item.kind]} · {formatDateTime(item.at)}
        </Text>
      </div>
      <Definitions items={[...detailsOf(item), item.acted_by ? { term: 'Записал специалист', value: item.acted_by.name } : null]} />
      {item.refusal ? <RefusalDetails refusal={item.refusal} name={refusalName(item.refusal.code)} headingLevel={4} /> : null}
    </Card>
  );
}

function detailsOf(item: HistoryItem): Array<Definition | null> {
  const d = item.details;
  switch (item.kind) {
    case 'assessment': {
      const open = item.status === 'open' || item.status === 'recognised';
      const decisionDue = text(d, 'decision_due');
      const programmeDue = text(d, 'programme_due');
      return [
        open && decisionDue && item.status === 'open' ? { term: 'Решение о нуждаемости — не позднее', value: formatDate(decisionDue) } : null,
        open && programmeDue ? { term: 'Индивидуальная программа — не позднее', value: formatDate(programmeDue) } : null,
        text(d, 'source') === 'life_event' ? { term: 'Основание', value: 'открыто автоматически по сведениям о жизненной ситуации' } : null,
      ];
    }
    case 'certificate': {
      const value = text(d, 'value');
      const validTo = text(d, 'valid_to');
      return [
        value && /^-?\d+(\.\d{1,2})?$/.test(value) ? { term: 'Номинал', value: <Money amount={value} /> } : null,
        validTo ? { term: 'Действует до', value: formatDate(validTo) } : null,
      ];
    }
    case 'booking': {
      return [volume(d)];
    }
    case 'delivery': {
      const amount = text(d, 'amount');
      const confirmBy = text(d, 'confirm_by');
      const resolution = text(d, 'resolution');
      const reason = text(d, 'dispute_reason');
      return [
        volume(d),
        amount && /^-?\d+(\.\d{1,2})?$/.test(amount) ? { term: 'Сумма', value: <Money amount={amount} /> } : null,
        item.status === 'held' && confirmBy ? { term: 'Подтвердить до', value: formatDateTime(confirmBy) } : null,
        resolution && resolution in DELIVERY_RESOLUTION ? { term: 'Итог', value: DELIVERY_RESOLUTION[resolution as keyof typeof DELIVERY_RESOLUTION] } : null,
        reason ? { term: 'Ваше возражение', value: reason } : null,
        item.status === 'held' ? { term: 'Что сделать', value: <RouterLink to="/cabinet/acts">Подтвердите или оспорьте акт</RouterLink> } : null,
      ];
    }
    case 'refusal': {
      const subject = text(d, 'subject_kind');
      return [subject ? { term: 'Чего касается', value: SUBJECT_KIND[subject] ?? subject } : null];
    }
  }
}
