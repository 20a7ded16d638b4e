import { Migration } from '@mikro-orm/migrations';
import { SEARCH_CARDS_COLUMNS, SEARCH_CARDS_SELECT } from '../search-index';
import { SEARCH_ENTRIES_COLUMNS_BEFORE_TYPE as SEARCH_ENTRIES_COLUMNS, SEARCH_ENTRIES_SELECT_BEFORE_TYPE as SEARCH_ENTRIES_SELECT } from './search-entries-before-type';

export class Migration20261124000600_search_admitted_territory extends Migration {
  override async up(): Promise<void> {
    // Search rows and distances now keep to the territory each service was admitted for.
    this.addSql(`delete from registry.search_entries`);
    this.addSql(`insert into registry.search_entries (${SEARCH_ENTRIES_COLUMNS}) ${SEARCH_ENTRIES_SELECT}`);
    this.addSql(`delete from registry.search_cards`);
    this.addSql(`insert into registry.search_cards (${SEARCH_CARDS_COLUMNS}) ${SEARCH_CARDS_SELECT}`);
  }
}
