import type { certificates } from '@esc/api-types';
import { Money } from '@esc/money';
import type { BookingRow, ProviderForLine } from '../domain/bookings';
import type { CabinetBooking, CabinetCertificate, CabinetDelivery, CabinetList } from '../domain/cabinet';
import type { CertificateRecord, CertificateRow } from '../domain/certificates';
import type { DeliveryRow } from '../domain/deliveries';
import type { Feedback } from '../domain/feedback';
import { fullName } from '../domain/recipients';
import { refusalView } from '../domain/refusals';

/** The bodies the certificates API answers with, typed by its contract (openapi/certificates.yaml). */

type Schemas = certificates.components['schemas'];

// ── Certificates, bookings, deliveries, the cabinet ─────────────────────────────────────────────

/** The certificate's three sections (189-FZ): I general, II services and providers, III contracts, acts and results. */
export function certificateView(r: CertificateRecord): Schemas['Certificate'] {
  const c = r.certificate;
  const contracts = r.bookings.map((b) => ({ ...bookingView(b), deliveries: r.deliveries.filter((d) => d.booking_id === b.id).map(deliveryView) }));
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    status_reason: c.status_reason,
    region_code: c.region_code,
    value: c.value,
    gross_amount: c.gross_amount,
    fee_amount: c.fee_amount,
    released_amount: c.released_amount,
    general: {
      holder: { recipient_id: r.recipient.id, name: fullName(r.recipient), snils: r.recipient.snils },
      issuer: { region_code: c.region_code, issued_by: c.issued_by },
      budget_programme_id: c.budget_programme_id,
      programme_id: c.programme_id,
      issued_on: c.issued_on,
      valid_from: c.valid_from,
      valid_to: c.valid_to,
      fee_calculation: c.fee_calculation,
    },
    services: r.lines.map((l) => ({
      line_id: l.id,
      line_no: l.line_no,
      service_code: l.service_code,
      service_name: l.service_name,
      form: l.form,
      unit: l.unit,
      volume_per_month: l.volume_per_month,
      months: l.months,
      volume: l.volume,
      unit_cost: l.unit_cost,
      cost_breakdown: l.cost_breakdown,
      gross_amount: l.gross_amount,
      fee_amount: l.fee_amount,
      value: l.net_amount,
      units_booked: l.units_booked,
      units_in_use: l.units_consumed,
      units_confirmed: l.units_confirmed,
      amount_charged: l.amount_consumed,
      providers: r.bookings
        .filter((b) => b.line_id === l.id && (b.status === 'requested' || b.status === 'accepted'))
        .map((b) => ({ booking_id: b.id, provider_id: b.provider_id, provider_name: b.provider_name, status: b.status as 'requested' | 'accepted' })),
    })),
    contracts,
    refusal: c.status === 'refused' ? refusalView('budget_exhausted') : null,
    ledger_balance: r.ledgerBalance,
  };
}

export function certificateSummaryView(c: CertificateRow): Schemas['CertificateSummary'] {
  return { id: c.id, number: c.number, status: c.status, value: c.value, valid_from: c.valid_from, valid_to: c.valid_to, recipient_id: c.recipient_id };
}

export function providerOptionView(p: ProviderForLine): Schemas['ProviderOption'] {
  return {
    provider_id: p.provider.id,
    name: p.provider.name,
    funding_mode: p.provider.funding_mode,
    rating: p.provider.rating,
    rating_count: p.provider.rating_count,
    accessibility: p.provider.accessibility,
    locations: p.provider.locations,
    capacity_per_month: p.capacityPerMonth,
    free_capacity_per_month: p.freeCapacityPerMonth,
    fits: true,
    in_recipient_district: p.inRecipientDistrict,
  };
}

export function bookingView(b: BookingRow): Schemas['Booking'] {
  return {
    id: b.id,
    certificate_id: b.certificate_id,
    line_id: b.line_id,
    provider_id: b.provider_id,
    provider_name: b.provider_name,
    funding_mode: b.funding_mode,
    service_code: b.service_code,
    units: b.units,
    units_per_month: b.units_per_month,
    units_in_use: b.units_consumed,
    units_confirmed: b.units_confirmed,
    status: b.status,
    requested_at: b.requested_at,
    decided_at: b.decided_at,
    decline: b.decline_code ? { code: b.decline_code, reason: b.decline_reason } : null,
  };
}

/** The person's share of an act: what the act is worth less what it charges the certificate. */
const feeOf = (d: Pick<DeliveryRow, 'gross_amount' | 'amount'>) => Money.parse(d.gross_amount).subtract(Money.parse(d.amount)).toString();

