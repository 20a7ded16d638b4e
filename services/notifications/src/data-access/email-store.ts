import { randomUUID } from 'node:crypto';
import { sqlOf, type EntityManager } from '@esc/service-kit';
import type { FailedEmail } from '../domain/model';
import type { Notice } from '../domain/templates';

export type { FailedEmail };

export interface EmailDelivery {
  id: string;
  address: string;
  title: string;
  body: string;
  attempts: number;
}

/** An e-mail to each notice's person who has an address; once per event, person and channel, like the inbox. */
export async function insertEmailDeliveries(em: EntityManager, eventId: string, notices: Notice[]): Promise<number> {
  if (notices.length === 0) return 0;
  return sqlOf(em).run(
    `insert into notifications.notifications (id, event_id, person_key, channel, kind, title, body, action_due_at, subject_type, subject_id, status, address, next_attempt_at)
     select n.id, $2, n.person_key, 'email', n.kind, n.title, n.body, n.action_due_at, n.subject_type, n.subject_id, 'pending', c.email, clock_timestamp()
       from unnest($1::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::text[])
            as n(id, person_key, kind, title, body, action_due_at, subject_type, subject_id)
       join notifications.contacts c on c.person_key = n.person_key and c.email is not null
     on conflict (event_id, person_key, channel) do nothing`,
    [
      notices.map(() => randomUUID()),
      eventId,
      notices.map((n) => n.personKey),
      notices.map((n) => n.kind),
      notices.map((n) => n.title),
      notices.map((n) => n.body),
      notices.map((n) => n.actionDueAt),
      notices.map((n) => n.subject.type),
      notices.map((n) => n.subject.id),
    ],
  );
}

/** E-mails due now, locked for this sender; another sender skips them. */
export async function lockDueEmails(em: EntityManager, limit: number): Promise<EmailDelivery[]> {
  return sqlOf(em).rows<EmailDelivery>(
    `select id, address, title, body, attempts from notifications.notifications
      where status = 'pending' and next_attempt_at <= clock_timestamp()
      order by next_attempt_at limit $1 for update skip locked`,
    [limit],
  );
}

export async function markEmailDelivered(em: EntityManager, id: string): Promise<void> {
  await sqlOf(em).run(`update notifications.notifications set status = 'delivered', delivered_at = clock_timestamp(), attempts = attempts + 1, last_error = null where id = $1`, [id]);
}

/** A failed attempt: tried again after `retryInMs`, or given up (`failed`, kept for an admin) when that is null. */
export async function markEmailAttemptFailed(em: EntityManager, id: string, error: string, retryInMs: number | null): Promise<void> {
  await sqlOf(em).run(
    `update notifications.notifications
        set attempts = attempts + 1, last_error = $2,
            status = case when $3::int is null then 'failed' else 'pending' end,
            next_attempt_at = case when $3::int is null then null else clock_timestamp() + make_interval(secs => $3::int / 1000.0) end
      where id = $1`,
    [id, error.slice(0, 1000), retryInMs],
  );
}

export async function findContact(em: EntityManager, personKey: string): Promise<{ email: string | null } | undefined> {
  return sqlOf(em).one(`select email from notifications.contacts where person_key = $1`, [personKey]);
}

export async function upsertContact(em: EntityManager, personKey: string, email: string | null, updatedBy: string): Promise<void> {
  await sqlOf(em).run(
    `insert into notifications.contacts (person_key, email, updated_by) values ($1, $2, $3)
     on conflict (person_key) do update set email = excluded.email, updated_by = excluded.updated_by, updated_at = clock_timestamp()`,
    [personKey, email, updatedBy],
  );
}

export async function failedEmails(em: EntityManager, limit: number): Promise<FailedEmail[]> {
  return sqlOf(em).rows<FailedEmail>(
    `select id, person_key, address, kind, title, attempts, last_error, created_at from notifications.notifications
      where channel = 'email' and status = 'failed' order by created_at desc, id desc limit $1`,
    [limit],
  );
}
