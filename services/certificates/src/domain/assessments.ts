import { iso, isoOrNull } from './time';
import { randomUUID } from 'node:crypto';
import { AppError, conflict, notFound, unprocessable, withTransaction, type EntityManager, type Principal } from '@esc/service-kit';
import { assertCanReadRecipient, assertCaseworkerOf } from './access';
import type { Deps } from './context';
import { findRecipient } from './recipients';
import { recordRefusal, refusalView, type RefusalCode } from './refusals';
import { addWorkingDays, todayInRussia } from './working-days';

export const ASSESSMENT_REFUSAL_CODES = ['not_in_need', 'documents_incomplete', 'not_resident'] as const satisfies readonly RefusalCode[];
export type AssessmentRefusalCode = (typeof ASSESSMENT_REFUSAL_CODES)[number];

/** 442-FZ art. 15: the decision within 5 working days, the individual programme within 10. */
export const DECISION_WORKING_DAYS = 5;
export const PROGRAMME_WORKING_DAYS = 10;
export const MAX_PROGRAMME_MONTHS = 12;

export interface AssessmentRow {
  id: string;
  recipient_id: string;
  region_code: string;
  source: 'application' | 'life_event' | 'bulk_import';
  life_event_id: string | null;
  status: 'open' | 'recognised' | 'refused' | 'programme_drawn';
  reason: string | null;
  opened_by: string;
  opened_on: string;
  decision_due: string;
  programme_due: string;
  decided_by: string | null;
  decided_at: Date | null;
  refusal_code: string | null;
  created_at: Date;
}

export interface ProgrammeLine {
  service_code: string;
  volume_per_month: number;
  months: number;
}

export interface ProgrammeRow {
  id: string;
  assessment_id: string;
  recipient_id: string;
  region_code: string;
  valid_from: string;
  lines: Array<ProgrammeLine & { service_name: string; form: string; unit: string; max_volume_per_month: number | null }>;
  drawn_by: string;
  drawn_at: Date;
}

const ASSESSMENT_COLUMNS = `id, recipient_id, region_code, source, life_event_id, status, reason, opened_by, opened_on::text as opened_on,
  decision_due::text as decision_due, programme_due::text as programme_due, decided_by, decided_at, refusal_code, created_at`;

export async function findAssessment(em: EntityManager, id: string, forUpdate = false): Promise<AssessmentRow> {
  const rows: AssessmentRow[] = await em.execute(`select ${ASSESSMENT_COLUMNS} from certificates.assessments where id = ?${forUpdate ? ' for update' : ''}`, [id]);
  if (!rows[0]) throw notFound('assessment_not_found', `Обследование ${id} не найдено.`);
  return rows[0];
}

export async function insertAssessment(
  em: EntityManager,
  a: { id?: string; recipientId: string; regionCode: string; source: AssessmentRow['source']; lifeEventId?: string | null; reason: string | null; openedBy: string; openedOn?: string },
): Promise<string> {
  const id = a.id ?? randomUUID();
  const openedOn = a.openedOn ?? todayInRussia();
  await em.execute(
    `insert into certificates.assessments (id, recipient_id, region_code, source, life_event_id, status, reason, opened_by, opened_on, decision_due, programme_due)
     values (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?)`,
    [id, a.recipientId, a.regionCode, a.source, a.lifeEventId ?? null, a.reason, a.openedBy, openedOn, addWorkingDays(openedOn, DECISION_WORKING_DAYS), addWorkingDays(openedOn, PROGRAMME_WORKING_DAYS)],
  );
  return id;
}

export async function openAssessment(em: EntityManager, principal: Principal, input: { recipient_id: string; reason?: string | null }): Promise<AssessmentRow> {
  return withTransaction(em, async (tx) => {
    const recipient = await findRecipient(tx, input.recipient_id);
    assertCaseworkerOf(principal, recipient.region_code);
    const open: Array<{ id: string }> = await tx.execute(
      `select id from certificates.assessments where recipient_id = ? and status in ('open', 'recognised') for update`,
      [recipient.id],
    );
    if (open[0]) {
      throw conflict('assessment_already_open', 'По этому получателю уже идёт обследование; завершите его, прежде чем открывать новое.', { assessment_id: open[0].id });
    }
    const id = await insertAssessment(tx, { recipientId: recipient.id, regionCode: recipient.region_code, source: 'application', reason: input.reason ?? null, openedBy: principal.subject });
    return findAssessment(tx, id);
  });
}

export async function decideAssessment(
  em: EntityManager,
  principal: Principal,
  id: string,
  input: { decision: 'recognised' | 'refused'; refusal_code?: AssessmentRefusalCode; comment?: string | null },
): Promise<AssessmentRow> {
  return withTransaction(em, async (tx) => {
    const assessment = await findAssessment(tx, id, true);
    assertCaseworkerOf(principal, assessment.region_code);
    if (assessment.status !== 'open') {
      throw conflict('assessment_already_decided', `Решение по обследованию уже принято (${assessment.status}).`);
    }
    if (input.decision === 'refused') {
      if (!input.refusal_code) {
        throw new AppError('validation', 'validation_failed', 'Для отказа укажите код причины.', {}, [{ field: 'refusal_code', message: 'обязателен при отказе' }]);
      }
      await recordRefusal(tx, {
        recipientId: assessment.recipient_id,
        regionCode: assessment.region_code,
        subjectKind: 'assessment',
        subjectId: id,
        code: input.refusal_code,
        reason: input.comment ?? undefined,
      });
    }
    await tx.execute(
      `update certificates.assessments set status = ?, refusal_code = ?, decided_by = ?, decided_at = clock_timestamp() where id = ?`,
      [input.decision, input.decision === 'refused' ? input.refusal_code! : null, principal.subject, id],
    );
    return findAssessment(tx, id);
  });
}

