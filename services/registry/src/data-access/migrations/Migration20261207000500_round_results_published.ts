import { Migration } from '@mikro-orm/migrations';

export class Migration20261207000500_round_results_published extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table registry.rounds add column results_published_at timestamptz`);
  }
}
