import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { AppError, conflict, forbidden, notFound, withTransaction, writeOutboxEvent, type EntityManager, type Principal } from '@esc/service-kit';
import * as catalogStore from '../data-access/catalog-store';
import type { ApplicationRow, RoundRow } from '../data-access/entities';
import * as providerStore from '../data-access/provider-store';
import * as store from '../data-access/round-store';
import { REGISTRY_SCHEMA } from '../data-access/schema';
import { refreshSearchEntries } from '../data-access/search-index';
import { regionTimeZone, todayIn } from './clock';
import type { Deps } from './deps';
import { assertDecidesForRegion, type Provider } from './provider-model';
import { changeStatus, loadProvider } from './providers';
import {
  assertAppealAllowed,
  assertApplicationWindowOpen,
  assertCanReadApplication,
  publicRoundStatus,
  seesEveryApplication,
  type Application,
  type Decision,
  type PublicRoundStatus,
  type Round,
  type RoundInput,
} from './round-model';
import { checkFormal, scoreApplication, withComments } from './round-scoring';
import { audit } from '../data-access/audit-store';

export function roundOf(row: RoundRow): Round {
  return {
    id: row.id,
    title: row.title,
    region_code: row.region_code,
    territory: row.territory,
    service_codes: row.service_codes,
    applications_open_at: row.applications_open_at,
    applications_close_at: row.applications_close_at,
    appeal_window_days: row.appeal_window_days,
    formal_criteria: row.formal_criteria,
    scored_criteria: row.scored_criteria,
    // numeric(10,2) reads back as "40.00"; the round (and every decision it makes) says "40".
    threshold: new Decimal(row.threshold).toString(),
    sonko_preference_points: new Decimal(row.sonko_preference_points).toString(),
    results_published_at: row.results_published_at ?? null,
    created_by: row.created_by,
    created_at: row.created_at,
  };
}

export async function loadRound(em: EntityManager, id: string): Promise<Round> {
  const row = await store.findRoundRow(em, id);
  if (!row) throw notFound('round_not_found', `Отбор ${id} не найден.`, { round_id: id });
  return roundOf(row);
}

async function loadApplication(em: EntityManager, roundId: string, id: string, lock = false): Promise<ApplicationRow> {
  const row = await store.findApplicationRow(em, roundId, id, lock);
  if (!row) throw notFound('application_not_found', `Заявка ${id} в отборе ${roundId} не найдена.`, { application_id: id });
  return row;
}

export async function openRound(deps: Deps, principal: Principal, input: RoundInput): Promise<Round> {
  assertDecidesForRegion(principal, input.region_code);
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const known = await catalogStore.knownServiceCodes(tx, input.service_codes);
    const unknown = input.service_codes.filter((c) => !known.includes(c));
    if (unknown.length) {
      throw new AppError('unprocessable', 'unknown_service', `В перечне нет услуг с кодами: ${unknown.join(', ')}.`, { unknown });
    }
    const row = store.addRound(tx, {
      id: randomUUID(),
      title: input.title,
      region_code: input.region_code,
      territory: input.territory,
      service_codes: input.service_codes,
      applications_open_at: new Date(input.applications_open_at),
      applications_close_at: new Date(input.applications_close_at),
      appeal_window_days: input.appeal_window_days,
      formal_criteria: input.formal_criteria,
      scored_criteria: input.scored_criteria,
      threshold: input.threshold,
      sonko_preference_points: input.sonko_preference_points,
      created_by: principal.subject,
    });
    await tx.flush();
    const round = roundOf(row);
    await audit(tx, principal, { action: 'round.opened', object_type: 'round', object_id: round.id, after: round });
    return round;
  });
}

export async function getRound(deps: Deps, _principal: Principal, input: { id: string }): Promise<Round> {
  return loadRound(deps.orm.em.fork(), input.id);
}

