import { randomUUID } from 'node:crypto';
import { AppError, conflict, notFound, unprocessable, withTransaction, type EntityManager, type Principal } from '@esc/service-kit';
import * as store from '../data-access/assessment-store';
import type { Assessment, AssessmentSource, Programme, ProgrammeLine } from '../data-access/assessment-store';
import type { RegistryService } from '../clients/registry-client';
import { assertCanReadRecipient, assertCaseworkerOf } from './access';
import type { Deps } from './context';
import { findRecipient } from './recipients';
import { recordRefusal, type RefusalCode } from './refusals';
import { addWorkingDays } from './working-days';
import { todayIn } from './business-date';
import { audit } from '../data-access/audit-store';
import { writeRecipientNoticeEvent } from '../data-access/notice-event-store';

export type { Assessment, Programme, ProgrammeLine };
/** The names the rest of the service reads these by. */
export type AssessmentRow = Assessment;
export type ProgrammeRow = Programme;

export const ASSESSMENT_REFUSAL_CODES = ['not_in_need', 'documents_incomplete', 'not_resident'] as const satisfies readonly RefusalCode[];
export type AssessmentRefusalCode = (typeof ASSESSMENT_REFUSAL_CODES)[number];

/** 442-FZ art. 15: the decision within 5 working days, the individual programme within 10. */
export const DECISION_WORKING_DAYS = 5;
export const PROGRAMME_WORKING_DAYS = 10;
export const MAX_PROGRAMME_MONTHS = 12;

/** A programme line as the case worker (or a bulk file) asks for it. */
export interface RequestedLine {
  service_code: string;
  volume_per_month: number;
  months: number;
}

export function assessmentDeadlines(openedOn: string): { decision_due: string; programme_due: string } {
  return { decision_due: addWorkingDays(openedOn, DECISION_WORKING_DAYS), programme_due: addWorkingDays(openedOn, PROGRAMME_WORKING_DAYS) };
}

export type DecisionInput = { decision: 'recognised' | 'refused'; refusal_code?: AssessmentRefusalCode; comment?: string | null };

/** What a decision changes on an open assessment; a decided one, or a refusal without its code, is refused. */
export function decide(
  assessment: Pick<Assessment, 'status'>,
  input: DecisionInput,
  decidedBy: string,
  at: Date,
): Pick<Assessment, 'status' | 'refusal_code' | 'decided_by' | 'decided_at'> {
  if (assessment.status !== 'open') {
    throw conflict('assessment_already_decided', `Решение по обследованию уже принято (${assessment.status}).`);
  }
  if (input.decision === 'refused' && !input.refusal_code) {
    throw new AppError('validation', 'validation_failed', 'Для отказа укажите код причины.', {}, [{ field: 'refusal_code', message: 'обязателен при отказе' }]);
  }
  return { status: input.decision, refusal_code: input.decision === 'refused' ? input.refusal_code! : null, decided_by: decidedBy, decided_at: at };
}

/** A programme is drawn once, and only for a person recognised as in need. */
export function assertProgrammeCanBeDrawn(assessment: Pick<Assessment, 'status'>): void {
  if (assessment.status === 'programme_drawn') throw conflict('programme_already_drawn', 'Индивидуальная программа по этому обследованию уже составлена.');
  if (assessment.status !== 'recognised') {
    throw conflict('assessment_not_recognised', 'Индивидуальную программу составляют только после решения о признании нуждающимся.');
  }
}

export type CatalogCheck =
  | { line: ProgrammeLine; code?: undefined }
  | { code: 'unknown_service'; detail: string }
  | { code: 'volume_beyond_standard'; detail: string; max_volume_per_month: number };

