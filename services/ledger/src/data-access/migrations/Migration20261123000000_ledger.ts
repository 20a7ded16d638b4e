import { Migration } from '@mikro-orm/migrations';
import { outboxSchemaSql } from '@esc/service-kit';

export class Migration20261123000000_ledger extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table ledger.accounts (
      id uuid primary key,
      ledger text not null,
      code text not null,
      owner_type text not null,
      owner_id text not null,
      region_code text not null,
      debits_must_not_exceed_credits boolean not null,
      credits_must_not_exceed_debits boolean not null,
      metadata jsonb not null default '{}',
      debits_posted numeric(20,2) not null default 0,
      credits_posted numeric(20,2) not null default 0,
      debits_pending numeric(20,2) not null default 0,
      credits_pending numeric(20,2) not null default 0,
      created_at timestamptz not null default clock_timestamp(),
      constraint accounts_debits_within_credits
        check (not debits_must_not_exceed_credits or debits_posted + debits_pending <= credits_posted),
      constraint accounts_credits_within_debits
        check (not credits_must_not_exceed_debits or credits_posted + credits_pending <= debits_posted),
      constraint accounts_balances_not_negative
        check (debits_posted >= 0 and credits_posted >= 0 and debits_pending >= 0 and credits_pending >= 0)
    )`);
    this.addSql(`create index accounts_owner on ledger.accounts (owner_type, owner_id)`);
    this.addSql(`create index accounts_code_region on ledger.accounts (code, region_code)`);

    // One row per transfer id, applied or rejected: the primary key makes an id's outcome final.
    this.addSql(`create table ledger.transfers (
      id uuid primary key,
      rejection text,
      debit_account_id uuid,
      credit_account_id uuid,
      amount numeric(20,2),
      ledger text,
      code text,
      reference text,
      flags smallint not null,
      pending_id uuid,
      timeout_seconds integer not null default 0,
      expires_at timestamptz,
      reversal_of uuid,
      created_at timestamptz not null,
      constraint transfers_applied_are_complete check (
        rejection is not null or (debit_account_id is not null and credit_account_id is not null
          and amount > 0 and ledger is not null and code is not null and debit_account_id <> credit_account_id))
    )`);
    this.addSql(`create unique index transfers_one_resolution_per_hold on ledger.transfers (pending_id)
      where pending_id is not null and rejection is null`);
    this.addSql(`create unique index transfers_one_reversal on ledger.transfers (reversal_of)
      where reversal_of is not null and rejection is null`);
    this.addSql(`create index transfers_holds_by_expiry on ledger.transfers (expires_at) where expires_at is not null`);

    this.addSql(`create table ledger.entries (
      seq bigint generated always as identity primary key,
      account_id uuid not null references ledger.accounts (id),
      transfer_id uuid not null references ledger.transfers (id),
      side text not null check (side in ('debit', 'credit')),
      phase text not null check (phase in ('posted', 'pending', 'post_pending', 'void_pending')),
      amount numeric(20,2) not null,
      pending_delta numeric(20,2) not null,
      posted_delta numeric(20,2) not null,
      debits_posted numeric(20,2) not null,
      credits_posted numeric(20,2) not null,
      debits_pending numeric(20,2) not null,
      credits_pending numeric(20,2) not null,
      created_at timestamptz not null
    )`);
    this.addSql(`create index entries_by_account on ledger.entries (account_id, seq)`);
    this.addSql(`create index entries_by_transfer on ledger.entries (transfer_id)`);
    // Entries and transfers are history: the database itself refuses to change or remove them.
    this.addSql(`create function ledger.refuse_change() returns trigger language plpgsql as $$
      begin raise exception 'ledger history is append-only: % on % is refused', tg_op, tg_table_name using errcode = '55000'; end $$`);
    this.addSql(`create trigger entries_append_only before update or delete on ledger.entries
      for each statement execute function ledger.refuse_change()`);
    this.addSql(`create trigger transfers_append_only before update or delete on ledger.transfers
      for each statement execute function ledger.refuse_change()`);
    for (const sql of outboxSchemaSql('ledger')) this.addSql(sql);
  }
}
