import { Migration } from '@mikro-orm/migrations';
import { SEARCH_ENTRIES_COLUMNS_BEFORE_TYPE as SEARCH_ENTRIES_COLUMNS, SEARCH_ENTRIES_SELECT_BEFORE_TYPE as SEARCH_ENTRIES_SELECT } from './search-entries-before-type';

/** The cards as this migration built them; 000500 replaces the table, so this must not follow later changes. */
const CARDS_SELECT_AT_THE_TIME = `
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

export class Migration20261124000400_search_entries extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table registry.search_entries (
      provider_id uuid not null references registry.providers (id) on delete cascade,
      service_code text not null,
      form text not null,
      free_capacity integer not null,
      district_code text not null,
      accessibility text[] not null,
      rating numeric(3,2),
      rating_count integer not null,
      name text not null,
      pt point not null
    )`);
    this.addSql(`create index search_entries_provider on registry.search_entries (provider_id)`);
    // Every filter column is included, so a page is an index-only scan that stops after one page.
    const filterColumns = ['service_code', 'form', 'free_capacity', 'district_code', 'accessibility'];
    const rest = (...keys: string[]) => filterColumns.filter((c) => !keys.includes(c)).join(', ');
    const order = 'rating desc nulls last, rating_count desc, name, provider_id';
    this.addSql(`create index search_entries_by_rating on registry.search_entries (${order}) include (${rest()})`);
    this.addSql(`create index search_entries_service_by_rating on registry.search_entries (service_code, ${order}) include (${rest('service_code')})`);
    this.addSql(`create index search_entries_district_by_rating on registry.search_entries (district_code, ${order}) include (${rest('district_code')})`);
    this.addSql(`create index search_entries_by_name on registry.search_entries (name, provider_id) include (${rest()})`);
    this.addSql(`create index search_entries_service_by_name on registry.search_entries (service_code, name, provider_id) include (${rest('service_code')})`);
    this.addSql(`create index search_entries_pt on registry.search_entries using gist (pt) include (provider_id, ${rest()})`);
    this.addSql(`insert into registry.search_entries (${SEARCH_ENTRIES_COLUMNS}) ${SEARCH_ENTRIES_SELECT}`);
    this.addSql(`create table registry.search_cards (
      provider_id uuid primary key references registry.providers (id) on delete cascade,
      card jsonb not null
    )`);
    this.addSql(`insert into registry.search_cards (provider_id, card) ${CARDS_SELECT_AT_THE_TIME}`);
  }
}
