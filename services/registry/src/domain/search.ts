import type { PreparedQuery } from '../data-access/sql-client';
import { pgTextArray } from '../data-access/sql';

export interface SearchQuery {
  service?: string;
  district?: string;
  form?: string;
  /** Provider types, any of which matches; empty means every type. */
  types: string[];
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
  if (q.types.length) clauses.push(`e.provider_type = any(${bind(pgTextArray(q.types))}::text[])`);
  if (q.accessibility.length) clauses.push(`e.accessibility @> ${bind(pgTextArray(q.accessibility))}::text[]`);
  return { where: clauses.join(' and '), params };
}

/** A card as stored (a JSON object's text) and, when a point was given, the distance to the provider's nearest location. */
interface CardRow {
  card: string;
  distance_km: string | null;
}

/** Great-circle distance (km, 2 decimals) from the point in $n, $n+1 to the nearest of a card's locations. */
const distanceSql = (n: number) => `(select round(min(2 * 6371 * asin(sqrt(
      sin(radians(l.lat - $${n}) / 2) ^ 2 + cos(radians($${n})) * cos(radians(l.lat)) * sin(radians(l.lon - $${n + 1}) / 2) ^ 2)))::numeric, 2)::text
    from unnest(c.lat, c.lon) as l(lat, lon))`;

/** One page of cards (plus one, to know whether another page follows), in the asked order, in one round trip. */
async function pageCards(sql: PreparedQuery, q: SearchQuery): Promise<CardRow[]> {
  const { where, params } = filters(q);
  const n = params.length;
  const offset = (q.page - 1) * q.perPage;
  const withPoint = q.lat !== undefined && q.lon !== undefined;
  if (q.sort !== 'distance') {
    const { distinct, order } = ORDER[q.sort];
    return sql<CardRow>(
      `select c.card, ${withPoint ? distanceSql(n + 3) : 'null'} as distance_km from (
         select p.provider_id, row_number() over () as rn from (
           select distinct on (${distinct}) e.provider_id from registry.search_entries e where ${where} order by ${order}
            limit $${n + 1} offset $${n + 2}) p) page
       join registry.search_cards c on c.provider_id = page.provider_id order by page.rn`,
      [...params, q.perPage + 1, offset, ...(withPoint ? [q.lat, q.lon] : [])],
    );
  }
  // Nearest locations first (KNN on the GiST index); a provider with several locations shows up
  // several times, so read more rows until enough distinct providers are found.
  const x = q.lon! * Math.cos((q.lat! * Math.PI) / 180);
  const wanted = offset + q.perPage + 1;
  for (let limit = wanted * 3; ; limit *= 4) {
    const rows = await sql<CardRow & { scanned: string }>(
      `with knn as (
         select k.provider_id, row_number() over () as rn from (
           select e.provider_id from registry.search_entries e where ${where} order by e.pt <-> point($${n + 1}, $${n + 2}) limit $${n + 3}) k),
       page as (select provider_id, min(rn) as rn from knn group by provider_id order by 2 limit $${n + 4} offset $${n + 5})
       select c.card, ${distanceSql(n + 6)} as distance_km, (select count(*) from knn) as scanned
         from page join registry.search_cards c on c.provider_id = page.provider_id order by page.rn`,
      [...params, x, q.lat, limit, q.perPage + 1, offset, q.lat, q.lon],
    );
    const scanned = rows.length ? Number(rows[0]!.scanned) : 0;
    if (rows.length === q.perPage + 1 || scanned < limit) return rows;
  }
}

/**
 * Admitted providers of admitted services, one page, with what a citizen needs to choose, as the
 * response's JSON text: the stored cards are spliced in, never parsed and serialised again.
 */
export async function searchProviders(sql: PreparedQuery, q: SearchQuery): Promise<string> {
  const rows = await pageCards(sql, q);
  const nextPage = rows.length > q.perPage ? q.page + 1 : null;
  const items = rows.slice(0, q.perPage).map((r) => `{"distance_km":${r.distance_km ?? 'null'},${r.card.slice(1)}`);
  return `{"items":[${items.join(',')}],"page":${q.page},"per_page":${q.perPage},"next_page":${nextPage}}`;
}

/**
 * Public search answers kept in memory with the version of the search rows they were read at
 * (raised by every change in the changing transaction). An answer is served again only to a request
 * whose own version read, begun after the request arrived, finds the same version: a committed
 * change, made by any instance, is visible to the next request. Least recently used answers go first.
 */
export class SearchCache<V> {
  private readonly entries = new Map<string, { version: bigint; value: V; expires: number }>();
  private readonly loading = new Map<string, Promise<V>>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 2000,
  ) {}

  /** `load` must read after `version` was read, so that what it reads is at least that version. */
  async get(key: string, version: string, load: () => Promise<V>): Promise<V> {
    const current = BigInt(version);
    const hit = this.entries.get(key);
    if (hit && hit.version === current && hit.expires > Date.now()) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const loadKey = `${version} ${key}`;
    const pending = this.loading.get(loadKey);
    if (pending) return pending;
    const expires = Date.now() + this.ttlMs;
    const promise = load().then(
      (value) => {
        this.loading.delete(loadKey);
        const kept = this.entries.get(key);
        if (!kept || kept.version <= current) {
          this.entries.delete(key);
          this.entries.set(key, { version: current, value, expires });
          if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
        }
        return value;
      },
      (err: unknown) => {
        this.loading.delete(loadKey);
        throw err;
      },
    );
    this.loading.set(loadKey, promise);
    return promise;
  }
}
