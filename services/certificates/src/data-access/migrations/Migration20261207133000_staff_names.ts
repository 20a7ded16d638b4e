import { Migration } from '@mikro-orm/migrations';

export class Migration20261207133000_staff_names extends Migration {
  override async up(): Promise<void> {
    // Actions keep the actor's subject; the name their token carried is kept once here, so a citizen's history can say which case worker acted for them.
    this.addSql(`create table certificates.staff_names (
      subject text primary key,
      name text not null,
      updated_at timestamptz not null default clock_timestamp()
    )`);
  }
}
