import { Migration } from '@mikro-orm/migrations';

export class Migration20261207220000_refused_requests extends Migration {
  override async up(): Promise<void> {
    // A request refused under a client-chosen id, kept so that the id answers this refusal again whatever changes later.
    this.addSql(`create table certificates.refused_requests (
      operation text not null check (operation in ('booking', 'certificate')),
      id uuid not null,
      request jsonb not null,
      -- json, not jsonb: the answer comes back with its fields in the order first given.
      problem json not null,
      refused_at timestamptz not null default clock_timestamp(),
      primary key (operation, id)
    )`);
  }
}
