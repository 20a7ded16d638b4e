import { Money } from '@esc/money';
import type { CertificateStatus } from '../data-access/certificate-store';
import type { DeliveryResolution } from '../data-access/delivery-store';
import { chargeForUnits, partialPostAmount } from './fees';
import { restrictionOf } from './provider-standing';
import type { RefusalCode } from './refusals';

/**
 * The rules of spending a certificate on delivered services: whether an act is accepted and what it
 * holds, and what settling an act posts. Pure: the use cases read and lock, call these, then write.
 */

/** Statuses in which a certificate can be booked and charged. */
export const SPENDABLE: readonly CertificateStatus[] = ['issued', 'active'];

/** The act's line as locked for recording, with its certificate and its booking. */
export interface LockedForRecording {
  certificate_status: string;
  valid_from: string;
  valid_to: string;
  net_amount: string;
  volume: number;
  unit_cost: string;
  booking_status: string;
  booking_units: number;
  /** The registry's standing of the booking's provider as last reported here (null: none reported). */
  provider_standing: string | null;
}

/** What the line and the booking already have in use: acts held or posted, including earlier acts of the same batch. */
export interface RecordedUsage {
  lineUnits: number;
  lineAmount: Money;
  bookingUnits: number;
}

export interface ActRequest {
  units: number;
  delivered_on: string;
}

export type RecordingDecision =
  /** Hold `amount` on the certificate for the act; `usage` is the line's and booking's after it. */
  | { kind: 'accept'; amount: Money; gross: Money; usage: RecordedUsage }
  /** Refuse the act, recorded in the person's history, with what to do next. */
  | { kind: 'refuse'; code: RefusalCode }
  /** Not an act this booking can take at all. */
  | { kind: 'reject'; problem: 'booking_not_accepted' };

/**
 * Whether the provider's act is accepted: the booking accepted, the provider not suspended or excluded
 * by the registry, the certificate spendable, the date
 * within its validity and not after today, the units within what the booking and the line have left,
 * money left on the line. The charge spreads the line's value over its volume (see chargeForUnits).
 */
export function decideRecording(locked: LockedForRecording, usage: RecordedUsage, act: ActRequest, today: string): RecordingDecision {
  if (locked.booking_status !== 'accepted') return { kind: 'reject', problem: 'booking_not_accepted' };
  const restriction = restrictionOf(locked.provider_standing);
  if (restriction) return { kind: 'refuse', code: restriction };
  if (!SPENDABLE.includes(locked.certificate_status as CertificateStatus)) return { kind: 'refuse', code: 'certificate_not_active' };
  if (act.delivered_on < locked.valid_from || act.delivered_on > locked.valid_to || act.delivered_on > today) return { kind: 'refuse', code: 'date_outside_validity' };
  if (act.units > locked.booking_units - usage.bookingUnits) return { kind: 'refuse', code: 'units_beyond_booking' };
  if (act.units > locked.volume - usage.lineUnits) return { kind: 'refuse', code: 'units_beyond_booking' };
  const netAmount = Money.parse(locked.net_amount);
  if (netAmount.lte(usage.lineAmount) && netAmount.isPositive()) return { kind: 'refuse', code: 'insufficient_balance' };
  const amount = chargeForUnits({ netAmount, volume: locked.volume, unitsConsumed: usage.lineUnits, amountConsumed: usage.lineAmount }, act.units);
  return {
    kind: 'accept',
    amount,
    gross: Money.parse(locked.unit_cost).multiply(String(act.units)),
    usage: { lineUnits: usage.lineUnits + act.units, lineAmount: usage.lineAmount.add(amount), bookingUnits: usage.bookingUnits + act.units },
  };
}

/** What the person (or the confirmation window) decided about an act. */
export interface Resolution {
  confirmedUnits: number;
  disputeReason?: string | null;
  auto?: boolean;
}

export type SettlementDecision =
  /** Post `posted` of the `held` amount (a void when nothing is confirmed). */
  | { kind: 'settle'; held: Money; posted: Money }
  | { kind: 'reject'; problem: 'delivery_already_resolved' | 'delivery_not_held' };

/** Settling an act: only a held act settles; the confirmed share of its hold is posted, rounded half-up. */
export function decideSettlement(act: { status: string; amount: string; units: number }, resolution: Resolution): SettlementDecision {
  if (act.status === 'posted' || act.status === 'voided') return { kind: 'reject', problem: 'delivery_already_resolved' };
  if (act.status !== 'held') return { kind: 'reject', problem: 'delivery_not_held' };
  const held = Money.parse(act.amount);
  return { kind: 'settle', held, posted: resolution.confirmedUnits === 0 ? Money.zero() : partialPostAmount(held, act.units, resolution.confirmedUnits) };
}

/** How the act's settlement is recorded: the hold lapsed in the ledger, posted by the window, or as the person decided. */
export function resolutionOf(units: number, resolution: Resolution, holdExpired: boolean): DeliveryResolution {
  if (holdExpired) return 'hold_expired';
  if (resolution.auto) return 'auto_confirmed';
  if (resolution.confirmedUnits === 0) return 'disputed';
  return resolution.confirmedUnits < units ? 'partly_disputed' : 'confirmed';
}

/**
 * The units a post of `posted` out of a hold of `held` for `units` confirmed, read back from the
 * amount (settling always derives it from them); undefined when no number of units gives it.
 */
export function confirmedUnitsOfPost(held: Money, units: number, posted: Money): number | undefined {
  for (let confirmed = units; confirmed > 0; confirmed--) if (partialPostAmount(held, units, confirmed).equals(posted)) return confirmed;
  return undefined;
}

/** What makes an act the act it is: sent again with the same id, these must match for it to be a repeat. */
export interface ActIdentity {
  booking_id: string;
  delivered_on: string;
  units: number;
  staff: { name: string; position: string };
}

export type ActField = 'booking_id' | 'delivered_on' | 'units' | 'staff.name' | 'staff.position';

/**
 * The fields in which an act sent with an id differs from the act already recorded (or refused) under
 * it; empty when it is the same act sent again. Staff names and positions compare as stored (trimmed,
 * case and spacing kept): another spelling is another document. The amount is not compared: it is
 * computed, not sent.
 */
export function actDifferences(recorded: ActIdentity, sent: ActIdentity): ActField[] {
  const fields: ActField[] = [];
  if (recorded.booking_id !== sent.booking_id) fields.push('booking_id');
  if (recorded.delivered_on !== sent.delivered_on) fields.push('delivered_on');
  if (recorded.units !== sent.units) fields.push('units');
  if (recorded.staff?.name !== sent.staff.name) fields.push('staff.name');
  if (recorded.staff?.position !== sent.staff.position) fields.push('staff.position');
  return fields;
}
