import { sqlOf, type EntityManager } from '@esc/service-kit';

/** A confirmed delivery as redemption.posted brought it; never changed once recorded. */
export interface NewRedemption {
  redemptionId: string;
  eventId: string;
  certificateId: string;
  certificateNumber: string;
  certificateLineId: string;
  bookingId: string;
  providerId: string;
  fundingMode: 'compensation' | 'state_assignment';
  regionCode: string;
  budgetProgrammeId: string;
  budgetProgrammeCode: string;
  serviceCode: string;
  serviceName: string;
  unit: string;
  units: number;
  unitCost: string;
  grossAmount: string;
  feeAmount: string;
  amount: string;
  deliveredOn: string;
  postedAt: string;
  ledgerTransferId: string;
  payableAccountId: string;
}

/** Records an event whose payload cannot be settled, once per event id. */
export async function insertRejectedEvent(em: EntityManager, event: { id: string; topic: string; reason: string; payload: unknown }): Promise<void> {
  await sqlOf(em).run(`insert into settlement.rejected_events (event_id, topic, reason, payload) values ($1, $2, $3, $4) on conflict do nothing`, [
    event.id,
    event.topic,
    event.reason,
    JSON.stringify(event.payload ?? null),
  ]);
}

/** Answers false when the redemption was recorded before (under this or another event id). */
export async function insertRedemption(em: EntityManager, r: NewRedemption): Promise<boolean> {
  const inserted = await sqlOf(em).rows<{ redemption_id: string }>(
    `insert into settlement.redemptions (redemption_id, event_id, certificate_id, certificate_number, certificate_line_id, booking_id,
       provider_id, funding_mode, region_code, budget_programme_id, budget_programme_code, service_code, service_name, unit, units,
       unit_cost, gross_amount, fee_amount, amount, delivered_on, posted_at, ledger_transfer_id, payable_account_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
     on conflict (redemption_id) do nothing returning redemption_id`,
    [
      r.redemptionId, r.eventId, r.certificateId, r.certificateNumber, r.certificateLineId, r.bookingId,
      r.providerId, r.fundingMode, r.regionCode, r.budgetProgrammeId, r.budgetProgrammeCode, r.serviceCode,
      r.serviceName, r.unit, r.units, r.unitCost, r.grossAmount, r.feeAmount, r.amount, r.deliveredOn, r.postedAt,
      r.ledgerTransferId, r.payableAccountId,
    ],
  );
  return inserted.length > 0;
}

/**
 * The region a budget programme belongs to, as settlement knows it: from its deliveries, or else from
 * the payout limits its region's finance officers set. Undefined when neither exists yet.
 */
export async function regionOfProgramme(em: EntityManager, budgetProgrammeId: string): Promise<string | undefined> {
  const seen = await sqlOf(em).one<{ region_code: string }>(
    `(select region_code from settlement.redemptions where budget_programme_id = $1 limit 1)
     union all
     (select region_code from settlement.payout_limits where budget_programme_id = $1 limit 1)
     limit 1`,
    [budgetProgrammeId],
  );
  return seen?.region_code;
}
