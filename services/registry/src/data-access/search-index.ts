import type { EntityManager } from '@esc/service-kit';

/**
 * Whether location `l` lies in the territory a round admitted service `ps` for (an OKTMO code or a
 * prefix of it); no territory recorded means everywhere.
 */
const IN_ADMITTED_TERRITORY = `(cardinality(ps.admitted_territory) = 0 or exists (
    select 1 from unnest(ps.admitted_territory) t where l.district_code like t || '%'))`;

/**
 * The public search reads one denormalised row per admitted provider × admitted service × location
 * in the territory the service was admitted for, so that every filter and sort is an index scan
 * that can stop after one page. `pt` is an equirectangular projection (x = lon·cos lat, y = lat)
 * for nearest-first KNN ordering.
 */
export const SEARCH_ENTRIES_SELECT = `
  select p.id, ps.service_code, s.form, ps.capacity_per_month - ps.booked_per_month, l.district_code, p.accessibility,
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
                        from (select ps.service_code, s.form, ps.capacity_per_month, ps.capacity_per_month - ps.booked_per_month as free_capacity
                                from registry.provider_services ps join registry.services s on s.code = ps.service_code
                               where ps.provider_id = p.id and ps.admitted order by ps.service_code) s), '[]') as services) card
   where p.status = 'admitted'`;

/** Rebuilds one provider's search rows and card; called in the same transaction as every change that affects them. */
export async function refreshSearchEntries(em: EntityManager, providerId: string): Promise<void> {
  await em.execute(`delete from registry.search_entries where provider_id = ?`, [providerId]);
  await em.execute(`delete from registry.search_cards where provider_id = ?`, [providerId]);
  await em.execute(`insert into registry.search_entries (${SEARCH_ENTRIES_COLUMNS}) ${SEARCH_ENTRIES_SELECT} and p.id = ?`, [providerId]);
  await em.execute(`insert into registry.search_cards (${SEARCH_CARDS_COLUMNS}) ${SEARCH_CARDS_SELECT} and p.id = ?`, [providerId]);
}