/** A requested line against the catalog: the service must exist and the volume stay within its standard. */
export function lineFromCatalog(requested: RequestedLine, service: RegistryService | undefined): CatalogCheck {
  if (!service) return { code: 'unknown_service', detail: `В перечне услуг нет услуги с кодом ${requested.service_code}.` };
  const max = typeof service.standard.max_volume_per_month === 'number' ? service.standard.max_volume_per_month : null;
  if (max !== null && requested.volume_per_month > max) {
    return {
      code: 'volume_beyond_standard',
      detail: `Объём «${service.name}» — ${requested.volume_per_month} в месяц — больше предельного по стандарту услуги (${max} в месяц).`,
      max_volume_per_month: max,
    };
  }
  return {
    line: {
      service_code: requested.service_code,
      volume_per_month: requested.volume_per_month,
      months: requested.months,
      service_name: service.name,
      form: service.form,
      unit: service.unit,
      max_volume_per_month: max,
    },
  };
}

export async function findAssessment(em: EntityManager, id: string): Promise<Assessment> {
  const assessment = await store.findAssessmentById(em, id);
  if (!assessment) throw notFound('assessment_not_found', `Обследование ${id} не найдено.`);
  return assessment;
}

async function lockAssessment(tx: EntityManager, id: string): Promise<Assessment> {
  const assessment = await store.lockAssessment(tx, id);
  if (!assessment) throw notFound('assessment_not_found', `Обследование ${id} не найдено.`);
  return assessment;
}

/** Opens an assessment in the caller's transaction (a life event's, say); written at once. Answers its id. */
export async function insertAssessment(
  em: EntityManager,
  a: { id?: string; recipientId: string; regionCode: string; source: AssessmentSource; lifeEventId?: string | null; reason: string | null; openedBy: string; openedOn: string },
): Promise<string> {
  const openedOn = a.openedOn;
  const created = await store.insertAssessment(em, {
    id: a.id ?? randomUUID(),
    recipient_id: a.recipientId,
    region_code: a.regionCode,
    source: a.source,
    life_event_id: a.lifeEventId ?? null,
    status: 'open',
    reason: a.reason,
    opened_by: a.openedBy,
    opened_on: openedOn,
    ...assessmentDeadlines(openedOn),
    decided_by: null,
    decided_at: null,
    refusal_code: null,
  });
  return created.id;
}

export async function openAssessment(deps: Deps, principal: Principal, input: { recipient_id: string; reason?: string | null }): Promise<Assessment> {
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const recipient = await findRecipient(tx, input.recipient_id);
    assertCaseworkerOf(principal, recipient.region_code);
    const [underWay] = await store.lockAssessmentsUnderWay(tx, recipient.id);
    if (underWay) {
      throw conflict('assessment_already_open', 'По этому получателю уже идёт обследование; завершите его, прежде чем открывать новое.', { assessment_id: underWay.id });
    }
    const id = await insertAssessment(tx, { recipientId: recipient.id, regionCode: recipient.region_code, source: 'application', reason: input.reason ?? null, openedBy: principal.subject, openedOn: todayIn(deps, recipient.region_code) });
    return findAssessment(tx, id);
  });
}

export async function decideAssessment(deps: Deps, principal: Principal, input: DecisionInput & { id: string }): Promise<Assessment> {
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const assessment = await lockAssessment(tx, input.id);
    assertCaseworkerOf(principal, assessment.region_code);
    const before = { status: assessment.status };
    const decision = decide(assessment, input, principal.subject, new Date());
    if (decision.status === 'refused') {
      await recordRefusal(tx, {
        recipientId: assessment.recipient_id,
        regionCode: assessment.region_code,
        subjectKind: 'assessment',
        subjectId: assessment.id,
        code: input.refusal_code!,
        reason: input.comment ?? undefined,
        notify: true,
      });
    } else {
      await writeRecipientNoticeEvent(tx, 'assessment.recognised', assessment.recipient_id, {
        assessment_id: assessment.id,
        region_code: assessment.region_code,
        programme_due: assessment.programme_due,
      });
    }
    await audit(tx, principal, {
      action: 'assessment.decided',
      object_type: 'assessment',
      object_id: assessment.id,
      on_behalf_of: assessment.recipient_id,
      before,
      after: { status: decision.status, refusal_code: input.refusal_code ?? null, comment: input.comment ?? null },
    });
    return Object.assign(assessment, decision);
  });
}

