import { forbidden, notFound, withTransaction, type Principal } from '@esc/service-kit';
import * as store from '../data-access/deficit-store';
import type { DeficitRow, DemandRow, WaitingLineRow } from '../data-access/deficit-store';
import type { RegistrySupply } from '../clients/registry-client';
import { todayIn } from './business-date';
import { SYSTEM_PRINCIPAL, type Deps } from './context';

/**
 * The register of social deficits (the Ulyanovsk initiative's step 2): per district (OKTMO) ×
 * service × month, the demand the certificates and programmes show against the capacity the
 * registry admitted. The deficit is the unmet demand: the monthly volume still waiting (certificate
 * lines without an accepted booking, programme lines without a certificate) that the district's
 * free admitted capacity cannot take.
 */

export type { DeficitRow, WaitingLineRow };

const has = (p: Principal, role: string) => p.roles.includes(role as never);

/** The committee and finance officers of the region, the ministry (admin) and auditors. */
export function assertReadsDeficits(p: Principal, regionCode: string): void {
  if (has(p, 'admin') || has(p, 'auditor')) return;
  if ((has(p, 'committee') || has(p, 'finance')) && p.regionCode === regionCode) return;
  if (has(p, 'committee') || has(p, 'finance')) {
    throw forbidden(`Реестр социальных дефицитов региона ${regionCode} доступен комиссии и финансовому органу этого региона.`, 'outside_your_region');
  }
  throw forbidden('Реестр социальных дефицитов доступен комиссии по отбору, финансовому органу, министерству и контролю.');
}

/** Computing a month and setting the ranking's weights: the committee or finance of the region, or the ministry (admin). */
export function assertManagesDeficits(p: Principal, regionCode: string): void {
  if (has(p, 'admin')) return;
  if ((has(p, 'committee') || has(p, 'finance')) && p.regionCode === regionCode) return;
  throw forbidden(`Пересчитывать реестр дефицитов и задавать веса критериев региона ${regionCode} могут комиссия и финансовый орган этого региона.`, 'outside_your_region');
}

