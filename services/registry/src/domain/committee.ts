import { conflict, forbidden, notFound, regionTimeLabel, withTransaction, type Principal } from '@esc/service-kit';
import * as store from '../data-access/committee-store';
import type { Deps } from './deps';
import { assertDecidesForRegion } from './provider-model';
import { type Appeal, type ApplicationStatus, type Decision, type Round } from './round-model';
import { roundOf } from './rounds';
import { regionTimeZone } from './clock';
import { audit } from '../data-access/audit-store';

/**
 * The committee's desk: a round's window opened or closed now, its final results published, the
 * appeals waiting for the committee with their deadlines, and the registry of providers of every status.
 */

/** Calendar days the committee has to decide an appeal once it is filed. */
export const APPEAL_REVIEW_DAYS = 10;

const DAY_MS = 86_400_000;

async function lockRound(tx: Parameters<typeof store.lockRoundRow>[0], principal: Principal, id: string) {
  const row = await store.lockRoundRow(tx, id);
  if (!row) throw notFound('round_not_found', `Отбор ${id} не найден.`, { round_id: id });
  assertDecidesForRegion(principal, row.region_code);
  return row;
}

/** Applications are taken from now on: only a round whose window has not begun yet. */
export async function openRoundNow(deps: Deps, principal: Principal, input: { id: string }): Promise<Round> {
  const now = deps.now();
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const row = await lockRound(tx, principal, input.id);
    if (now >= row.applications_open_at) {
      throw conflict('round_not_upcoming', `Приём заявок в этот отбор уже начался ${regionTimeLabel(row.applications_open_at, regionTimeZone(deps, row.region_code))}.`, {
        applications_open_at: row.applications_open_at.toISOString(),
      });
    }
    const before = { applications_open_at: row.applications_open_at.toISOString() };
    row.applications_open_at = now;
    await tx.flush();
    await audit(tx, principal, { action: 'round.opened_now', object_type: 'round', object_id: row.id, before, after: { applications_open_at: now.toISOString() } });
    return roundOf(row);
  });
}

/** No more applications from now on: only a round whose window is open. */
export async function closeRoundNow(deps: Deps, principal: Principal, input: { id: string }): Promise<Round> {
  const now = deps.now();
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const row = await lockRound(tx, principal, input.id);
    if (now < row.applications_open_at || now > row.applications_close_at) {
      throw conflict('round_not_open', `Приём заявок в этот отбор сейчас не идёт: он открыт с ${regionTimeLabel(row.applications_open_at, regionTimeZone(deps, row.region_code))} по ${regionTimeLabel(row.applications_close_at, regionTimeZone(deps, row.region_code))}.`, {
        applications_open_at: row.applications_open_at.toISOString(),
        applications_close_at: row.applications_close_at.toISOString(),
      });
    }
    const before = { applications_close_at: row.applications_close_at.toISOString() };
    row.applications_close_at = now;
    await tx.flush();
    await audit(tx, principal, { action: 'round.closed_now', object_type: 'round', object_id: row.id, before, after: { applications_close_at: now.toISOString() } });
    return roundOf(row);
  });
}

/**
 * The final results: once the window is closed and nothing awaits the committee (no application to
 * score, no appeal to decide). Publishing again answers the first publication.
 */
export async function publishRoundResults(deps: Deps, principal: Principal, input: { id: string }): Promise<Round> {
  const now = deps.now();
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const row = await lockRound(tx, principal, input.id);
    if (row.results_published_at) return roundOf(row);
    const pending = await store.pendingApplications(tx, row.id);
    if (now <= row.applications_close_at || pending > 0) {
      throw conflict(
        'round_not_decided',
        now <= row.applications_close_at
          ? `Итоги публикуются после окончания приёма заявок (${regionTimeLabel(row.applications_close_at, regionTimeZone(deps, row.region_code))}); закройте приём, если он должен закончиться раньше.`
          : `Не все заявки рассмотрены: ждут решения комиссии — ${pending}.`,
        { pending, applications_close_at: row.applications_close_at.toISOString() },
      );
    }
    row.results_published_at = now;
    await tx.flush();
    await audit(tx, principal, { action: 'round.results_published', object_type: 'round', object_id: row.id, after: { results_published_at: now.toISOString() } });
    return roundOf(row);
  });
}

const SEES_THE_DESK = ['committee', 'admin', 'auditor'] as const;

/** The committee reads its own region; admins and auditors every region (or the one they ask for). */
function deskRegion(principal: Principal, asked: string | undefined): string | undefined {
  if (!SEES_THE_DESK.some((r) => principal.roles.includes(r))) throw forbidden('Раздел доступен комиссии по отбору и контролю.', 'forbidden');
  if (principal.roles.includes('admin') || principal.roles.includes('auditor')) return asked;
  return principal.regionCode ?? '—';
}

export interface AppealItem {
  application_id: string;
  round_id: string;
  round_title: string;
  provider_id: string;
  provider_name: string;
  status: ApplicationStatus;
  appeal: Appeal;
  /** ISO 8601: the committee decides by then. */
  respond_by: string;
  overdue: boolean;
  /** The refusal appealed against (the decision before the appeal). */
  appealed_decision: Decision | null;
  /** The decision on the appeal, once made. */
  decision: Decision | null;
}

/** Appeals of the committee's region: pending ones first by their deadline, or the decided ones. */
export async function appealQueue(deps: Deps, principal: Principal, input: { region?: string; state: 'pending' | 'decided' }): Promise<AppealItem[]> {
  const region = deskRegion(principal, input.region);
  const now = deps.now();
  const rows = await store.appealRows(deps.orm.em.fork(), { region, pending: input.state === 'pending' });
  return rows.map((r) => {
    const respondBy = new Date(new Date(r.appeal.filed_at).getTime() + APPEAL_REVIEW_DAYS * DAY_MS);
    const pending = r.status === 'appealed';
    return {
      application_id: r.application_id,
      round_id: r.round_id,
      round_title: r.round_title,
      provider_id: r.provider_id,
      provider_name: r.provider_name,
      status: r.status,
      appeal: r.appeal,
      respond_by: respondBy.toISOString(),
      overdue: pending && now > respondBy,
      appealed_decision: pending ? r.decision : (r.appeal.previous_decision ?? null),
      decision: pending ? null : r.decision,
    };
  });
}

/** Every provider of the region, of any status (the public search shows only admitted ones). */
export type RegistryProvider = store.RegistryProviderRow;

export async function providerRegistry(deps: Deps, principal: Principal, input: { region?: string; statuses: string[]; q?: string }): Promise<RegistryProvider[]> {
  const region = deskRegion(principal, input.region);
  const q = input.q?.trim() ? input.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`) : undefined;
  return store.registryProviderRows(deps.orm.em.fork(), { region, statuses: input.statuses, q });
}
