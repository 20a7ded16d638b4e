import { Migration } from '@mikro-orm/migrations';
import { outboxSchemaSql } from '@esc/service-kit';

export class Migration20261124100000_settlement extends Migration {
  override async up(): Promise<void> {
    for (const sql of outboxSchemaSql('settlement')) this.addSql(sql);

    // One row per confirmed delivery (redemption.posted), never updated.
    this.addSql(`create table settlement.redemptions (
      redemption_id uuid primary key,
      event_id uuid not null,
      certificate_id uuid not null,
      certificate_number text not null,
      certificate_line_id uuid not null,
      booking_id uuid not null,
      provider_id uuid not null,
      funding_mode text not null check (funding_mode in ('compensation', 'state_assignment')),
      region_code text not null,
      budget_programme_id uuid not null,
      budget_programme_code text not null,
      service_code text not null,
      service_name text not null,
      unit text not null,
      units integer not null check (units > 0),
      unit_cost numeric(20,2) not null,
      gross_amount numeric(20,2) not null,
      fee_amount numeric(20,2) not null check (fee_amount >= 0),
      amount numeric(20,2) not null check (amount >= 0),
      delivered_on date not null,
      posted_at timestamptz not null,
      ledger_transfer_id uuid not null,
      payable_account_id uuid not null,
      received_at timestamptz not null default now(),
      constraint redemptions_amount_is_gross_less_fee check (amount = gross_amount - fee_amount)
    )`);
    // Redemptions no run has settled yet. A run deletes what it settles (a delete writes no index
    // entries, where marking a million wide rows would rewrite them all).
    this.addSql(`create table settlement.unsettled (
      redemption_id uuid primary key references settlement.redemptions (redemption_id),
      region_code text not null,
      delivered_on date not null
    )`);
    this.addSql(`create index unsettled_region_delivered on settlement.unsettled (region_code, delivered_on)`);

    this.addSql(`create table settlement.rejected_events (
      event_id uuid primary key,
      topic text not null,
      reason text not null,
      payload jsonb not null,
      received_at timestamptz not null default now()
    )`);

    this.addSql(`create table settlement.programme_settings (
      budget_programme_id uuid primary key,
      period_months integer not null check (period_months in (1, 3, 6, 12)),
      updated_by text not null,
      updated_at timestamptz not null default now()
    )`);

    this.addSql(`create table settlement.payout_limits (
      budget_programme_id uuid not null,
      period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      region_code text not null,
      amount numeric(20,2) not null check (amount >= 0),
      set_by text not null,
      set_at timestamptz not null default now(),
      primary key (budget_programme_id, period)
    )`);

    this.addSql(`create table settlement.assignments (
      provider_id uuid not null,
      service_code text not null,
      period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      region_code text not null,
      units integer not null check (units >= 0),
      set_by text not null,
      set_at timestamptz not null default now(),
      primary key (provider_id, service_code, period)
    )`);

    this.addSql(`create table settlement.runs (
      id uuid primary key,
      region_code text not null,
      period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      status text not null check (status in ('queued', 'running', 'completed')),
      requested_by text not null,
      attempts integer not null default 0,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      completed_at timestamptz,
      last_error text,
      unique (region_code, period)
    )`);

    // Which run settled each redemption. A line is settled once because the run deletes it from
    // `unsettled` in its own transaction. No keys here or on carryovers: a run writes up to millions
    // of rows at once, and per-row key checks cost more than the rest of the run.
    this.addSql(`create table settlement.run_members (
      redemption_id uuid not null,
      run_id uuid not null
    )`);
    this.addSql(`create index run_members_run on settlement.run_members (run_id)`);

    // Per run, provider, programme and service: the delivered volume and its money.
    this.addSql(`create table settlement.lines (
      run_id uuid not null references settlement.runs (id),
      provider_id uuid not null,
      funding_mode text not null,
      budget_programme_id uuid not null,
      budget_programme_code text not null,
      service_code text not null,
      service_name text not null,
      unit text not null,
      redemptions integer not null,
      units bigint not null,
      gross_amount numeric(20,2) not null,
      fee_amount numeric(20,2) not null,
      amount numeric(20,2) not null,
      primary key (run_id, provider_id, budget_programme_id, service_code)
    )`);
    this.addSql(`create index lines_provider on settlement.lines (provider_id)`);

    // Lines a run could not pay within the programme's limit, with the reason; they wait for the next run.
    this.addSql(`create table settlement.carryovers (
      run_id uuid not null,
      redemption_id uuid not null,
      provider_id uuid not null,
      budget_programme_id uuid not null,
      amount numeric(20,2) not null,
      reason_code text not null,
      reason text not null,
      primary key (run_id, redemption_id)
    )`);
    this.addSql(`create index carryovers_provider on settlement.carryovers (provider_id)`);

    this.addSql(`create table settlement.payout_batches (
      id uuid primary key,
      run_id uuid not null unique references settlement.runs (id),
      region_code text not null,
      period text not null,
      status text not null check (status in ('draft', 'approving', 'approved')),
      created_by text not null,
      created_at timestamptz not null default now(),
      approved_by text,
      approved_at timestamptz,
      posted_at timestamptz,
      payouts integer not null,
      total numeric(20,2) not null,
      last_error text,
      constraint payout_batches_four_eyes check (approved_by is null or approved_by <> created_by)
    )`);

    this.addSql(`create sequence settlement.payout_reference_seq`);
    this.addSql(`create table settlement.payouts (
      id uuid primary key,
      batch_id uuid not null references settlement.payout_batches (id),
      number integer not null,
      reference text not null unique,
      provider_id uuid not null,
      region_code text not null,
      earned numeric(20,2) not null,
      withheld numeric(20,2) not null,
      amount numeric(20,2) not null check (amount > 0),
      withheld_reason text,
      provider_name text not null,
      inn text not null,
      kpp text,
      bank_bic text not null,
      bank_account text not null,
      bank_name text not null,
      bank_correspondent_account text,
      status text not null check (status in ('pending', 'in_transit', 'paid', 'returned')),
      settled_at timestamptz,
      statement_line_id uuid,
      return_reason text,
      unique (batch_id, number)
    )`);
    this.addSql(`create index payouts_provider on settlement.payouts (provider_id)`);
    this.addSql(`create index payouts_inn_amount on settlement.payouts (inn, amount) where status = 'in_transit'`);

    this.addSql(`create table settlement.statements (
      id uuid primary key,
      region_code text not null,
      format text not null check (format in ('1c', 'camt053')),
      sha256 text not null unique,
      file_name text,
      account text not null,
      statement_ref text,
      date_from date,
      date_to date,
      status text not null check (status in ('posting', 'posted')),
      imported_by text not null,
      imported_at timestamptz not null default now(),
      posted_at timestamptz,
      last_error text
    )`);

    this.addSql(`create table settlement.statement_lines (
      id uuid primary key,
      statement_id uuid not null references settlement.statements (id),
      number integer not null,
      direction text not null check (direction in ('debit', 'credit')),
      amount numeric(20,2) not null,
      booked_on date,
      counterparty_name text,
      counterparty_inn text,
      counterparty_account text,
      purpose text,
      reference text,
      bank_reason text,
      outcome text not null check (outcome in ('paid', 'returned', 'discrepancy')),
      payout_id uuid references settlement.payouts (id),
      match_method text check (match_method in ('reference', 'inn_amount', 'manual')),
      discrepancy_code text,
      discrepancy_reason text,
      resolution text check (resolution in ('matched', 'dismissed')),
      resolution_note text,
      resolved_by text,
      resolved_at timestamptz,
      ledger_posted boolean not null default false,
      unique (statement_id, number)
    )`);
    this.addSql(`create index statement_lines_open on settlement.statement_lines (statement_id) where outcome = 'discrepancy' and resolution is null`);
    this.addSql(`create index statement_lines_payout on settlement.statement_lines (payout_id)`);
    this.addSql(`create index statement_lines_unposted on settlement.statement_lines (statement_id) where payout_id is not null and not ledger_posted`);
  }
}
