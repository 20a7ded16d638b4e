import { Migration } from '@mikro-orm/migrations';

export class Migration20261124000800_booked_as_of extends Migration {
  override async up(): Promise<void> {
    // When certificates last reported the booked capacity: an older report arriving late is ignored.
    this.addSql(`alter table registry.provider_services add column booked_as_of timestamptz`);
  }
}
