import { randomUUID } from 'node:crypto';
import { sqlOf, type EntityManager } from '@esc/service-kit';
import type { NotificationRow } from '../domain/model';
import type { Notice } from '../domain/templates';

export type { NotificationRow };

export type Channel = 'inbox' | 'email' | 'sms';

const COLUMNS = 'id, kind, title, body, action_due_at, subject_type, subject_id, created_at, read_at';

/** One row per event, person and channel: a redelivered event adds nothing. Answers how many were new. */
export async function insertNotices(em: EntityManager, eventId: string, channel: Channel, notices: Notice[]): Promise<number> {
  if (notices.length === 0) return 0;
  return sqlOf(em).run(
    `insert into notifications.notifications (id, event_id, person_key, channel, kind, title, body, action_due_at, subject_type, subject_id, except_subject)
     select unnest($1::uuid[]), $2, unnest($3::text[]), $4, unnest($5::text[]), unnest($6::text[]), unnest($7::text[]),
            unnest($8::timestamptz[]), unnest($9::text[]), unnest($10::text[]), unnest($11::text[])
     on conflict (event_id, person_key, channel) do nothing`,
    [
      notices.map(() => randomUUID()),
      eventId,
      notices.map((n) => n.personKey),
      channel,
      notices.map((n) => n.kind),
      notices.map((n) => n.title),
      notices.map((n) => n.body),
      notices.map((n) => n.actionDueAt),
      notices.map((n) => n.subject.type),
      notices.map((n) => n.subject.id),
      notices.map((n) => n.exceptSubject ?? null),
    ],
  );
}

/** Who reads: the person's audience keys, and the person (a notice that leaves them out is not theirs). */
export interface Reader {
  keys: string[];
  subject: string;
}

const MINE = `person_key = any($1::text[]) and channel = 'inbox' and (except_subject is null or except_subject <> $2)`;

export async function listInbox(em: EntityManager, reader: Reader, limit: number, beforeCreatedAt?: string): Promise<NotificationRow[]> {
  return sqlOf(em).rows<NotificationRow>(
    `select ${COLUMNS} from notifications.notifications
      where ${MINE} and ($4::timestamptz is null or created_at < $4)
      order by created_at desc, id desc limit $3`,
    [reader.keys, reader.subject, limit, beforeCreatedAt ?? null],
  );
}

export async function countUnread(em: EntityManager, reader: Reader): Promise<number> {
  const row = await sqlOf(em).one<{ n: number }>(`select count(*)::int as n from notifications.notifications where ${MINE} and read_at is null`, [reader.keys, reader.subject]);
  return row?.n ?? 0;
}

/** Marks one of the person's own inbox notices read (the first read time stays); undefined when it is not theirs. */
export async function markRead(em: EntityManager, reader: Reader, id: string): Promise<NotificationRow | undefined> {
  return sqlOf(em).one<NotificationRow>(
    `update notifications.notifications set read_at = coalesce(read_at, clock_timestamp())
      where ${MINE} and id = $3
      returning ${COLUMNS}`,
    [reader.keys, reader.subject, id],
  );
}
