import { Migration } from '@mikro-orm/migrations';

export class Migration20261207170000_invitations extends Migration {
  override async up(): Promise<void> {
    // Only the token's digest is kept: the link in the e-mail is the one copy of the token.
    this.addSql(`create table gateway.invitations (
      id uuid primary key,
      token_sha256 text not null unique,
      provider_id uuid not null,
      role text not null check (role in ('provider_admin', 'provider_staff')),
      email text not null,
      invited_by text not null,
      created_at timestamptz not null default clock_timestamp(),
      expires_at timestamptz not null,
      accepted_by uuid references gateway.accounts (id),
      accepted_at timestamptz,
      check ((accepted_by is null) = (accepted_at is null))
    )`);
    this.addSql(`create index invitations_by_provider on gateway.invitations (provider_id, created_at desc)`);
    this.addSql(`create index grants_by_provider on gateway.grants (provider_id) where revoked_at is null`);
  }
}
