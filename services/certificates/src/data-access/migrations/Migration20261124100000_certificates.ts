import { Migration } from '@mikro-orm/migrations';
import { outboxSchemaSql } from '@esc/service-kit';

export class Migration20261124100000_certificates extends Migration {
  override async up(): Promise<void> {
    for (const sql of outboxSchemaSql('certificates')) this.addSql(sql);

    // Versions are never updated: a new value is a new row, so past dates keep answering.
    this.addSql(`create table certificates.regional_parameters (
      region_code text not null,
      valid_from date not null,
      subsistence_minimum numeric(20,2) not null check (subsistence_minimum > 0),
      limit_coefficient numeric(6,3) not null check (limit_coefficient >= 1.5),
      set_by text not null,
      set_at timestamptz not null default clock_timestamp(),
      primary key (region_code, valid_from)
    )`);

    this.addSql(`create table certificates.budget_programmes (
      id uuid primary key,
      region_code text not null,
      code text not null,
      name text not null,
      year int not null check (year between 2000 and 2100),
      allocation_account_id uuid not null,
      created_by text not null,
      created_at timestamptz not null default clock_timestamp(),
      unique (region_code, code)
    )`);

    this.addSql(`create table certificates.recipients (
      id uuid primary key,
      snils text not null unique check (snils ~ '^[0-9]{11}$'),
      region_code text not null,
      last_name text not null,
      first_name text not null,
      middle_name text,
      birth_date date not null,
      district_code text not null,
      address text not null,
      phone text,
      categories text[] not null default '{}',
      own_income numeric(20,2) not null check (own_income >= 0),
      household jsonb not null default '[]',
      created_by text not null,
      created_at timestamptz not null default clock_timestamp(),
      updated_at timestamptz not null default clock_timestamp()
    )`);
    this.addSql(`create index recipients_region on certificates.recipients (region_code, created_at)`);

    this.addSql(`create table certificates.life_events (
      id uuid primary key,
      kind text not null,
      source text not null,
      snils text not null,
      region_code text not null,
      payload jsonb not null,
      recipient_id uuid not null references certificates.recipients (id),
      assessment_id uuid not null,
      received_at timestamptz not null default clock_timestamp()
    )`);

    this.addSql(`create table certificates.assessments (
      id uuid primary key,
      recipient_id uuid not null references certificates.recipients (id),
      region_code text not null,
      source text not null check (source in ('application', 'life_event', 'bulk_import')),
      life_event_id uuid,
      status text not null check (status in ('open', 'recognised', 'refused', 'programme_drawn')),
      reason text,
      opened_by text not null,
      opened_on date not null,
      decision_due date not null,
      programme_due date not null,
      decided_by text,
      decided_at timestamptz,
      refusal_code text,
      created_at timestamptz not null default clock_timestamp()
    )`);
    this.addSql(`create index assessments_recipient on certificates.assessments (recipient_id)`);
    this.addSql(`create index assessments_open on certificates.assessments (region_code, status) where status in ('open', 'recognised')`);

    this.addSql(`create table certificates.programmes (
      id uuid primary key,
      assessment_id uuid not null unique references certificates.assessments (id),
      recipient_id uuid not null references certificates.recipients (id),
      region_code text not null,
      valid_from date not null,
      lines jsonb not null,
      drawn_by text not null,
      drawn_at timestamptz not null default clock_timestamp()
    )`);

    this.addSql(`create table certificates.certificates (
      id uuid primary key,
      number text not null unique,
      recipient_id uuid not null references certificates.recipients (id),
      programme_id uuid not null references certificates.programmes (id),
      budget_programme_id uuid not null references certificates.budget_programmes (id),
      region_code text not null,
      status text not null check (status in ('issuing', 'refused', 'issued', 'active', 'suspended', 'exhausted', 'expired', 'revoked')),
      status_reason text,
      issued_on date not null,
      valid_from date not null,
      valid_to date not null,
      gross_amount numeric(20,2) not null,
      fee_amount numeric(20,2) not null,
      value numeric(20,2) not null check (value >= 0),
      fee_calculation jsonb not null,
      released_amount numeric(20,2) not null default 0,
      releases int not null default 0,
      issued_by text not null,
      created_at timestamptz not null default clock_timestamp(),
      updated_at timestamptz not null default clock_timestamp()
    )`);
    this.addSql(`create index certificates_recipient on certificates.certificates (recipient_id)`);
    this.addSql(`create index certificates_expiring on certificates.certificates (valid_to) where status in ('issued', 'active', 'suspended')`);
    this.addSql(`create index certificates_issuing on certificates.certificates (created_at) where status = 'issuing'`);
    this.addSql(`create sequence certificates.certificate_numbers`);

    // consumed = held + posted units/amounts; the line row is the lock that keeps concurrent deliveries within it.
    this.addSql(`create table certificates.certificate_lines (
      id uuid primary key,
      certificate_id uuid not null references certificates.certificates (id),
      line_no int not null,
      service_code text not null,
      service_name text not null,
      form text not null,
      unit text not null,
      volume_per_month int not null check (volume_per_month > 0),
      months int not null check (months > 0),
      volume int not null check (volume > 0),
      unit_cost numeric(20,2) not null,
      cost_breakdown jsonb not null,
      gross_amount numeric(20,2) not null,
      fee_amount numeric(20,2) not null,
      net_amount numeric(20,2) not null check (net_amount >= 0),
      units_booked int not null default 0 check (units_booked between 0 and volume),
      units_consumed int not null default 0 check (units_consumed between 0 and volume),
      amount_consumed numeric(20,2) not null default 0 check (amount_consumed between 0 and net_amount),
      units_confirmed int not null default 0,
      unique (certificate_id, line_no)
    )`);

    this.addSql(`create table certificates.provider_capacity (
      provider_id uuid not null,
      service_code text not null,
      capacity_per_month int not null check (capacity_per_month >= 0),
      reserved_per_month int not null default 0 check (reserved_per_month >= 0),
      updated_at timestamptz not null default clock_timestamp(),
      primary key (provider_id, service_code)
    )`);

    this.addSql(`create table certificates.bookings (
      id uuid primary key,
      certificate_id uuid not null references certificates.certificates (id),
      line_id uuid not null references certificates.certificate_lines (id),
      recipient_id uuid not null references certificates.recipients (id),
      region_code text not null,
      provider_id uuid not null,
      provider_name text not null,
      funding_mode text not null check (funding_mode in ('state_assignment', 'compensation')),
      service_code text not null,
      units int not null check (units > 0),
      units_per_month int not null check (units_per_month > 0),
      units_consumed int not null default 0 check (units_consumed between 0 and units),
      units_confirmed int not null default 0,
      status text not null check (status in ('requested', 'accepted', 'declined', 'cancelled')),
      requested_by text not null,
      requested_at timestamptz not null default clock_timestamp(),
      decided_by text,
      decided_at timestamptz,
      decline_code text,
      decline_reason text
    )`);
    this.addSql(`create index bookings_certificate on certificates.bookings (certificate_id)`);
    this.addSql(`create index bookings_provider on certificates.bookings (provider_id, status)`);

    this.addSql(`create table certificates.deliveries (
      id uuid primary key,
      booking_id uuid not null references certificates.bookings (id),
      certificate_id uuid not null references certificates.certificates (id),
      line_id uuid not null references certificates.certificate_lines (id),
      provider_id uuid not null,
      recipient_id uuid not null,
      delivered_on date not null,
      units int not null check (units > 0),
      staff jsonb not null,
      amount numeric(20,2) not null check (amount >= 0),
      gross_amount numeric(20,2) not null,
      status text not null check (status in ('authorising', 'held', 'posted', 'voided', 'refused')),
      confirm_by timestamptz not null,
      recorded_by text not null,
      recorded_at timestamptz not null default clock_timestamp(),
      resolution text check (resolution in ('confirmed', 'auto_confirmed', 'disputed', 'partly_disputed', 'hold_expired')),
      resolved_by text,
      resolved_at timestamptz,
      confirmed_units int,
      posted_amount numeric(20,2),
      dispute_reason text,
      refusal_code text
    )`);
    this.addSql(`create index deliveries_booking on certificates.deliveries (booking_id)`);
    this.addSql(`create index deliveries_lapsing on certificates.deliveries (confirm_by) where status = 'held'`);
    this.addSql(`create index deliveries_authorising on certificates.deliveries (recorded_at) where status = 'authorising'`);

    this.addSql(`create table certificates.feedback (
      delivery_id uuid primary key references certificates.deliveries (id),
      certificate_id uuid not null,
      provider_id uuid not null,
      recipient_id uuid not null,
      score int not null check (score between 1 and 5),
      comment text,
      created_at timestamptz not null default clock_timestamp()
    )`);

    // Every refusal anywhere, as the person was told it: the citizen's history reads from here.
    this.addSql(`create table certificates.refusals (
      id uuid primary key,
      recipient_id uuid,
      region_code text,
      subject_kind text not null check (subject_kind in ('assessment', 'certificate', 'booking', 'delivery')),
      subject_id uuid not null,
      code text not null,
      reason text not null,
      next_steps text not null,
      appeal text not null,
      created_at timestamptz not null default clock_timestamp()
    )`);
    this.addSql(`create index refusals_recipient on certificates.refusals (recipient_id, created_at)`);
    this.addSql(`create index refusals_subject on certificates.refusals (subject_id)`);

    this.addSql(`create table certificates.notices (
      id uuid primary key,
      recipient_id uuid not null references certificates.recipients (id),
      kind text not null,
      text text not null,
      subject_id uuid,
      created_at timestamptz not null default clock_timestamp()
    )`);
    this.addSql(`create index notices_recipient on certificates.notices (recipient_id, created_at)`);

    this.addSql(`create table certificates.bulk_issues (
      id uuid primary key,
      region_code text not null,
      budget_programme_id uuid not null references certificates.budget_programmes (id),
      file_name text,
      csv text not null,
      status text not null check (status in ('queued', 'running', 'completed', 'failed')),
      total_rows int not null default 0,
      processed_rows int not null default 0,
      issued int not null default 0,
      failed int not null default 0,
      created_by text not null,
      created_at timestamptz not null default clock_timestamp(),
      finished_at timestamptz
    )`);
    this.addSql(`create table certificates.bulk_issue_rows (
      bulk_issue_id uuid not null references certificates.bulk_issues (id),
      row_no int not null,
      snils text,
      status text not null check (status in ('issued', 'failed')),
      certificate_id uuid,
      error_code text,
      error_detail text,
      primary key (bulk_issue_id, row_no)
    )`);
  }
}
