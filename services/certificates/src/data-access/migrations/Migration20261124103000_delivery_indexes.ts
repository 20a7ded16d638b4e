import { Migration } from '@mikro-orm/migrations';

export class Migration20261124103000_delivery_indexes extends Migration {
  override async up(): Promise<void> {
    // A certificate's acts: its page, and the exhausted check on every settled act (posted sum).
    this.addSql(`create index deliveries_certificate on certificates.deliveries (certificate_id) include (status, posted_amount)`);
  }
}