export async function listRounds(deps: Deps, _principal: Principal, _input: Record<string, never> = {}): Promise<Round[]> {
  return (await store.roundRows(deps.orm.em.fork())).map(roundOf);
}

/** The formal check of `serviceCodes` for the provider, on the civil date `date`. */
async function checkFormalOf(tx: EntityManager, round: Round, provider: Provider, serviceCodes: string[], date: string) {
  const licensedServices = await catalogStore.servicesNeedingLicence(tx, serviceCodes);
  const uploadedDocuments = await providerStore.documentsOf(tx, provider.id);
  return checkFormal(round, provider, { licensedServices, uploadedDocuments, date });
}

export async function applyToRound(deps: Deps, principal: Principal, input: { roundId: string; serviceCodes: string[] }): Promise<Application> {
  if (!principal.providerId) throw forbidden('Подать заявку может только администратор зарегистрированного поставщика.', 'no_provider_claim');
  const providerId = principal.providerId;
  const { roundId, serviceCodes } = input;
  const now = deps.now();
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const round = await loadRound(tx, roundId);
    assertApplicationWindowOpen(round, now, regionTimeZone(deps, round.region_code));
    const provider = await loadProvider(tx, providerId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'provider_not_found') {
        throw new AppError('unprocessable', 'provider_not_registered', 'Сначала зарегистрируйте организацию в реестре поставщиков, затем подайте заявку.');
      }
      throw err;
    });
    if (provider.status === 'excluded' || provider.status === 'suspended') {
      throw conflict('provider_not_eligible', `Поставщик в статусе «${provider.status}» не может участвовать в отборе.`, { provider_status: provider.status });
    }
    const outside = serviceCodes.filter((c) => !round.service_codes.includes(c));
    const notOffered = serviceCodes.filter((c) => !provider.services.some((s) => s.service_code === c));
    if (outside.length || notOffered.length) {
      throw new AppError(
        'unprocessable',
        'services_not_applicable',
        [
          outside.length ? `Услуги ${outside.join(', ')} не входят в этот отбор.` : '',
          notOffered.length ? `Услуги ${notOffered.join(', ')} не указаны в сведениях о поставщике; добавьте их с объёмом в месяц.` : '',
        ]
          .filter(Boolean)
          .join(' '),
        { not_in_round: outside, not_offered: notOffered },
      );
    }
    const existing = await store.findApplicationOf(tx, roundId, providerId);
    if (existing) throw conflict('already_applied', 'Ваша заявка в этот отбор уже подана.', { application_id: existing.id });
    const date = todayIn(deps, round.region_code, now);
    const formal = await checkFormalOf(tx, round, provider, serviceCodes, date);
    const failed = formal.some((c) => c.result === 'fail');
    const decision = failed ? scoreApplication(round, provider, formal, {}, { date, actor: 'system:formal-check', decidedAt: now }) : null;
    const application = store.addApplication(tx, {
      id: randomUUID(),
      round_id: roundId,
      provider_id: providerId,
      service_codes: serviceCodes,
      status: failed ? 'refused' : 'awaiting_scoring',
      formal_results: formal,
      decision,
      decided_at: decision && now,
      appeal: null,
      submitted_by: principal.subject,
    });
    await tx.flush();
    if (!failed && provider.status === 'applicant') {
      await changeStatus(tx, providerId, 'under_review', `Заявка на участие в отборе «${round.title}» прошла формальную проверку`, 'system:formal-check');
    }
    return application;
  });
}

export async function listApplications(deps: Deps, principal: Principal, input: { roundId: string }): Promise<Application[]> {
  const seesAll = seesEveryApplication(principal);
  if (!seesAll && !principal.providerId) throw forbidden('Заявки видят комиссия по отбору и подавшие их поставщики.', 'not_your_application');
  const em = deps.orm.em.fork();
  await loadRound(em, input.roundId);
  return store.applicationRowsOf(em, input.roundId, seesAll ? undefined : principal.providerId);
}

