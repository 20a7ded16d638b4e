import { Migration } from '@mikro-orm/migrations';
import { SEARCH_CARDS_SELECT, SEARCH_ENTRIES_COLUMNS, SEARCH_ENTRIES_SELECT } from '../search-index';

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
    this.addSql(`insert into registry.search_cards (provider_id, card) ${SEARCH_CARDS_SELECT}`);
  }
}
