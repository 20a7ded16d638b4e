import { Migration } from '@mikro-orm/migrations';

export class Migration20261207100100_withheld_payouts extends Migration {
  override async up(): Promise<void> {
    // A provider whose payable a clawback emptied is kept in its batch as a withheld payout of 0.00 (the
    // reason shown to it); the first schema refused such a row, and forming the batch failed.
    this.addSql(`alter table settlement.payouts drop constraint payouts_amount_check`);
    this.addSql(`alter table settlement.payouts drop constraint payouts_status_check`);
    this.addSql(`alter table settlement.payouts add constraint payouts_status_check
      check (status in ('pending', 'in_transit', 'paid', 'returned', 'withheld'))`);
    this.addSql(`alter table settlement.payouts add constraint payouts_amount_check
      check (case when status = 'withheld' then amount = 0 else amount > 0 end)`);
  }
}
