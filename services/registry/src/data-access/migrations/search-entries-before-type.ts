/**
 * The search rows as migrations 000400 and 000600 filled them, before 20261207000300 added the
 * provider's type: those migrations must keep inserting the columns their table had.
 */
const IN_ADMITTED_TERRITORY = `(cardinality(ps.admitted_territory) = 0 or exists (
    select 1 from unnest(ps.admitted_territory) t where l.district_code like t || '%'))`;

export const SEARCH_ENTRIES_SELECT_BEFORE_TYPE = `
  select p.id, ps.service_code, s.form, ps.capacity_per_month - ps.booked_per_month, l.district_code, p.accessibility,
         p.rating, p.rating_count, p.name, point(l.lon * cos(radians(l.lat)), l.lat)
    from registry.providers p
    join registry.provider_services ps on ps.provider_id = p.id and ps.admitted
    join registry.services s on s.code = ps.service_code
    join registry.provider_locations l on l.provider_id = p.id and ${IN_ADMITTED_TERRITORY}
   where p.status = 'admitted'`;

export const SEARCH_ENTRIES_COLUMNS_BEFORE_TYPE = 'provider_id, service_code, form, free_capacity, district_code, accessibility, rating, rating_count, name, pt';
