import type { Sql } from '@esc/service-kit';

/** A payout's payment order as drawn up at the batch's first export. */
export interface PaymentOrderRow {
  payout_id: string;
  payer_account: string;
  year: number;
  number: number;
  drawn_up_at: string;
  time_zone: string;
}

export interface NewPaymentOrder {
  payoutId: string;
  batchId: string;
  payerAccount: string;
  year: number;
  number: number;
  drawnUpAt: string;
  timeZone: string;
}

/**
 * Takes `count` more numbers from the payer account's counter for the year and answers how many the
 * account has used in that year now, these included (they are the last `count`). The counter row stays
 * locked until the transaction ends, so two exports never take the same numbers.
 */
export async function takeNumbers(sql: Sql, payerAccount: string, year: number, count: number): Promise<number> {
  const row = await sql.one<{ issued: number }>(
    `insert into settlement.payment_order_counters as c (payer_account, year, issued) values ($1, $2, $3)
     on conflict (payer_account, year) do update set issued = c.issued + excluded.issued
     returning issued`,
    [payerAccount, year, count],
  );
  return row!.issued;
}

export async function insertPaymentOrders(sql: Sql, orders: readonly NewPaymentOrder[]): Promise<void> {
  const column = <T>(f: (o: NewPaymentOrder) => T) => orders.map(f);
  await sql.run(
    `insert into settlement.payment_orders (payout_id, batch_id, payer_account, year, number, drawn_up_at, time_zone)
     select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::int[], $6::timestamptz[], $7::text[])`,
    [
      column((o) => o.payoutId),
      column((o) => o.batchId),
      column((o) => o.payerAccount),
      column((o) => o.year),
      column((o) => o.number),
      column((o) => o.drawnUpAt),
      column((o) => o.timeZone),
    ],
  );
}

export async function paymentOrdersOfBatch(sql: Sql, batchId: string): Promise<PaymentOrderRow[]> {
  return sql.rows<PaymentOrderRow>(
    `select payout_id, payer_account, year, number, drawn_up_at, time_zone from settlement.payment_orders where batch_id = $1 order by number`,
    [batchId],
  );
}
