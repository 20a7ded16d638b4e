import { Migration } from '@mikro-orm/migrations';

export class Migration20261124000200_rating_sum extends Migration {
  override async up(): Promise<void> {
    // The average is recomputed from an exact sum, so it never drifts however many ratings arrive.
    this.addSql(`alter table registry.providers add column rating_sum bigint not null default 0`);
  }
}
