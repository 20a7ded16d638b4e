import { Migration } from '@mikro-orm/migrations';

export class Migration20261207140000_deficits extends Migration {
  override async up(): Promise<void> {
    // One computation per region and month; recomputing a month replaces its rows, earlier months stay as they were computed.
    this.addSql(`create table certificates.deficit_computations (
      region_code text not null,
      month date not null check (extract(day from month) = 1),
      computed_at timestamptz not null,
      computed_by text not null,
      supply_as_of timestamptz not null,
      primary key (region_code, month)
    )`);
    this.addSql(`create table certificates.deficits (
      region_code text not null,
      month date not null,
      district_code text not null,
      service_code text not null,
      service_name text not null,
      service_kind text not null,
      recognised_people int not null,
      programme_volume int not null,
      lines_without_provider int not null,
      lines_waiting_booking int not null,
      uncertified_volume int not null,
      waiting_people int not null,
      vulnerable_people int not null,
      waiting_volume int not null,
      waiting_amount numeric(20,2) not null,
      waiting_days_avg int,
      waiting_days_max int,
      providers int not null,
      capacity int not null,
      booked int not null,
      free int not null,
      deficit int not null check (deficit >= 0),
      categories jsonb not null default '{}',
      primary key (region_code, month, district_code, service_code),
      foreign key (region_code, month) references certificates.deficit_computations (region_code, month) on delete cascade
    )`);
    this.addSql(`create table certificates.deficit_weights (
      region_code text primary key,
      relevance numeric(6,3) not null check (relevance >= 0),
      achievability numeric(6,3) not null check (achievability >= 0),
      budget_coverage numeric(6,3) not null check (budget_coverage >= 0),
      social_effectiveness numeric(6,3) not null check (social_effectiveness >= 0),
      set_by text not null,
      set_at timestamptz not null default clock_timestamp(),
      check (relevance + achievability + budget_coverage + social_effectiveness > 0)
    )`);
    // The demand query reads programmes and certificates of a region in force in a month.
    this.addSql(`create index programmes_region on certificates.programmes (region_code, valid_from)`);
    this.addSql(`create index certificates_region_validity on certificates.certificates (region_code, valid_from, valid_to) where status in ('issued', 'active', 'suspended')`);
    this.addSql(`create index bookings_line_open on certificates.bookings (line_id) where status in ('requested', 'accepted')`);
  }
}