/** 'YYYY-MM' → its first and last day. */
export function monthBounds(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

export const monthOf = (date: string) => date.slice(0, 7);

/** Demand and supply of each district and service joined; the deficit is the waiting volume beyond the free capacity. */
export function composeDeficits(demand: DemandRow[], supply: RegistrySupply): DeficitRow[] {
  const services = new Map(supply.services.map((s) => [s.code, s]));
  const capacity = new Map(supply.items.map((i) => [`${i.district_code}|${i.service_code}`, i]));
  const rows = new Map<string, DeficitRow>();
  const empty = (district: string, service: string): DemandRow => ({
    district_code: district,
    service_code: service,
    recognised_people: 0,
    programme_volume: 0,
    lines_without_provider: 0,
    lines_waiting_booking: 0,
    uncertified_volume: 0,
    waiting_people: 0,
    vulnerable_people: 0,
    waiting_volume: 0,
    waiting_amount: '0.00',
    waiting_days_avg: null,
    waiting_days_max: null,
    categories: {},
  });
  const keys = new Set([...demand.map((d) => `${d.district_code}|${d.service_code}`), ...capacity.keys()]);
  const byKey = new Map(demand.map((d) => [`${d.district_code}|${d.service_code}`, d]));
  for (const key of keys) {
    const [district, service] = key.split('|') as [string, string];
    const d = byKey.get(key) ?? empty(district, service);
    const s = capacity.get(key);
    const cap = s?.capacity_per_month ?? 0;
    const booked = Math.min(s?.booked_per_month ?? 0, cap);
    const free = cap - booked;
    const catalog = services.get(service);
    rows.set(key, {
      ...d,
      service_name: catalog?.name ?? service,
      service_kind: catalog?.kind ?? 'other',
      providers: s?.providers.length ?? 0,
      capacity: cap,
      booked,
      free,
      deficit: Math.max(0, d.waiting_volume - free),
    });
  }
  return [...rows.values()].sort((a, b) => a.district_code.localeCompare(b.district_code) || a.service_code.localeCompare(b.service_code));
}

export type Change = 'new' | 'continuing' | 'resolved' | 'none';

export interface DeficitEntry extends DeficitRow {
  previous_deficit: number | null;
  change: Change;
}

/** Each row of the month beside the previous computed month: a deficit that appeared is new, one that went away is resolved. */
export function compareMonths(current: DeficitRow[], previous: DeficitRow[] | undefined): DeficitEntry[] {
  const before = new Map((previous ?? []).map((r) => [`${r.district_code}|${r.service_code}`, r]));
  const entries: DeficitEntry[] = current.map((row) => {
    const key = `${row.district_code}|${row.service_code}`;
    const was = before.get(key);
    before.delete(key);
    const had = (was?.deficit ?? 0) > 0;
    const change: Change = row.deficit > 0 ? (had ? 'continuing' : 'new') : had ? 'resolved' : 'none';
    return { ...row, previous_deficit: previous ? (was?.deficit ?? 0) : null, change };
  });
  // A deficit whose district and service left the register altogether is resolved as well.
  for (const was of before.values()) {
    if (was.deficit > 0) {
      entries.push({
        ...was,
        recognised_people: 0,
        programme_volume: 0,
        lines_without_provider: 0,
        lines_waiting_booking: 0,
        uncertified_volume: 0,
        waiting_people: 0,
        vulnerable_people: 0,
        waiting_volume: 0,
        waiting_amount: '0.00',
        waiting_days_avg: null,
        waiting_days_max: null,
        categories: {},
        providers: 0,
        capacity: 0,
        booked: 0,
        free: 0,
        deficit: 0,
        previous_deficit: was.deficit,
        change: 'resolved',
      });
    }
  }
  return entries.sort((a, b) => a.district_code.localeCompare(b.district_code) || a.service_code.localeCompare(b.service_code));
}

export interface ComputationSummary {
  region_code: string;
  month: string;
  computed_at: string;
  supply_as_of: string;
  rows: number;
  deficits: number;
  deficit_volume: number;
}

/** Computes a month's register from the certificates and the registry's admitted capacity; the month's earlier computation is replaced. */
export async function computeDeficits(deps: Deps, principal: Principal, input: { region_code: string; month?: string }): Promise<ComputationSummary> {
  if (principal !== SYSTEM_PRINCIPAL) assertManagesDeficits(principal, input.region_code);
  const today = todayIn(deps, input.region_code);
  const month = input.month ?? monthOf(today);
  const { from, to } = monthBounds(month);
  const asOf = today < to ? (today > from ? today : from) : to;
  // The registry is asked first: a failed call leaves the month's earlier computation in place.
  const supply = await deps.registry.supply(input.region_code);
  const computedAt = deps.clock().toISOString();
  const rows = await withTransaction(deps.orm.em.fork(), async (tx) => {
    const demand = await store.demandOf(tx, { regionCode: input.region_code, from, to, asOf });
    const composed = composeDeficits(demand, supply);
    await store.replaceMonth(tx, { region_code: input.region_code, month: from, computed_at: computedAt, computed_by: principal.subject, supply_as_of: supply.as_of }, composed);
    return composed;
  });
  const deficits = rows.filter((r) => r.deficit > 0);
  return {
    region_code: input.region_code,
    month,
    computed_at: computedAt,
    supply_as_of: supply.as_of,
    rows: rows.length,
    deficits: deficits.length,
    deficit_volume: deficits.reduce((sum, r) => sum + r.deficit, 0),
  };
}

/** The scheduled job: this month of every region with a budget programme. */
export async function computeCurrentMonths(deps: Deps): Promise<number> {
  let computed = 0;
  for (const region of await store.fundedRegions(deps.orm.em.fork())) {
    await computeDeficits(deps, SYSTEM_PRINCIPAL, { region_code: region });
    computed += 1;
  }
  return computed;
}

export interface DeficitRegister {
  region_code: string;
  month: string;
  computed_at: string;
  supply_as_of: string;
  previous_month: string | null;
  months: string[];
  items: DeficitEntry[];
}

const split = (list: string | undefined) => (list ? new Set(list.split(',')) : undefined);

/** A computed month (the latest by default) beside the one computed before it, filtered by services and districts. */
export async function readDeficits(
  deps: Deps,
  principal: Principal,
  input: { region_code: string; month?: string; service_code?: string; district_code?: string },
): Promise<DeficitRegister> {
  assertReadsDeficits(principal, input.region_code);
  const em = deps.orm.em.fork();
  const computed = await store.computedMonths(em, input.region_code);
  const index = input.month ? computed.findIndex((c) => monthOf(c.month) === input.month) : computed.length - 1;
  const computation = computed[index];
  if (!computation) {
    throw notFound(
      'deficits_not_computed',
      input.month
        ? `Реестр социальных дефицитов региона ${input.region_code} за ${input.month} не рассчитан. Рассчитайте его или выберите другой месяц.`
        : `Реестр социальных дефицитов региона ${input.region_code} ещё не рассчитывался.`,
      { region_code: input.region_code, month: input.month ?? null },
    );
  }
  const previous = computed[index - 1];
  const current = await store.deficitRowsOf(em, input.region_code, computation.month);
  const before = previous ? await store.deficitRowsOf(em, input.region_code, previous.month) : undefined;
  const services = split(input.service_code);
  const districts = split(input.district_code);
  const items = compareMonths(current, before).filter((r) => (!services || services.has(r.service_code)) && (!districts || districts.has(r.district_code)));
  return {
    region_code: input.region_code,
    month: monthOf(computation.month),
    computed_at: computation.computed_at,
    supply_as_of: computation.supply_as_of,
    previous_month: previous ? monthOf(previous.month) : null,
    months: computed.map((c) => monthOf(c.month)),
    items,
  };
}

/** Today's waiting list behind a district's figures: no names, only the certificate number, what it waits for and since when. */
export async function waitingList(
  deps: Deps,
  principal: Principal,
  input: { region_code: string; district_code: string; service_code?: string },
): Promise<{ items: WaitingLineRow[]; truncated: boolean }> {
  assertReadsDeficits(principal, input.region_code);
  const limit = 200;
  const rows = await store.waitingLinesOf(deps.orm.em.fork(), {
    regionCode: input.region_code,
    districtCode: input.district_code,
    serviceCode: input.service_code,
    today: todayIn(deps, input.region_code),
    limit: limit + 1,
  });
  return { items: rows.slice(0, limit), truncated: rows.length > limit };
}

export const CRITERIA = ['relevance', 'achievability', 'budget_coverage', 'social_effectiveness'] as const;
export type Criterion = (typeof CRITERIA)[number];
export type Weights = Record<Criterion, string>;
export const DEFAULT_WEIGHTS: Weights = { relevance: '1', achievability: '1', budget_coverage: '1', social_effectiveness: '1' };

export interface Cluster {
  key: string;
  district_code: string;
  service_kind: string;
  services: Array<{ code: string; name: string; deficit: number }>;
  deficit: number;
  waiting_people: number;
  waiting_volume: number;
  categories: Record<string, number>;
  criteria: Record<Criterion, number>;
  score: number;
  rank: number;
}

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((Math.min(part, whole) / whole) * 1000) / 1000 : 0);

