import { Migration } from '@mikro-orm/migrations';

export class Migration20261207160000_accounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists gateway`);
    // subject is the token's `sub`: the services key a person's data by it, so it never changes.
    this.addSql(`create table gateway.accounts (
      id uuid primary key,
      subject text not null unique,
      name text not null,
      snils text unique check (snils ~ '^[0-9]{11}$'),
      birth_date date,
      org_inn text check (org_inn ~ '^([0-9]{10}|[0-9]{12})$'),
      org_ogrn text,
      org_name text,
      org_position text,
      created_at timestamptz not null default clock_timestamp(),
      last_sign_in_at timestamptz
    )`);
    // Who the identity provider says this is: one account per (issuer, subject).
    this.addSql(`create table gateway.identities (
      issuer text not null,
      subject text not null,
      account_id uuid not null references gateway.accounts (id),
      trusted boolean not null,
      linked_at timestamptz not null default clock_timestamp(),
      primary key (issuer, subject)
    )`);
    this.addSql(`create index identities_by_account on gateway.identities (account_id)`);
    // Roles are granted inside the marketplace; a grant is never deleted, its revocation is recorded on it.
    this.addSql(`create table gateway.grants (
      id uuid primary key,
      account_id uuid not null references gateway.accounts (id),
      role text not null check (role in ('citizen', 'provider_admin', 'provider_staff', 'caseworker', 'committee', 'finance', 'auditor', 'admin')),
      region_code text check (region_code ~ '^[0-9]{2}$'),
      provider_id uuid,
      granted_by text not null,
      granted_at timestamptz not null default clock_timestamp(),
      revoked_by text,
      revoked_at timestamptz,
      check ((revoked_by is null) = (revoked_at is null))
    )`);
    this.addSql(`create unique index grants_active_once on gateway.grants (account_id, role) where revoked_at is null`);
  }
}