export async function getApplication(deps: Deps, principal: Principal, input: { roundId: string; applicationId: string }): Promise<Application> {
  const application = await loadApplication(deps.orm.em.fork(), input.roundId, input.applicationId);
  assertCanReadApplication(principal, application);
  return application;
}

/** Admits the provider for the applied services in the round's territory, and says so to other services. */
async function admit(tx: EntityManager, round: Round, application: Application, actor: string): Promise<void> {
  await providerStore.admitOfferedServices(tx, application.provider_id, application.service_codes, round.territory);
  const provider = await loadProvider(tx, application.provider_id);
  const reason = `Решение комиссии по отбору «${round.title}»`;
  if (provider.status === 'under_review' || provider.status === 'applicant') {
    if (provider.status === 'applicant') await changeStatus(tx, provider.id, 'under_review', reason, actor);
    await changeStatus(tx, provider.id, 'admitted', reason, actor);
  } else {
    await writeOutboxEvent(tx, REGISTRY_SCHEMA, 'provider.admitted', {
      provider_id: provider.id,
      from_status: provider.status,
      status: provider.status,
      reason,
      actor,
      services: provider.services.filter((s) => s.admitted).map((s) => ({ service_code: s.service_code, admitted_territory: s.admitted_territory })),
    });
  }
  await refreshSearchEntries(tx, provider.id);
}

/**
 * Tells the provider's people the committee's decision (round.application_decided, or
 * round.appeal_decided), in the transaction that records it: admitted, or refused with what to fix,
 * until when and how to appeal.
 */
async function writeDecisionNotice(tx: EntityManager, topic: 'round.application_decided' | 'round.appeal_decided', round: Round, application: Application): Promise<void> {
  const decision = application.decision!;
  await writeOutboxEvent(tx, REGISTRY_SCHEMA, topic, {
    application_id: application.id,
    round_id: round.id,
    round_title: round.title,
    region_code: round.region_code,
    provider_id: application.provider_id,
    service_codes: application.service_codes,
    outcome: decision.outcome,
    total_points: decision.total_points,
    threshold: decision.threshold,
    reason: decision.reason ?? null,
    refusal: decision.refusal
      ? { reason: decision.refusal.reason, what_to_fix: decision.refusal.what_to_fix, appeal_deadline: decision.refusal.appeal_deadline, how_to_appeal: decision.refusal.how_to_appeal }
      : null,
  });
}

export async function decideApplication(
  deps: Deps,
  principal: Principal,
  input: { roundId: string; applicationId: string; scores: Record<string, number>; comments?: Record<string, string> },
): Promise<Application> {
  const now = deps.now();
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const round = await loadRound(tx, input.roundId);
    assertDecidesForRegion(principal, round.region_code);
    const application = await loadApplication(tx, input.roundId, input.applicationId, true);
    if (application.status !== 'awaiting_scoring') {
      throw conflict('application_already_decided', `По заявке уже принято решение (статус «${application.status}»).`, { application_status: application.status });
    }
    const provider = await loadProvider(tx, application.provider_id);
    const decision = withComments(
      scoreApplication(round, provider, application.formal_results, input.scores, { date: todayIn(deps, round.region_code, now), actor: principal.subject, decidedAt: now }),
      round,
      input.comments,
    );
    application.status = decision.outcome;
    application.decision = decision;
    application.decided_at = now;
    await tx.flush();
    if (decision.outcome === 'admitted') await admit(tx, round, application, principal.subject);
    await writeDecisionNotice(tx, 'round.application_decided', round, application);
    await audit(tx, principal, decisionAudit('application.decided', application, 'awaiting_scoring'));
    return application;
  });
}