/**
 * Draws the individual programme of a recognised person: every line checked against the catalog
 * (asked before the transaction, line by line), then written with the assessment locked.
 */
export async function drawProgramme(deps: Deps, principal: Principal, input: { assessment_id: string; valid_from?: string; lines: RequestedLine[] }): Promise<Programme> {
  const em = deps.orm.em.fork();
  const assessment = await findAssessment(em, input.assessment_id);
  assertCaseworkerOf(principal, assessment.region_code);
  const codes = new Set<string>();
  const lines: ProgrammeLine[] = [];
  for (const [index, requested] of input.lines.entries()) {
    if (codes.has(requested.service_code)) {
      throw new AppError('validation', 'validation_failed', `Услуга ${requested.service_code} указана в программе дважды; объедините строки.`, {}, [
        { field: `lines[${index}].service_code`, message: 'повторяется' },
      ]);
    }
    codes.add(requested.service_code);
    const checked = lineFromCatalog(requested, await deps.registry.service(requested.service_code));
    if (checked.code === 'unknown_service') throw unprocessable(checked.code, checked.detail, { field: `lines[${index}].service_code` });
    if (checked.code === 'volume_beyond_standard') {
      throw new AppError('unprocessable', checked.code, checked.detail, { field: `lines[${index}].volume_per_month`, max_volume_per_month: checked.max_volume_per_month });
    }
    lines.push(checked.line);
  }

  return withTransaction(em, async (tx) => {
    const current = await lockAssessment(tx, input.assessment_id);
    assertProgrammeCanBeDrawn(current);
    const programme = store.addProgramme(tx, {
      id: randomUUID(),
      assessment_id: current.id,
      recipient_id: current.recipient_id,
      region_code: current.region_code,
      valid_from: input.valid_from ?? todayIn(deps, current.region_code),
      lines,
      drawn_by: principal.subject,
    });
    current.status = 'programme_drawn';
    await writeRecipientNoticeEvent(tx, 'programme.drawn', current.recipient_id, {
      programme_id: programme.id,
      assessment_id: current.id,
      region_code: current.region_code,
      valid_from: programme.valid_from,
      services: lines.map((l) => ({ service_name: l.service_name, volume_per_month: l.volume_per_month, unit: l.unit, months: l.months })),
    });
    await audit(tx, principal, {
      action: 'programme.drawn',
      object_type: 'programme',
      object_id: programme.id,
      on_behalf_of: current.recipient_id,
      after: { assessment_id: current.id, valid_from: programme.valid_from, lines: lines.map((l) => ({ service_code: l.service_code, volume_per_month: l.volume_per_month })) },
    });
    return programme;
  });
}

export async function findProgramme(em: EntityManager, id: string): Promise<Programme> {
  const programme = await store.findProgrammeById(em, id);
  if (!programme) throw notFound('programme_not_found', `Индивидуальная программа ${id} не найдена.`);
  return programme;
}

export async function readAssessment(deps: Deps, principal: Principal, input: { id: string }): Promise<{ assessment: Assessment; programme: Programme | null }> {
  const em = deps.orm.em.fork();
  const assessment = await findAssessment(em, input.id);
  assertCanReadRecipient(principal, await findRecipient(em, assessment.recipient_id));
  return { assessment, programme: await store.programmeOfAssessment(em, assessment.id) };
}

const OVERDUE_PAGE = 500;

/** Assessments past their decision or programme deadline in the region, oldest deadline first. */
export async function listOverdue(deps: Deps, principal: Principal, input: { region_code: string; today?: string }): Promise<Assessment[]> {
  assertCaseworkerOf(principal, input.region_code);
  return store.overdueAssessments(deps.orm.em.fork(), input.region_code, input.today ?? todayIn(deps, input.region_code), OVERDUE_PAGE);
}

/** Which deadline an overdue assessment missed. */
export function missedDeadline(a: Pick<Assessment, 'status' | 'decision_due' | 'programme_due'>): { overdue: 'decision' | 'programme'; due: string } {
  return a.status === 'open' ? { overdue: 'decision', due: a.decision_due } : { overdue: 'programme', due: a.programme_due };
}
