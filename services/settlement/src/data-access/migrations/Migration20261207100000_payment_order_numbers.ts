import { Migration } from '@mikro-orm/migrations';

export class Migration20261207100000_payment_order_numbers extends Migration {
  override async up(): Promise<void> {
    // How many payment order numbers each payer account has used in a year (numbers are unique per account and year).
    this.addSql(`create table settlement.payment_order_counters (
      payer_account text not null,
      year integer not null,
      issued integer not null check (issued >= 0),
      primary key (payer_account, year)
    )`);
    // A payout's payment order, drawn up when its batch is first exported; every later export repeats it.
    // A number is at most six digits and never ends in 000 (banks refuse such a number).
    this.addSql(`create table settlement.payment_orders (
      payout_id uuid primary key references settlement.payouts (id),
      batch_id uuid not null references settlement.payout_batches (id),
      payer_account text not null,
      year integer not null,
      number integer not null check (number between 1 and 999999 and number % 1000 <> 0),
      drawn_up_at timestamptz not null,
      time_zone text not null,
      unique (payer_account, year, number)
    )`);
    this.addSql(`create index payment_orders_batch on settlement.payment_orders (batch_id)`);
  }
}
