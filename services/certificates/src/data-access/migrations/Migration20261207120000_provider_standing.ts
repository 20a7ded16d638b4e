import { Migration } from '@mikro-orm/migrations';

export class Migration20261207120000_provider_standing extends Migration {
  override async up(): Promise<void> {
    // The registry's word on a provider, from its provider.* events: while suspended or excluded the provider takes no new bookings or acts here.
    this.addSql(`create table certificates.provider_standing (
      provider_id uuid primary key,
      status text not null check (status in ('admitted', 'suspended', 'excluded')),
      reason text not null,
      changed_at timestamptz not null
    )`);
  }
}
