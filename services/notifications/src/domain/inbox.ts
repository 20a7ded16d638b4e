import { notFound, withTransaction, type Principal } from '@esc/service-kit';
import * as store from '../data-access/notification-store';
import { personKeysOf } from './audience';
import type { Deps } from './context';
import type { NotificationRow } from './model';

export interface Inbox {
  items: NotificationRow[];
  unread: number;
}

/** The caller's own notices, newest first; a person with no notices' audience (no SNILS, no provider, no finance region) has an empty inbox. */
export async function readInbox(deps: Deps, principal: Principal, input: { limit: number; before?: string }): Promise<Inbox> {
  const keys = personKeysOf(principal);
  if (keys.length === 0) return { items: [], unread: 0 };
  const em = deps.orm.em.fork();
  const reader = { keys, subject: principal.subject };
  const [items, unread] = [await store.listInbox(em, reader, input.limit, input.before), await store.countUnread(em, reader)];
  return { items, unread };
}

export async function markNotificationRead(deps: Deps, principal: Principal, input: { id: string }): Promise<NotificationRow> {
  const keys = personKeysOf(principal);
  const row = keys.length ? await withTransaction(deps.orm.em.fork(), (tx) => store.markRead(tx, { keys, subject: principal.subject }, input.id)) : undefined;
  // Another person's notice answers as an unknown one: its existence is not the caller's business.
  if (!row) throw notFound('notification_not_found', 'Уведомление не найдено среди ваших.');
  return row;
}
