import { Migration } from '@mikro-orm/migrations';

export class Migration20261207180000_join_requests extends Migration {
  override async up(): Promise<void> {
    // A representative of an organisation registered already asks its admin for access; one open request per person and provider.
    this.addSql(`create table gateway.join_requests (
      id uuid primary key,
      account_id uuid not null references gateway.accounts (id),
      provider_id uuid not null,
      created_at timestamptz not null default clock_timestamp(),
      decision text check (decision in ('approved', 'declined')),
      decided_by text,
      decided_at timestamptz,
      check ((decision is null) = (decided_at is null) and (decision is null) = (decided_by is null))
    )`);
    this.addSql(`create unique index join_requests_open_once on gateway.join_requests (account_id, provider_id) where decision is null`);
  }
}
