import { Migration } from '@mikro-orm/migrations';
import { SEARCH_ENTRIES_COLUMNS, SEARCH_ENTRIES_SELECT } from '../search-index';

export class Migration20261207000300_search_provider_type extends Migration {
  override async up(): Promise<void> {
    // The provider's type on each search row, for the navigator's filter by type. Not in the indexes:
    // a type-filtered page reads the rows it passes over, and every other search stays index-only.
    this.addSql(`alter table registry.search_entries add column provider_type text not null default ''`);
    this.addSql(`delete from registry.search_entries`);
    this.addSql(`insert into registry.search_entries (${SEARCH_ENTRIES_COLUMNS}) ${SEARCH_ENTRIES_SELECT}`);
  }
}