export function deliveryView(d: DeliveryRow): Schemas['Delivery'] {
  return {
    id: d.id,
    booking_id: d.booking_id,
    certificate_id: d.certificate_id,
    line_id: d.line_id,
    provider_id: d.provider_id,
    delivered_on: d.delivered_on,
    units: d.units,
    staff: d.staff,
    amount: d.amount,
    gross_amount: d.gross_amount,
    fee_amount: feeOf(d),
    status: d.status,
    confirm_by: d.confirm_by,
    recorded_at: d.recorded_at,
    resolution: d.resolution,
    resolved_at: d.resolved_at,
    confirmed_units: d.confirmed_units,
    posted_amount: d.posted_amount,
    dispute_reason: d.dispute_reason,
    refusal_code: d.refusal_code,
  };
}

export function feedbackView(f: Feedback): Schemas['Feedback'] {
  return { delivery_id: f.delivery_id, provider_id: f.provider_id, score: f.score, comment: f.comment, created_at: f.created_at };
}

export function myCertificatesView(list: CabinetList<CabinetCertificate>): Schemas['MyCertificates'] {
  return { recipient_id: list.recipientId, items: list.items.map(cabinetCertificateView) };
}

function cabinetCertificateView({ certificate: c, lines, balance, expiresInDays }: CabinetCertificate): Schemas['CabinetCertificate'] {
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    status_reason: c.status_reason,
    region_code: c.region_code,
    value: c.value,
    gross_amount: c.gross_amount,
    fee_amount: c.fee_amount,
    issued_on: c.issued_on,
    valid_from: c.valid_from,
    valid_to: c.valid_to,
    expires_in_days: expiresInDays,
    lines: lines.map(({ line: l, money: m }) => ({
      line_id: l.id,
      line_no: l.line_no,
      service_code: l.service_code,
      service_name: l.service_name || null,
      form: l.form,
      unit: l.unit,
      volume_per_month: l.volume_per_month,
      months: l.months,
      volume: l.volume,
      unit_cost: l.unit_cost,
      value: l.net_amount,
      units_booked: l.units_booked,
      units_in_use: l.units_consumed,
      units_confirmed: l.units_confirmed,
      units_free: Math.max(0, l.volume - l.units_booked),
      available: m.available.toString(),
      held: m.held.toString(),
      spent: m.spent.toString(),
      released: m.released.toString(),
    })),
    balance,
    balance_unavailable: !balance,
  };
}

export function myDeliveriesView(list: CabinetList<CabinetDelivery>): Schemas['MyDeliveries'] {
  return { recipient_id: list.recipientId, items: list.items.map(cabinetDeliveryView) };
}

function cabinetDeliveryView({ delivery: d, canConfirm, canRate }: CabinetDelivery): Schemas['CabinetDelivery'] {
  const rated = d.feedback_score != null;
  return {
    id: d.id,
    booking_id: d.booking_id,
    certificate_id: d.certificate_id,
    certificate_number: d.certificate_number,
    line_id: d.line_id,
    line_no: d.line_no,
    service_code: d.service_code,
    service_name: d.service_name || null,
    unit: d.unit,
    provider_id: d.provider_id,
    provider_name: d.provider_name,
    delivered_on: d.delivered_on,
    units: d.units,
    amount: d.amount,
    gross_amount: d.gross_amount,
    fee_amount: feeOf(d),
    staff: d.staff,
    status: d.status,
    resolution: d.resolution,
    recorded_at: d.recorded_at,
    // The lapse job posts an unanswered act once confirm_by has passed (the window from the hold).
    auto_confirm_at: d.status === 'held' || d.status === 'authorising' ? d.confirm_by : null,
    resolved_at: d.resolved_at,
    confirmed_units: d.confirmed_units,
    posted_amount: d.posted_amount,
    dispute_reason: d.dispute_reason,
    feedback_given: rated,
    feedback: rated ? { score: d.feedback_score!, comment: d.feedback_comment, created_at: d.feedback_at! } : null,
    can_confirm: canConfirm,
    can_rate: canRate,
  };
}

export function myBookingsView(list: CabinetList<CabinetBooking>): Schemas['MyBookings'] {
  return {
    recipient_id: list.recipientId,
    items: list.items.map(({ booking: b, cancelUnavailableReason }) => ({
      ...bookingView(b),
      certificate_number: b.certificate_number,
      line_no: b.line_no,
      service_name: b.service_name || null,
      unit: b.unit,
      can_cancel: cancelUnavailableReason === null,
      cancel_unavailable_reason: cancelUnavailableReason,
    })),
  };
}
