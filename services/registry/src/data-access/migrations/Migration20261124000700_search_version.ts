import { Migration } from '@mikro-orm/migrations';

export class Migration20261124000700_search_version extends Migration {
  override async up(): Promise<void> {
    // One number that every change of the search rows raises in the changing transaction, so a
    // cached search answer is known to be current by reading one row (see SearchCache).
    this.addSql(`create table registry.search_version (
      id boolean primary key default true check (id),
      version bigint not null
    )`);
    this.addSql(`insert into registry.search_version (version) values (1)`);
    this.addSql(`create function registry.raise_search_version() returns trigger language plpgsql as $$
      begin
        update registry.search_version set version = version + 1;
        return null;
      end $$`);
    for (const table of ['search_entries', 'search_cards']) {
      this.addSql(`create trigger ${table}_version after insert or update or delete or truncate on registry.${table}
        for each statement execute function registry.raise_search_version()`);
    }
  }
}
