import { Migration } from '@mikro-orm/migrations';

export class Migration20261125090000_settling_counters extends Migration {
  override async up(): Promise<void> {
    // Whether a certificate is exhausted is read from its lines' posted totals, not by summing all its acts on every settlement.
    this.addSql(`alter table certificates.certificate_lines add column amount_posted numeric(20,2) not null default 0`);
    this.addSql(`update certificates.certificate_lines l set amount_posted = s.posted
                   from (select line_id, sum(posted_amount) as posted from certificates.deliveries where status = 'posted' group by line_id) s
                  where l.id = s.line_id`);
    this.addSql(`drop index certificates.deliveries_certificate`);
    this.addSql(`create index deliveries_certificate on certificates.deliveries (certificate_id)`);
    // Counters change on every act: room on the page lets PostgreSQL update them in place (HOT), without new index entries.
    this.addSql(`alter table certificates.certificate_lines set (fillfactor = 80)`);
    this.addSql(`alter table certificates.bookings set (fillfactor = 80)`);
  }
}
