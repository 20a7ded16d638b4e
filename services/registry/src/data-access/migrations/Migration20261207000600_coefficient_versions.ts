import { Migration } from '@mikro-orm/migrations';

export class Migration20261207000600_coefficient_versions extends Migration {
  override async up(): Promise<void> {
    // A coefficient's factor changes by new versions from a date, with their reason; the factor it was
    // created with holds until the first of them.
    this.addSql(`create table registry.coefficient_versions (
      code text not null references registry.coefficients (code),
      valid_from date not null,
      factor numeric(12,6) not null check (factor > 0),
      reason text not null,
      created_by text not null,
      created_at timestamptz not null default clock_timestamp(),
      primary key (code, valid_from)
    )`);
  }
}
