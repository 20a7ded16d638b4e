import { LockMode } from '@mikro-orm/core';
import { sqlOf, type EntityManager } from '@esc/service-kit';
import { AssessmentEntity, ProgrammeEntity, type Assessment, type Programme, type ProgrammeLine } from './entities';

export type { Assessment, AssessmentSource, AssessmentStatus, Programme, ProgrammeLine, ServiceForm } from './entities';

export function findAssessmentById(em: EntityManager, id: string): Promise<Assessment | null> {
  return em.findOne(AssessmentEntity, id);
}

/** The assessment locked for the rest of the transaction, as it is now (not as this EntityManager last saw it). */
export function lockAssessment(em: EntityManager, id: string): Promise<Assessment | null> {
  return em.findOne(AssessmentEntity, id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/** The recipient's assessments still under way (open or recognised), locked. */
export function lockAssessmentsUnderWay(em: EntityManager, recipientId: string): Promise<Assessment[]> {
  return em.find(AssessmentEntity, { recipient_id: recipientId, status: { $in: ['open', 'recognised'] } }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

export type NewAssessment = Omit<Assessment, 'created_at'>;

/**
 * Writes the assessment at once rather than at commit: callers go on to insert rows that reference it
 * with statements of their own in the same transaction.
 */
export async function insertAssessment(em: EntityManager, assessment: NewAssessment): Promise<Assessment> {
  const created = em.create(AssessmentEntity, assessment);
  em.persist(created);
  await em.flush();
  return created;
}

const ASSESSMENT_COLUMNS = `id, recipient_id, region_code, source, life_event_id, status, reason, opened_by, opened_on::text as opened_on,
  decision_due::text as decision_due, programme_due::text as programme_due, decided_by, decided_at, refusal_code, created_at`;

type AssessmentRow = Omit<Assessment, 'decided_at' | 'created_at'> & { decided_at: string | null; created_at: string };

/** Assessments of the region past their decision or programme deadline on `today`, the oldest deadline first. */
export async function overdueAssessments(em: EntityManager, regionCode: string, today: string, limit: number): Promise<Assessment[]> {
  const rows = await sqlOf(em).rows<AssessmentRow>(
    `select ${ASSESSMENT_COLUMNS} from certificates.assessments
      where region_code = $1 and ((status = 'open' and decision_due < $2::date) or (status = 'recognised' and programme_due < $2::date))
      order by case when status = 'open' then decision_due else programme_due end, id limit $3`,
    [regionCode, today, limit],
  );
  return rows.map((a) => ({ ...a, decided_at: a.decided_at === null ? null : new Date(a.decided_at), created_at: new Date(a.created_at) }));
}

export interface DrawnAssessment {
  id: string;
  recipient_id: string;
  reason: string;
}

/**
 * Assessments that a bulk issue opens already decided, with their programme drawn, in one statement;
 * ids seen before are skipped.
 */
export async function insertDrawnAssessmentsIfAbsent(
  em: EntityManager,
  common: { region_code: string; opened_by: string; opened_on: string; decision_due: string; programme_due: string },
  assessments: DrawnAssessment[],
): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.assessments (id, recipient_id, region_code, source, status, reason, opened_by, opened_on, decision_due, programme_due, decided_by, decided_at)
     select a.id, a.recipient_id, $1, 'bulk_import', 'programme_drawn', a.reason, $2::text, $3, $4, $5, $2::text, clock_timestamp()
       from jsonb_to_recordset($6::jsonb) as a(id uuid, recipient_id uuid, reason text)
     on conflict (id) do nothing`,
    [common.region_code, common.opened_by, common.opened_on, common.decision_due, common.programme_due, JSON.stringify(assessments)],
  );
}

export function findProgrammeById(em: EntityManager, id: string): Promise<Programme | null> {
  return em.findOne(ProgrammeEntity, id);
}

export function programmeOfAssessment(em: EntityManager, assessmentId: string): Promise<Programme | null> {
  return em.findOne(ProgrammeEntity, { assessment_id: assessmentId });
}

/** Persisted with the transaction's commit. */
export function addProgramme(em: EntityManager, programme: Omit<Programme, 'drawn_at'>): Programme {
  const created = em.create(ProgrammeEntity, programme);
  em.persist(created);
  return created;
}

export interface BulkProgramme {
  id: string;
  assessment_id: string;
  recipient_id: string;
  lines: ProgrammeLine[];
}

/** Programmes of a bulk issue chunk in one statement; ids seen before are skipped. */
export async function insertProgrammesIfAbsent(
  em: EntityManager,
  common: { region_code: string; valid_from: string; drawn_by: string },
  programmes: BulkProgramme[],
): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.programmes (id, assessment_id, recipient_id, region_code, valid_from, lines, drawn_by)
     select p.id, p.assessment_id, p.recipient_id, $1, $2, p.lines, $3
       from jsonb_to_recordset($4::jsonb) as p(id uuid, assessment_id uuid, recipient_id uuid, lines jsonb)
     on conflict (id) do nothing`,
    [common.region_code, common.valid_from, common.drawn_by, JSON.stringify(programmes)],
  );
}