export async function fileAppeal(deps: Deps, principal: Principal, input: { roundId: string; applicationId: string; reason: string }): Promise<Application> {
  const now = deps.now();
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const application = await loadApplication(tx, input.roundId, input.applicationId, true);
    const round = await loadRound(tx, input.roundId);
    assertAppealAllowed(principal, application, now, regionTimeZone(deps, round.region_code));
    application.status = 'appealed';
    application.appeal = { reason: input.reason, filed_at: now.toISOString(), filed_by: principal.subject };
    return application;
  });
}

/** The appeal is decided again from the provider's current data, with the committee's reason recorded. */
export async function decideAppeal(
  deps: Deps,
  principal: Principal,
  input: { roundId: string; applicationId: string; reason: string; scores: Record<string, number>; comments?: Record<string, string> },
): Promise<Application> {
  const now = deps.now();
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const round = await loadRound(tx, input.roundId);
    assertDecidesForRegion(principal, round.region_code);
    const application = await loadApplication(tx, input.roundId, input.applicationId, true);
    if (application.status !== 'appealed' || !application.appeal) {
      throw conflict('appeal_not_pending', 'По этой заявке нет апелляции, ожидающей решения.', { application_status: application.status });
    }
    const provider = await loadProvider(tx, application.provider_id);
    const date = todayIn(deps, round.region_code, now);
    const formal = await checkFormalOf(tx, round, provider, application.service_codes, date);
    const decision: Decision = {
      ...withComments(scoreApplication(round, provider, formal, input.scores, { date, actor: principal.subject, decidedAt: now }), round, input.comments),
      reason: input.reason,
    };
    // The appeal does not open a new window: a refusal on appeal keeps the first deadline.
    if (decision.refusal) decision.refusal.appeal_deadline = application.decision!.refusal!.appeal_deadline;
    application.appeal = { ...application.appeal, previous_decision: application.decision! };
    application.status = decision.outcome === 'admitted' ? 'admitted' : 'appeal_rejected';
    application.formal_results = formal;
    application.decision = decision;
    application.decided_at = now;
    await tx.flush();
    if (decision.outcome === 'admitted') await admit(tx, round, application, principal.subject);
    await writeDecisionNotice(tx, 'round.appeal_decided', round, application);
    await audit(tx, principal, decisionAudit('appeal.decided', application, 'appealed'));
    return application;
  });
}

export interface RoundResults {
  round: Round;
  items: Array<{ provider_id: string; provider_name: string; decision: Decision }>;
}

/** Published results: who was admitted or refused, with totals, for anyone to read. */
export async function roundResults(deps: Deps, _principal: Principal, input: { roundId: string }): Promise<RoundResults> {
  const em = deps.orm.em.fork();
  const round = await loadRound(em, input.roundId);
  const rows = await store.publishedResults(em, input.roundId);
  return { round, items: rows.map((r) => ({ provider_id: r.provider_id, provider_name: r.name, decision: r.decision })) };
}

export interface PublicRound extends Omit<store.PublicRoundRow, 'applications' | 'pending' | 'published'> {
  status: PublicRoundStatus;
  /** At least one decision is published (decisions not under appeal). */
  results_published: boolean;
}

/** Every round (of one region, when asked), newest window first, with where it stands for the public. */
export async function listPublicRounds(deps: Deps, _principal: Principal, input: { region?: string; statuses: PublicRoundStatus[] }): Promise<PublicRound[]> {
  const now = deps.now();
  const rows = await store.publicRoundRows(deps.orm.em.fork(), input.region);
  return rows
    .map(({ applications, pending, published, ...r }): PublicRound => ({
      ...r,
      status: publicRoundStatus(r, { applications, pending }, now),
      results_published: published > 0,
    }))
    .filter((r) => input.statuses.length === 0 || input.statuses.includes(r.status));
}

function decisionAudit(action: string, application: Application, before: Application['status']) {
  const decision = application.decision!;
  return {
    action,
    object_type: 'application',
    object_id: application.id,
    before: { status: before },
    after: { status: application.status, outcome: decision.outcome, total_points: decision.total_points, criteria: decision.criteria, reason: decision.reason ?? null },
  };
}
