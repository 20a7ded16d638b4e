import { $notifications } from '../../api/client';
import { RouterLink } from '../../components/RouterLink';
import { plural } from '../../format/date';

/** How often the header asks for the unread count while a page stays open. */
const REFRESH_MS = 60_000;

export const unreadText = (n: number) => `${n} ${plural(n, 'непрочитанное', 'непрочитанных', 'непрочитанных')}`;

/** «Уведомления» in the header with the unread count in words; without the count when it cannot be read. */
export function InboxLink() {
  const query = $notifications.useQuery('get', '/v1/notifications', { params: { query: { limit: 1 } } }, { refetchInterval: REFRESH_MS, retry: false });
  const unread = query.data?.unread ?? 0;
  return (
    <RouterLink to="/notifications" className="inbox-link">
      Уведомления
      {unread > 0 ? (
        <span className="inbox-link__count">
          <span aria-hidden="true">{unread}</span>
          <span className="visually-hidden">, {unreadText(unread)}</span>
        </span>
      ) : null}
    </RouterLink>
  );
}