/**
 * Deficits grouped by territory (district) and problem (the services' kind), each scored by the four
 * criteria of the regional initiative, every one a share from 0 to 1:
 * relevance — people waiting against the cluster with the most; achievability — free admitted capacity
 * of the same services in the region's other districts against the deficit; budget coverage — the part
 * of the waiting volume already carried by issued certificates; social effectiveness — the part of
 * the people waiting who belong to a recipient category (disability, dementia and others).
 * The score is the weighted mean; the highest ranks first.
 */
export function rankClusters(rows: DeficitRow[], weights: Weights): Cluster[] {
  const freeByService = new Map<string, number>();
  for (const r of rows) freeByService.set(r.service_code, (freeByService.get(r.service_code) ?? 0) + r.free);
  const groups = new Map<string, DeficitRow[]>();
  for (const r of rows.filter((x) => x.deficit > 0)) {
    const key = `${r.district_code}:${r.service_kind}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const drafts = [...groups.entries()].map(([key, members]) => {
    const sum = (pick: (r: DeficitRow) => number) => members.reduce((total, r) => total + pick(r), 0);
    const categories: Record<string, number> = {};
    for (const r of members) for (const [category, people] of Object.entries(r.categories)) categories[category] = (categories[category] ?? 0) + people;
    const deficit = sum((r) => r.deficit);
    const waitingVolume = sum((r) => r.waiting_volume);
    const waitingPeople = sum((r) => r.waiting_people);
    return {
      key,
      district_code: members[0]!.district_code,
      service_kind: members[0]!.service_kind,
      services: members.map((r) => ({ code: r.service_code, name: r.service_name, deficit: r.deficit })),
      deficit,
      waiting_people: waitingPeople,
      waiting_volume: waitingVolume,
      categories,
      freeElsewhere: sum((r) => (freeByService.get(r.service_code) ?? 0) - r.free),
      certifiedVolume: waitingVolume - sum((r) => r.uncertified_volume),
      vulnerable: sum((r) => r.vulnerable_people),
    };
  });
  const mostPeople = Math.max(0, ...drafts.map((d) => d.waiting_people));
  const w = CRITERIA.map((c) => Number(weights[c]));
  const totalWeight = w.reduce((a, b) => a + b, 0);
  const clusters = drafts.map(({ freeElsewhere, certifiedVolume, vulnerable, ...cluster }) => {
    const criteria: Record<Criterion, number> = {
      relevance: ratio(cluster.waiting_people, mostPeople),
      achievability: ratio(freeElsewhere, cluster.deficit),
      budget_coverage: ratio(certifiedVolume, cluster.waiting_volume),
      social_effectiveness: ratio(vulnerable, cluster.waiting_people),
    };
    const weighted = CRITERIA.reduce((total, c, i) => total + criteria[c] * w[i]!, 0);
    return { ...cluster, criteria, score: totalWeight > 0 ? Math.round((weighted / totalWeight) * 1000) / 1000 : 0, rank: 0 };
  });
  clusters.sort((a, b) => b.score - a.score || b.deficit - a.deficit || a.key.localeCompare(b.key));
  clusters.forEach((c, i) => (c.rank = i + 1));
  return clusters;
}

export interface WeightsView extends Weights {
  set_by: string | null;
  set_at: string | null;
}

export async function readWeights(deps: Deps, principal: Principal, input: { region_code: string }): Promise<WeightsView> {
  assertReadsDeficits(principal, input.region_code);
  const found = await store.weightsOf(deps.orm.em.fork(), input.region_code);
  return found ?? { ...DEFAULT_WEIGHTS, set_by: null, set_at: null };
}

export async function setWeights(deps: Deps, principal: Principal, input: { region_code: string } & Weights): Promise<WeightsView> {
  assertManagesDeficits(principal, input.region_code);
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    await store.saveWeights(tx, input.region_code, { ...pickWeights(input), set_by: principal.subject });
    return (await store.weightsOf(tx, input.region_code))!;
  });
}

const pickWeights = (input: Weights): Weights => ({
  relevance: input.relevance,
  achievability: input.achievability,
  budget_coverage: input.budget_coverage,
  social_effectiveness: input.social_effectiveness,
});

export interface ClusterRanking {
  region_code: string;
  month: string;
  weights: Weights;
  items: Cluster[];
}

/** The month's clusters ranked by the region's weights (equal weights until the region sets its own). */
export async function readClusters(deps: Deps, principal: Principal, input: { region_code: string; month?: string }): Promise<ClusterRanking> {
  const register = await readDeficits(deps, principal, input);
  const saved = await store.weightsOf(deps.orm.em.fork(), input.region_code);
  const weights = saved ? pickWeights(saved) : DEFAULT_WEIGHTS;
  return { region_code: input.region_code, month: register.month, weights, items: rankClusters(register.items, weights) };
}
