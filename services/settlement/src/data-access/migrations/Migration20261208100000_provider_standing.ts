import { Migration } from '@mikro-orm/migrations';

export class Migration20261208100000_provider_standing extends Migration {
  override async up(): Promise<void> {
    // The registry's last word on each provider (provider.admitted / suspended / excluded), with the event that said it.
    this.addSql(`create table settlement.provider_standing (
      provider_id uuid primary key,
      status text not null check (status in ('admitted', 'suspended', 'excluded')),
      reason text,
      changed_at timestamptz not null,
      event_id text not null,
      recorded_at timestamptz not null default now()
    )`);
    // Per region, what a run does with the posted acts of a suspended or excluded provider; a region with no row has the defaults.
    this.addSql(`create table settlement.standing_rules (
      region_code text primary key,
      while_suspended text not null check (while_suspended in ('hold', 'pay')),
      when_excluded text not null check (when_excluded in ('pay_delivered_before', 'hold')),
      updated_by text not null,
      updated_at timestamptz not null default now()
    )`);
  }
}
