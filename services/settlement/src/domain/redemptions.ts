import { z } from 'zod';
import { Money } from '@esc/money';
import { ledgerAccountIds } from '@esc/ledger-client';
import type { EntityManager, EventEnvelope, Logger } from '@esc/service-kit';
import { insertRedemption, insertRejectedEvent } from '../data-access/redemption-store';
import { insertUnsettled } from '../data-access/run-store';

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

/**
 * What is wrong with a delivery's money, if anything: gross = unit cost × units exactly, the amount
 * to compensate = gross − the recipients' fee, nothing negative, and the payable is the provider's.
 * The certificates service promised this arithmetic; a payload that breaks it is kept aside, never settled.
 */
export function redemptionInconsistency(p: RedemptionPosted): string | undefined {
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
      ? redemptionInconsistency(parsed.data)
      : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    if (!parsed.success || reason) {
      logger.warn({ eventId: event.id, reason }, 'redemption.posted with an unusable payload; kept aside');
      await insertRejectedEvent(em, { id: event.id, topic: event.topic, reason: reason ?? 'invalid', payload: event.payload });
      return;
    }
    const p = parsed.data;
    const inserted = await insertRedemption(em, {
      redemptionId: p.redemption_id,
      eventId: event.id,
      certificateId: p.certificate_id,
      certificateNumber: p.certificate_number,
      certificateLineId: p.certificate_line_id,
      bookingId: p.booking_id,
      providerId: p.provider_id,
      fundingMode: p.provider_funding_mode,
      regionCode: p.region_code,
      budgetProgrammeId: p.budget_programme_id,
      budgetProgrammeCode: p.budget_programme_code,
      serviceCode: p.service_code,
      serviceName: p.service_name,
      unit: p.unit,
      units: p.units,
      unitCost: p.unit_cost,
      grossAmount: p.gross_amount,
      feeAmount: p.fee_amount,
      amount: p.amount,
      deliveredOn: p.delivered_on,
      postedAt: p.posted_at,
      ledgerTransferId: p.ledger_transfer_id,
      payableAccountId: p.payable_account_id,
    });
    if (!inserted) return;
    await insertUnsettled(em, { redemptionId: p.redemption_id, regionCode: p.region_code, deliveredOn: p.delivered_on });
  };
}
