import { sqlOf, type EntityManager } from '@esc/service-kit';
import type { SearchCard, SearchQuery } from '../domain/deps';
import type { PreparedQuery } from './sql-client';

/**
 * Whether location `l` lies in the territory a round admitted service `ps` for (an OKTMO code or a
 * prefix of it); no territory recorded means everywhere.
 */
const IN_ADMITTED_TERRITORY = `(cardinality(ps.admitted_territory) = 0 or exists (
    select 1 from unnest(ps.admitted_territory) t where l.district_code like t || '%'))`;

/**
 * Units a month the public can still book: a provider that lowered its capacity below what is already
 * booked has none free, not a negative number (booked_per_month itself stays as booked).
 */
const FREE_CAPACITY = 'greatest(ps.capacity_per_month - ps.booked_per_month, 0)';

/**
 * The public search reads one denormalised row per admitted provider × admitted service × location
 * in the territory the service was admitted for, so that every filter and sort is an index scan
 * that can stop after one page. `pt` is an equirectangular projection (x = lon·cos lat, y = lat)
 * for nearest-first KNN ordering.
 */
export const SEARCH_ENTRIES_SELECT = `
  select p.id, ps.service_code, s.form, ${FREE_CAPACITY}, l.district_code, p.accessibility,
         p.rating, p.rating_count, p.name, point(l.lon * cos(radians(l.lat)), l.lat), p.type
    from registry.providers p
    join registry.provider_services ps on ps.provider_id = p.id and ps.admitted
    join registry.services s on s.code = ps.service_code
    join registry.provider_locations l on l.provider_id = p.id and ${IN_ADMITTED_TERRITORY}
   where p.status = 'admitted'`;

export const SEARCH_ENTRIES_COLUMNS = 'provider_id, service_code, form, free_capacity, district_code, accessibility, rating, rating_count, name, pt, provider_type';

/**
 * What a search result shows of a provider, built once per change instead of on every search, and
 * kept as compact JSON text that a search splices into its response without parsing it. Only what a
 * result list needs: service names and units come from the catalog, everything else from
 * GET /v1/providers/{id}. The coordinates of the locations it was admitted for are kept apart as
 * well, for the distance to a point.
 */
export const SEARCH_CARDS_COLUMNS = 'provider_id, card, lat, lon';

/** The distance is to the nearest location where some service of the provider was admitted. */
const ADMITTED_LOCATIONS = `registry.provider_locations l where l.provider_id = p.id and exists (
    select 1 from registry.provider_services ps where ps.provider_id = p.id and ps.admitted and ${IN_ADMITTED_TERRITORY})`;

export const SEARCH_CARDS_SELECT = `
  select p.id, row_to_json(card)::text,
         coalesce((select array_agg(l.lat::float8 order by l.id) from ${ADMITTED_LOCATIONS}), '{}'),
         coalesce((select array_agg(l.lon::float8 order by l.id) from ${ADMITTED_LOCATIONS}), '{}')
    from registry.providers p
   cross join lateral (
     select p.id, p.name, p.short_name, p.type, p.funding_mode, p.rating::text as rating, p.rating_count, to_json(p.accessibility) as accessibility,
            coalesce((select array_to_json(array_agg(row_to_json(l)))
                        from (select l.address, l.district_code, l.lat::float8 as lat, l.lon::float8 as lon
                                from registry.provider_locations l where l.provider_id = p.id order by l.id) l), '[]') as locations,
            coalesce((select array_to_json(array_agg(row_to_json(s)))
                        from (select ps.service_code, s.form, ps.capacity_per_month, ${FREE_CAPACITY} as free_capacity
                                from registry.provider_services ps join registry.services s on s.code = ps.service_code
                               where ps.provider_id = p.id and ps.admitted order by ps.service_code) s), '[]') as services) card
   where p.status = 'admitted'`;

/** Rebuilds one provider's search rows and card; called in the same transaction as every change that affects them. */
export async function refreshSearchEntries(em: EntityManager, providerId: string): Promise<void> {
  const sql = sqlOf(em);
  await sql.run(`delete from registry.search_entries where provider_id = $1`, [providerId]);
  await sql.run(`delete from registry.search_cards where provider_id = $1`, [providerId]);
  await sql.run(`insert into registry.search_entries (${SEARCH_ENTRIES_COLUMNS}) ${SEARCH_ENTRIES_SELECT} and p.id = $1`, [providerId]);
  await sql.run(`insert into registry.search_cards (${SEARCH_CARDS_COLUMNS}) ${SEARCH_CARDS_SELECT} and p.id = $1`, [providerId]);
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
  if (q.types.length) clauses.push(`e.provider_type = any(${bind(q.types)}::text[])`);
  if (q.accessibility.length) clauses.push(`e.accessibility @> ${bind(q.accessibility)}::text[]`);
  return { where: clauses.join(' and '), params };
}

/** Great-circle distance (km, 2 decimals) from the point in $n, $n+1 to the nearest of a card's locations. */
const distanceSql = (n: number) => `(select round(min(2 * 6371 * asin(sqrt(
      sin(radians(l.lat - $${n}) / 2) ^ 2 + cos(radians($${n})) * cos(radians(l.lat)) * sin(radians(l.lon - $${n + 1}) / 2) ^ 2)))::numeric, 2)::text
    from unnest(c.lat, c.lon) as l(lat, lon))`;

/**
 * One page of cards (plus one, to know whether another page follows), in the asked order, in one
 * round trip, on the search's own pool (`query` prepares each statement once per connection).
 */
export async function pageCards(query: PreparedQuery, q: SearchQuery): Promise<SearchCard[]> {
  const { where, params } = filters(q);
  const n = params.length;
  const offset = (q.page - 1) * q.perPage;
  const withPoint = q.lat !== undefined && q.lon !== undefined;
  if (q.sort !== 'distance') {
    const { distinct, order } = ORDER[q.sort];
    return query<SearchCard>(
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
    const rows = await query<SearchCard & { scanned: string }>(
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
