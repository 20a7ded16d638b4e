import type { EntityManager } from '@esc/service-kit';

/**
 * The public search reads one denormalised row per admitted provider × admitted service × location,
 * so that every filter and sort is an index scan that can stop after one page. `pt` is an
 * equirectangular projection (x = lon·cos lat, y = lat) for nearest-first KNN ordering.
 */
export const SEARCH_ENTRIES_SELECT = `
  select p.id, ps.service_code, s.form, ps.capacity_per_month - ps.booked_per_month, l.district_code, p.accessibility,
         p.rating, p.rating_count, p.name, point(l.lon * cos(radians(l.lat)), l.lat)
    from registry.providers p
    join registry.provider_services ps on ps.provider_id = p.id and ps.admitted
    join registry.services s on s.code = ps.service_code
    join registry.provider_locations l on l.provider_id = p.id
   where p.status = 'admitted'`;

export const SEARCH_ENTRIES_COLUMNS = 'provider_id, service_code, form, free_capacity, district_code, accessibility, rating, rating_count, name, pt';

/** What a search result shows of a provider, built once per change instead of on every search. */
export const SEARCH_CARDS_SELECT = `
  select p.id, jsonb_build_object(
           'id', p.id, 'name', p.name, 'short_name', p.short_name, 'type', p.type, 'funding_mode', p.funding_mode,
           'rating', p.rating::text, 'rating_count', p.rating_count, 'accessibility', to_jsonb(p.accessibility),
           'locations', coalesce((select jsonb_agg(jsonb_build_object('address', l.address, 'district_code', l.district_code,
                                                                       'lat', l.lat::float8, 'lon', l.lon::float8) order by l.id)
                                    from registry.provider_locations l where l.provider_id = p.id), '[]'),
           'services', coalesce((select jsonb_agg(jsonb_build_object('service_code', ps.service_code, 'name', s.name, 'form', s.form,
                                                                      'unit', s.unit, 'capacity_per_month', ps.capacity_per_month,
                                                                      'free_capacity', ps.capacity_per_month - ps.booked_per_month)
                                                   order by ps.service_code)
                                   from registry.provider_services ps join registry.services s on s.code = ps.service_code
                                  where ps.provider_id = p.id and ps.admitted), '[]'))
    from registry.providers p
   where p.status = 'admitted'`;

/** Rebuilds one provider's search rows and card; called in the same transaction as every change that affects them. */
export async function refreshSearchEntries(em: EntityManager, providerId: string): Promise<void> {
  await em.execute(`delete from registry.search_entries where provider_id = ?`, [providerId]);
  await em.execute(`delete from registry.search_cards where provider_id = ?`, [providerId]);
  await em.execute(`insert into registry.search_entries (${SEARCH_ENTRIES_COLUMNS}) ${SEARCH_ENTRIES_SELECT} and p.id = ?`, [providerId]);
  await em.execute(`insert into registry.search_cards (provider_id, card) ${SEARCH_CARDS_SELECT} and p.id = ?`, [providerId]);
}
