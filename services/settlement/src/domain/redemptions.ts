import { z } from 'zod';
import { Money } from '@esc/money';
import { ledgerAccountIds } from '@esc/ledger-client';
import type { EntityManager, EventEnvelope, Logger } from '@esc/service-kit';

const amount = z.string().regex(/^-?(0|[1-9][0-9]{0,17})\.[0-9]{2}$/, 'a decimal string with two decimals');

export const redemptionPostedPayload = z.object({
  redemption_id: z.uuid(),
  certificate_id: z.uuid(),
  certificate_number: z.string().min(1).max(64),
  certificate_line_id: z.uuid(),
  booking_id: z.uuid(),
  provider_id: z.uuid(),
  provider_funding_mode: z.enum(['compensation', 'state_assignment']),
  region_code: z.string().regex(/^[0-9]{2}$/),
  budget_programme_id: z.uuid(),
  budget_programme_code: z.string().min(1).max(64),
  service_code: z.string().min(1).max(64),
  service_name: z.string().min(1).max(500),
  unit: z.string().min(1).max(32),
  units: z.number().int().positive(),
  unit_cost: amount,
  gross_amount: amount,
  fee_amount: amount,
  amount,
  delivered_on: z.iso.date(),
  posted_at: z.iso.datetime({ offset: true }),
  ledger_transfer_id: z.uuid(),
  payable_account_id: z.uuid(),
});

export type RedemptionPosted = z.infer<typeof redemptionPostedPayload>;

/** Arithmetic the certificates service promised; a payload that breaks it is kept aside, never settled. */
function inconsistency(p: RedemptionPosted): string | undefined {
  const unitCost = Money.parse(p.unit_cost);
  const gross = Money.parse(p.gross_amount);
  const fee = Money.parse(p.fee_amount);
  const net = Money.parse(p.amount);
  if (unitCost.isNegative() || fee.isNegative() || net.isNegative()) return 'отрицательная сумма';
  if (!unitCost.multiply(String(p.units)).equals(gross)) return `gross_amount ${p.gross_amount} ≠ unit_cost ${p.unit_cost} × units ${p.units}`;
  if (!gross.subtract(fee).equals(net)) return `amount ${p.amount} ≠ gross_amount ${p.gross_amount} − fee_amount ${p.fee_amount}`;
  if (p.payable_account_id !== ledgerAccountIds.providerPayable(p.provider_id)) return 'payable_account_id не совпадает со счётом поставщика';
  return undefined;
}

/**
 * redemption.posted from certificates: one confirmed delivery to settle. A redelivered event never
 * reaches here twice (the consumer records the event id in this transaction), and the same
 * redemption under another event id is ignored by its primary key.
 */
export function onRedemptionPosted(logger: Logger) {
  return async (event: EventEnvelope, em: EntityManager): Promise<void> => {
    const parsed = redemptionPostedPayload.safeParse(event.payload);
    const reason = parsed.success
      ? inconsistency(parsed.data)
      : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    if (!parsed.success || reason) {
      logger.warn({ eventId: event.id, reason }, 'redemption.posted with an unusable payload; kept aside');
      await em.execute(
        `insert into settlement.rejected_events (event_id, topic, reason, payload) values (?, ?, ?, ?) on conflict do nothing`,
        [event.id, event.topic, reason ?? 'invalid', JSON.stringify(event.payload ?? null)],
      );
      return;
    }
    const p = parsed.data;
    const inserted: unknown[] = await em.execute(
      `insert into settlement.redemptions (redemption_id, event_id, certificate_id, certificate_number, certificate_line_id, booking_id,
         provider_id, funding_mode, region_code, budget_programme_id, budget_programme_code, service_code, service_name, unit, units,
         unit_cost, gross_amount, fee_amount, amount, delivered_on, posted_at, ledger_transfer_id, payable_account_id)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (redemption_id) do nothing returning redemption_id`,
      [
        p.redemption_id, event.id, p.certificate_id, p.certificate_number, p.certificate_line_id, p.booking_id,
        p.provider_id, p.provider_funding_mode, p.region_code, p.budget_programme_id, p.budget_programme_code, p.service_code,
        p.service_name, p.unit, p.units, p.unit_cost, p.gross_amount, p.fee_amount, p.amount, p.delivered_on, p.posted_at,
        p.ledger_transfer_id, p.payable_account_id,
      ],
    );
    if (inserted.length === 0) return;
    await em.execute(`insert into settlement.unsettled (redemption_id, region_code, delivered_on) values (?, ?, ?)`, [
      p.redemption_id,
      p.region_code,
      p.delivered_on,
    ]);
  };
}
