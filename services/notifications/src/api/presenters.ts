import type { notifications } from '@esc/api-types';
import type { FailedDelivery, NotificationRow } from '../domain/model';
import type { Settings } from '../domain/settings';
import type { Inbox } from '../domain/inbox';

type NotificationView = notifications.components['schemas']['Notification'];
type InboxView = notifications.components['schemas']['Inbox'];
type SettingsView = notifications.components['schemas']['NotificationSettings'];
type FailedDeliveriesView = notifications.components['schemas']['FailedDeliveries'];

export function notificationView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    kind: row.kind as NotificationView['kind'],
    title: row.title,
    body: row.body,
    action_due_at: row.action_due_at,
    subject: row.subject_type && row.subject_id ? { type: row.subject_type as NonNullable<NotificationView['subject']>['type'], id: row.subject_id } : null,
    created_at: row.created_at,
    read_at: row.read_at,
  };
}

export function inboxView(inbox: Inbox): InboxView {
  return { items: inbox.items.map(notificationView), unread: inbox.unread };
}

export function settingsView(settings: Settings): SettingsView {
  return { email: settings.email, phone: settings.phone, channels: settings.channels.map((c) => ({ kind: c.kind, email: c.email, sms: c.sms })) };
}

export function failedDeliveriesView(rows: FailedDelivery[]): FailedDeliveriesView {
  return {
    items: rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      person_key: r.person_key,
      address: r.address,
      kind: r.kind,
      title: r.title,
      attempts: r.attempts,
      last_error: r.last_error,
      created_at: r.created_at,
    })),
  };
}