export async function drawProgramme(
  deps: Deps,
  principal: Principal,
  assessmentId: string,
  input: { valid_from?: string; lines: ProgrammeLine[] },
): Promise<ProgrammeRow> {
  const em = deps.orm.em.fork();
  const assessment = await findAssessment(em, assessmentId);
  assertCaseworkerOf(principal, assessment.region_code);
  const codes = new Set<string>();
  const lines: ProgrammeRow['lines'] = [];
  for (const [index, line] of input.lines.entries()) {
    if (codes.has(line.service_code)) {
      throw new AppError('validation', 'validation_failed', `Услуга ${line.service_code} указана в программе дважды; объедините строки.`, {}, [
        { field: `lines[${index}].service_code`, message: 'повторяется' },
      ]);
    }
    codes.add(line.service_code);
    const service = await deps.registry.service(line.service_code);
    if (!service) {
      throw unprocessable('unknown_service', `В перечне услуг нет услуги с кодом ${line.service_code}.`, { field: `lines[${index}].service_code` });
    }
    const max = typeof service.standard.max_volume_per_month === 'number' ? service.standard.max_volume_per_month : null;
    if (max !== null && line.volume_per_month > max) {
      throw new AppError(
        'unprocessable',
        'volume_beyond_standard',
        `Объём «${service.name}» — ${line.volume_per_month} в месяц — больше предельного по стандарту услуги (${max} в месяц).`,
        { field: `lines[${index}].volume_per_month`, max_volume_per_month: max },
      );
    }
    lines.push({ ...line, service_name: service.name, form: service.form, unit: service.unit, max_volume_per_month: max });
  }

  return withTransaction(em, async (tx) => {
    const current = await findAssessment(tx, assessmentId, true);
    if (current.status === 'programme_drawn') throw conflict('programme_already_drawn', 'Индивидуальная программа по этому обследованию уже составлена.');
    if (current.status !== 'recognised') {
      throw conflict('assessment_not_recognised', 'Индивидуальную программу составляют только после решения о признании нуждающимся.');
    }
    const id = randomUUID();
    await tx.execute(
      `insert into certificates.programmes (id, assessment_id, recipient_id, region_code, valid_from, lines, drawn_by) values (?, ?, ?, ?, ?, ?::jsonb, ?)`,
      [id, assessmentId, current.recipient_id, current.region_code, input.valid_from ?? todayInRussia(), JSON.stringify(lines), principal.subject],
    );
    await tx.execute(`update certificates.assessments set status = 'programme_drawn' where id = ?`, [assessmentId]);
    return findProgramme(tx, id);
  });
}

export async function findProgramme(em: EntityManager, id: string): Promise<ProgrammeRow> {
  const rows: ProgrammeRow[] = await em.execute(
    `select id, assessment_id, recipient_id, region_code, valid_from::text as valid_from, lines, drawn_by, drawn_at from certificates.programmes where id = ?`,
    [id],
  );
  if (!rows[0]) throw notFound('programme_not_found', `Индивидуальная программа ${id} не найдена.`);
  return rows[0];
}

export async function readAssessment(em: EntityManager, principal: Principal, id: string) {
  const assessment = await findAssessment(em, id);
  assertCanReadRecipient(principal, await findRecipient(em, assessment.recipient_id));
  const programmes: ProgrammeRow[] = await em.execute(
    `select id, assessment_id, recipient_id, region_code, valid_from::text as valid_from, lines, drawn_by, drawn_at from certificates.programmes where assessment_id = ?`,
    [id],
  );
  return assessmentView(assessment, programmes[0]);
}

/** Assessments past their decision or programme deadline in the region, oldest deadline first. */
export async function listOverdue(em: EntityManager, principal: Principal, regionCode: string, today = todayInRussia()) {
  assertCaseworkerOf(principal, regionCode);
  const rows: AssessmentRow[] = await em.execute(
    `select ${ASSESSMENT_COLUMNS} from certificates.assessments
      where region_code = ? and ((status = 'open' and decision_due < ?) or (status = 'recognised' and programme_due < ?))
      order by case when status = 'open' then decision_due else programme_due end, id limit 500`,
    [regionCode, today, today],
  );
  return rows.map((a) => ({
    ...assessmentView(a),
    overdue: a.status === 'open' ? 'decision' : 'programme',
    due: a.status === 'open' ? a.decision_due : a.programme_due,
  }));
}

export function assessmentView(a: AssessmentRow, programme?: ProgrammeRow) {
  return {
    id: a.id,
    recipient_id: a.recipient_id,
    region_code: a.region_code,
    source: a.source,
    life_event_id: a.life_event_id,
    status: a.status,
    reason: a.reason,
    opened_on: a.opened_on,
    decision_due: a.decision_due,
    programme_due: a.programme_due,
    decided_by: a.decided_by,
    decided_at: isoOrNull(a.decided_at),
    refusal: a.refusal_code ? refusalView(a.refusal_code as RefusalCode) : null,
    programme: programme ? programmeView(programme) : null,
  };
}

export function programmeView(p: ProgrammeRow) {
  return { id: p.id, assessment_id: p.assessment_id, valid_from: p.valid_from, lines: p.lines, drawn_by: p.drawn_by, drawn_at: iso(p.drawn_at) };
}
