import { Migration } from '@mikro-orm/migrations';

export class Migration20261208090000_abandoned_holds extends Migration {
  override async up(): Promise<void> {
    // A ledger hold placed under an act's id whose act was never written (the process stopped between the
    // two): the id is kept here so that a late resend of the act is refused instead of written over a void.
    this.addSql(`create table certificates.abandoned_holds (
      id uuid primary key,
      certificate_id uuid not null references certificates.certificates (id),
      amount numeric(20,2) not null check (amount > 0),
      placed_at timestamptz not null,
      found_at timestamptz not null default clock_timestamp(),
      voided_at timestamptz
    )`);
    this.addSql(`create index abandoned_holds_to_void on certificates.abandoned_holds (found_at) where voided_at is null`);
  }
}
