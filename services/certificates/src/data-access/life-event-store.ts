import { sqlOf, type EntityManager } from '@esc/service-kit';

/** Life events from source systems and the notices they leave the citizen. */

export interface KnownLifeEvent {
  recipient_id: string;
  assessment_id: string;
  /** The event as its source first sent it. */
  payload: unknown;
}

export async function findLifeEvent(em: EntityManager, id: string): Promise<KnownLifeEvent | undefined> {
  return sqlOf(em).one<KnownLifeEvent>(`select recipient_id, assessment_id, payload from certificates.life_events where id = $1`, [id]);
}

/** Serialises the handling of one event id until the transaction ends (the event's row does not exist yet to be locked). */
export async function lockLifeEventId(em: EntityManager, id: string): Promise<void> {
  await sqlOf(em).run(`select pg_advisory_xact_lock(hashtext($1))`, [`life-event/${id}`]);
}

export interface NewLifeEvent {
  id: string;
  kind: string;
  source: string;
  snils: string;
  regionCode: string;
  payload: unknown;
  recipientId: string;
  assessmentId: string;
}

export async function insertLifeEvent(em: EntityManager, e: NewLifeEvent): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.life_events (id, kind, source, snils, region_code, payload, recipient_id, assessment_id) values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)`,
    [e.id, e.kind, e.source, e.snils, e.regionCode, JSON.stringify(e.payload), e.recipientId, e.assessmentId],
  );
}

export async function insertNotice(em: EntityManager, n: { id: string; recipientId: string; kind: string; text: string; subjectId: string | null }): Promise<void> {
  await sqlOf(em).run(`insert into certificates.notices (id, recipient_id, kind, text, subject_id) values ($1, $2, $3, $4, $5)`, [n.id, n.recipientId, n.kind, n.text, n.subjectId]);
}
