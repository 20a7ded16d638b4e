import type { PreparedQuery } from '../data-access/sql-client';
import { pgTextArray } from '../data-access/sql';

export interface SearchQuery {
  service?: string;
  district?: string;
  form?: string;
  accessibility: string[];
  minFreeCapacity: number;
  sort: 'rating' | 'distance' | 'name';
  lat?: number;
  lon?: number;
  page: number;
  perPage: number;
}

const ORDER = {
  rating: { distinct: 'e.rating, e.rating_count, e.name, e.provider_id', order: 'e.rating desc nulls last, e.rating_count desc, e.name, e.provider_id' },
  name: { distinct: 'e.name, e.provider_id', order: 'e.name, e.provider_id' },
} as const;

function filters(q: SearchQuery): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const clauses = [`e.free_capacity >= ${bind(q.minFreeCapacity)}`];
  if (q.service) clauses.push(`e.service_code = ${bind(q.service)}`);
  if (q.form) clauses.push(`e.form = ${bind(q.form)}`);
  if (q.district) clauses.push(`e.district_code = ${bind(q.district)}`);
  if (q.accessibility.length) clauses.push(`e.accessibility @> ${bind(pgTextArray(q.accessibility))}::text[]`);
  return { where: clauses.join(' and '), params };
}

type Card = { locations: Array<{ lat: number; lon: number }>; services: unknown[] } & Record<string, unknown>;

/** One page of cards (plus one, to know whether another page follows), in the asked order, in one round trip. */
async function pageCards(sql: PreparedQuery, q: SearchQuery): Promise<Card[]> {
  const { where, params } = filters(q);
  const n = params.length;
  const offset = (q.page - 1) * q.perPage;
  if (q.sort !== 'distance') {
    const { distinct, order } = ORDER[q.sort];
    const rows = await sql<{ card: Card }>(
      `select c.card from (
         select p.provider_id, row_number() over () as rn from (
           select distinct on (${distinct}) e.provider_id from registry.search_entries e where ${where} order by ${order}
            limit $${n + 1} offset $${n + 2}) p) page
       join registry.search_cards c on c.provider_id = page.provider_id order by page.rn`,
      [...params, q.perPage + 1, offset],
    );
    return rows.map((r) => r.card);
  }
  // Nearest locations first (KNN on the GiST index); a provider with several locations shows up
  // several times, so read more rows until enough distinct providers are found.
  const x = q.lon! * Math.cos((q.lat! * Math.PI) / 180);
  const wanted = offset + q.perPage + 1;
  for (let limit = wanted * 3; ; limit *= 4) {
    const rows = await sql<{ card: Card; scanned: string }>(
      `with knn as (
         select k.provider_id, row_number() over () as rn from (
           select e.provider_id from registry.search_entries e where ${where} order by e.pt <-> point($${n + 1}, $${n + 2}) limit $${n + 3}) k),
       page as (select provider_id, min(rn) as rn from knn group by provider_id order by 2 limit $${n + 4} offset $${n + 5})
       select c.card, (select count(*) from knn) as scanned from page join registry.search_cards c on c.provider_id = page.provider_id order by page.rn`,
      [...params, x, q.lat, limit, q.perPage + 1, offset],
    );
    const scanned = rows.length ? Number(rows[0]!.scanned) : 0;
    if (rows.length === q.perPage + 1 || scanned < limit) return rows.map((r) => r.card);
  }
}

function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(a));
}

/** Admitted providers of admitted services, one page, with what a citizen needs to choose. */
export async function searchProviders(sql: PreparedQuery, q: SearchQuery) {
  const cards = await pageCards(sql, q);
  const hasMore = cards.length > q.perPage;
  const items = cards.slice(0, q.perPage).map(({ locations, services, ...rest }) => {
    const distance =
      q.lat !== undefined && q.lon !== undefined && locations.length
        ? Math.round(Math.min(...locations.map((l) => haversineKm(q.lat!, q.lon!, l.lat, l.lon))) * 100) / 100
        : null;
    return { ...rest, distance_km: distance, locations, services };
  });
  return { items, next_page: hasMore ? q.page + 1 : null };
}

/**
 * Public search answers for a short time from memory: the same filters are asked again and again.
 * Any write handled by this process clears it; other instances' writes show within the TTL.
 */
export class SearchCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 5000,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.ttlMs <= 0) return load();
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = await load();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, expires: now + this.ttlMs });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
