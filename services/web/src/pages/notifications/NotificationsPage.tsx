import { Button, Card, Text } from '@gravity-ui/uikit';
import { useQueryClient } from '@tanstack/react-query';
import { $notifications, type NotificationsSchemas } from '../../api/client';
import { usePageTitle } from '../../app/usePageTitle';
import { EmptyState, PageState, ProblemAlert } from '../../components/PageState';
import { formatDateTime } from '../../format/date';
import { RouterLink } from '../../components/RouterLink';
import { unreadText } from './InboxLink';

type Notification = NotificationsSchemas['Notification'];

/** Where the person does what the notice asks: the cabinet page of its subject. */
function actionOf(item: Notification): { to: string; label: string } | null {
  switch (item.kind) {
    case 'act_recorded':
    case 'act_confirmation_due':
      return { to: '/cabinet/acts', label: 'Подтвердить или оспорить акт' };
    case 'act_auto_confirmed':
      return { to: '/cabinet/acts', label: 'Открыть акты об услугах' };
    case 'booking_accepted':
    case 'booking_declined':
      return { to: '/cabinet/bookings', label: 'Открыть мои записи' };
    case 'certificate_issued':
    case 'certificate_expiring':
    case 'certificate_expired':
    case 'certificate_suspended':
    case 'certificate_revoked':
      return item.subject ? { to: `/cabinet/certificates/${item.subject.id}`, label: 'Открыть сертификат' } : null;
    case 'refusal_recorded':
      if (item.subject?.type === 'booking') return { to: '/cabinet/bookings', label: 'Открыть мои записи' };
      return { to: '/cabinet/requests', label: 'Открыть мои обращения' };
    case 'assessment_recognised':
    case 'programme_drawn':
      return { to: '/cabinet/requests', label: 'Открыть мои обращения' };
    case 'booking_created':
      return { to: '/provider/bookings', label: 'Открыть новые записи' };
    case 'act_disputed':
      return { to: '/provider/acts', label: 'Открыть акты' };
    case 'round_application_decided':
    case 'round_appeal_decided':
      return { to: '/provider/rounds', label: 'Открыть отборы' };
    case 'payout_paid':
    case 'payout_returned':
      return { to: '/provider/money', label: 'Открыть выплаты' };
    case 'batch_awaiting_approval':
      return { to: '/finance', label: 'Открыть расчёты' };
    case 'statement_lines_unmatched':
      return { to: '/finance/discrepancies', label: 'Открыть расхождения' };
    default:
      return null;
  }
}

/** Every notice query (the page's and the header's count) is read again after a change. */
const isNotices = (key: readonly unknown[]) => key[1] === '/v1/notifications';

export function NotificationsPage() {
  usePageTitle('Уведомления');
  const query = $notifications.useQuery('get', '/v1/notifications', { params: { query: { limit: 100 } } });
  return (
    <div className="stack">
      <Text as="h1" variant="header-2" className="page-title">
        Уведомления
      </Text>
      <Text as="p">
        Здесь всё, что вам нужно знать и сделать по сертификатам, записям и оказанным услугам, — от новых к старым. Получать их также по почте или SMS можно в{' '}
        <RouterLink to="/notifications/settings">настройках уведомлений</RouterLink>.
      </Text>
      <PageState loading={query.isPending} error={query.error} retry={() => void query.refetch()}>
        {query.data ? (
          query.data.items.length === 0 ? (
            <EmptyState title="Уведомлений пока нет">Когда по вашим сертификатам или записям что-то произойдёт, мы сообщим об этом здесь.</EmptyState>
          ) : (
            <>
              <Text as="p" role="status">
                {query.data.unread > 0 ? `У вас ${unreadText(query.data.unread)}.` : 'Все уведомления прочитаны.'}
              </Text>
              <ul className="card-list" aria-label="Уведомления, от новых к старым">
                {query.data.items.map((item) => (
                  <li key={item.id}>
                    <NotificationCard item={item} />
                  </li>
                ))}
              </ul>
            </>
          )
        ) : null}
      </PageState>
    </div>
  );
}

function NotificationCard({ item }: { item: Notification }) {
  const queryClient = useQueryClient();
  const markRead = $notifications.useMutation('post', '/v1/notifications/{id}/read', {
    onSuccess: () => queryClient.invalidateQueries({ predicate: (q) => isNotices(q.queryKey) }),
  });
  const unread = item.read_at === null;
  const action = actionOf(item);
  return (
    <Card className={`card-pad stack${unread ? ' notice--unread' : ''}`} view="outlined" theme={unread ? 'info' : 'normal'}>
      <Text as="h2" variant="subheader-3">
        {item.title}
      </Text>
      <div className="row">
        <span className={`status status--${unread ? 'info' : 'normal'}`}>{unread ? 'Новое' : 'Прочитано'}</span>
        <Text color="secondary">{formatDateTime(item.created_at)}</Text>
      </div>
      <Text as="p">{item.body}</Text>
      {item.action_due_at ? (
        <Text as="p" variant="subheader-1">
          Срок: до {formatDateTime(item.action_due_at)}
        </Text>
      ) : null}
      {markRead.error ? <ProblemAlert error={markRead.error} /> : null}
      {action || unread ? (
        <div className="row">
          {action ? (
            <RouterLink to={action.to}>
              {action.label}
              <span className="visually-hidden">: {item.title}</span>
            </RouterLink>
          ) : null}
          {unread ? (
            <Button view="outlined" loading={markRead.isPending} onClick={() => markRead.mutate({ params: { path: { id: item.id } } })}>
              Отметить прочитанным<span className="visually-hidden">: {item.title}</span>
            </Button>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
