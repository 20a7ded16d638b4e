import { Migration } from '@mikro-orm/migrations';
import { outboxSchemaSql } from '@esc/service-kit';

export class Migration20261124000000_registry extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table registry.services (
      code text primary key,
      name text not null,
      kind text not null,
      form text not null check (form in ('home', 'day_care', 'residential')),
      unit text not null check (unit in ('hour', 'visit', 'day', 'course')),
      standard jsonb not null,
      licence_required boolean not null default false,
      created_at timestamptz not null default clock_timestamp()
    )`);
    // Versions are never updated: a new price is a new row, so past dates keep answering.
    this.addSql(`create table registry.normative_costs (
      id bigint generated always as identity primary key,
      service_code text not null references registry.services (code),
      region_code text not null,
      valid_from date not null,
      amount numeric(20,2) not null check (amount > 0),
      reason text,
      created_by text not null,
      created_at timestamptz not null default clock_timestamp(),
      unique (service_code, region_code, valid_from)
    )`);
    this.addSql(`create table registry.coefficients (
      code text primary key,
      kind text not null check (kind in ('territory', 'recipient_category', 'form')),
      name text not null,
      factor numeric(12,6) not null check (factor > 0),
      conditions jsonb not null default '{}',
      created_by text not null,
      created_at timestamptz not null default clock_timestamp()
    )`);

    this.addSql(`create table registry.providers (
      id uuid primary key,
      inn text not null,
      ogrn text not null,
      kpp text,
      name text not null,
      short_name text,
      legal_form text not null,
      type text not null,
      funding_mode text not null,
      registered_at date not null,
      region_code text not null,
      bank jsonb not null,
      contacts jsonb not null,
      licences jsonb not null default '[]',
      declarations jsonb not null default '{}',
      accessibility text[] not null default '{}',
      status text not null default 'applicant',
      rating numeric(3,2),
      rating_count integer not null default 0,
      created_by text not null,
      created_at timestamptz not null default clock_timestamp(),
      updated_at timestamptz not null default clock_timestamp(),
      constraint providers_inn_unique unique (inn)
    )`);
    this.addSql(`create index providers_status on registry.providers (status)`);
    this.addSql(`create table registry.provider_locations (
      id bigint generated always as identity primary key,
      provider_id uuid not null references registry.providers (id) on delete cascade,
      address text not null,
      district_code text not null,
      lat numeric(9,6) not null,
      lon numeric(9,6) not null
    )`);
    this.addSql(`create index provider_locations_provider on registry.provider_locations (provider_id)`);
    this.addSql(`create index provider_locations_district on registry.provider_locations (district_code)`);
    this.addSql(`create table registry.provider_services (
      provider_id uuid not null references registry.providers (id) on delete cascade,
      service_code text not null references registry.services (code),
      capacity_per_month integer not null check (capacity_per_month > 0),
      booked_per_month integer not null default 0 check (booked_per_month >= 0),
      admitted boolean not null default false,
      admitted_territory text[] not null default '{}',
      primary key (provider_id, service_code)
    )`);
    this.addSql(`create index provider_services_service on registry.provider_services (service_code) where admitted`);
    this.addSql(`create table registry.provider_status_history (
      id bigint generated always as identity primary key,
      provider_id uuid not null references registry.providers (id) on delete cascade,
      from_status text,
      to_status text not null,
      reason text not null,
      actor text not null,
      at timestamptz not null default clock_timestamp()
    )`);
    this.addSql(`create index provider_status_history_provider on registry.provider_status_history (provider_id, id)`);

    this.addSql(`create table registry.rounds (
      id uuid primary key,
      title text not null,
      region_code text not null,
      territory text[] not null,
      service_codes text[] not null,
      applications_open_at timestamptz not null,
      applications_close_at timestamptz not null,
      appeal_window_days integer not null,
      formal_criteria text[] not null,
      scored_criteria jsonb not null,
      threshold numeric(10,2) not null,
      sonko_preference_points numeric(10,2) not null default 0,
      created_by text not null,
      created_at timestamptz not null default clock_timestamp(),
      check (applications_close_at > applications_open_at)
    )`);
    this.addSql(`create table registry.applications (
      id uuid primary key,
      round_id uuid not null references registry.rounds (id),
      provider_id uuid not null references registry.providers (id),
      service_codes text[] not null,
      status text not null,
      formal_results jsonb not null,
      decision jsonb,
      decided_at timestamptz,
      appeal jsonb,
      submitted_by text not null,
      submitted_at timestamptz not null default clock_timestamp(),
      constraint applications_one_per_round unique (round_id, provider_id)
    )`);

    for (const sql of outboxSchemaSql('registry')) this.addSql(sql);
  }
}
