import { randomUUID } from 'node:crypto';
import { sqlOf, type EntityManager } from '@esc/service-kit';
import type { Contact, OutboundChannel, OutboundDelivery } from '../domain/channels';
import type { FailedDelivery } from '../domain/model';

export type { FailedDelivery };

export interface PendingDelivery {
  id: string;
  channel: OutboundChannel;
  address: string;
  title: string;
  body: string;
  attempts: number;
}

/** The contacts and choices of these person keys (those who set none have no row). */
export async function contactsOf(em: EntityManager, personKeys: string[]): Promise<Contact[]> {
  if (personKeys.length === 0) return [];
  return sqlOf(em).rows<Contact>(`select person_key, email, phone, channels from notifications.contacts where person_key = any($1::text[])`, [personKeys]);
}

/** E-mails and SMS waiting for the sender; once per event, person and channel, like the inbox. */
export async function insertOutbound(em: EntityManager, eventId: string, deliveries: OutboundDelivery[]): Promise<number> {
  if (deliveries.length === 0) return 0;
  return sqlOf(em).run(
    `insert into notifications.notifications (id, event_id, person_key, channel, kind, title, body, action_due_at, subject_type, subject_id, status, address, next_attempt_at)
     select n.id, $2, n.person_key, n.channel, n.kind, n.title, n.body, n.action_due_at, n.subject_type, n.subject_id, 'pending', n.address, clock_timestamp()
       from unnest($1::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::text[], $11::text[])
            as n(id, person_key, channel, kind, title, body, action_due_at, subject_type, subject_id, address)
     on conflict (event_id, person_key, channel) do nothing`,
    [
      deliveries.map(() => randomUUID()),
      eventId,
      deliveries.map((d) => d.notice.personKey),
      deliveries.map((d) => d.channel),
      deliveries.map((d) => d.notice.kind),
      deliveries.map((d) => d.notice.title),
      deliveries.map((d) => d.body),
      deliveries.map((d) => d.notice.actionDueAt),
      deliveries.map((d) => d.notice.subject.type),
      deliveries.map((d) => d.notice.subject.id),
      deliveries.map((d) => d.address),
    ],
  );
}

/** Deliveries of these channels due now, locked for this sender; another sender skips them. */
export async function lockDue(em: EntityManager, channels: OutboundChannel[], limit: number): Promise<PendingDelivery[]> {
  return sqlOf(em).rows<PendingDelivery>(
    `select id, channel, address, title, body, attempts from notifications.notifications
      where status = 'pending' and next_attempt_at <= clock_timestamp() and channel = any($2::text[])
      order by next_attempt_at limit $1 for update skip locked`,
    [limit, channels],
  );
}

export async function markDelivered(em: EntityManager, id: string): Promise<void> {
  await sqlOf(em).run(`update notifications.notifications set status = 'delivered', delivered_at = clock_timestamp(), attempts = attempts + 1, last_error = null where id = $1`, [id]);
}

/** A failed attempt: tried again after `retryInMs`, or given up (`failed`, kept for an admin) when that is null. */
export async function markAttemptFailed(em: EntityManager, id: string, error: string, retryInMs: number | null): Promise<void> {
  await sqlOf(em).run(
    `update notifications.notifications
        set attempts = attempts + 1, last_error = $2,
            status = case when $3::int is null then 'failed' else 'pending' end,
            next_attempt_at = case when $3::int is null then null else clock_timestamp() + make_interval(secs => $3::int / 1000.0) end
      where id = $1`,
    [id, error.slice(0, 1000), retryInMs],
  );
}

export async function findContact(em: EntityManager, personKey: string): Promise<Contact | undefined> {
  return sqlOf(em).one<Contact>(`select person_key, email, phone, channels from notifications.contacts where person_key = $1`, [personKey]);
}

export async function upsertContact(em: EntityManager, contact: Contact, updatedBy: string): Promise<void> {
  await sqlOf(em).run(
    `insert into notifications.contacts (person_key, email, phone, channels, updated_by) values ($1, $2, $3, $4::jsonb, $5)
     on conflict (person_key) do update set email = excluded.email, phone = excluded.phone, channels = excluded.channels,
                                            updated_by = excluded.updated_by, updated_at = clock_timestamp()`,
    [contact.person_key, contact.email, contact.phone, JSON.stringify(contact.channels), updatedBy],
  );
}

export async function failedDeliveries(em: EntityManager, limit: number): Promise<FailedDelivery[]> {
  return sqlOf(em).rows<FailedDelivery>(
    `select id, channel, person_key, address, kind, title, attempts, last_error, created_at from notifications.notifications
      where channel <> 'inbox' and status = 'failed' order by created_at desc, id desc limit $1`,
    [limit],
  );
}

/** The development SMS adapter's record of a message it "sent". */
export async function recordDevSms(em: EntityManager, phone: string, text: string): Promise<void> {
  await sqlOf(em).run(`insert into notifications.dev_sms (phone, text) values ($1, $2)`, [phone, text]);
}
