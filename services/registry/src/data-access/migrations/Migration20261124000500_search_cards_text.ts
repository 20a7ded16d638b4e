import { Migration } from '@mikro-orm/migrations';
import { SEARCH_CARDS_COLUMNS, SEARCH_CARDS_SELECT } from '../search-index';

export class Migration20261124000500_search_cards_text extends Migration {
  override async up(): Promise<void> {
    // Cards as compact JSON text (spliced into search responses unparsed) with the coordinates alongside.
    this.addSql(`drop table registry.search_cards`);
    this.addSql(`create table registry.search_cards (
      provider_id uuid primary key references registry.providers (id) on delete cascade,
      card text not null,
      lat float8[] not null,
      lon float8[] not null
    )`);
    this.addSql(`insert into registry.search_cards (${SEARCH_CARDS_COLUMNS}) ${SEARCH_CARDS_SELECT}`);
    // Nearest-first for one service: with the service in the GiST key the scan skips the other
    // services' locations instead of reading and filtering them. Kept narrow (the form follows from
    // the service; accessibility, rarely combined with distance, is read from the table).
    this.addSql(`create extension if not exists btree_gist`);
    this.addSql(`create index search_entries_service_pt on registry.search_entries using gist (service_code, pt)
      include (provider_id, free_capacity, district_code, form)`);
  }
}
