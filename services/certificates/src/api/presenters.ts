import type { certificates } from '@esc/api-types';
import { Money } from '@esc/money';
import type { BookingRow, ProviderForLine } from '../domain/bookings';
import type { CabinetBooking, CabinetCertificate, CabinetDelivery, CabinetList } from '../domain/cabinet';
import type { CertificateRecord, CertificateRow } from '../domain/certificates';
import type { DeliveryRow } from '../domain/deliveries';
import type { Feedback } from '../domain/feedback';
import { fullName, type Recipient } from '../domain/recipients';
import { refusalView, type RefusalCode } from '../domain/refusals';
import { missedDeadline, type Assessment, type Programme } from '../domain/assessments';
import type { BudgetProgrammeAllocation, BudgetProgrammeBalance, BudgetProgrammeRow, RegionalParameters } from '../domain/budget';
import type { BulkIssueErrorRow, BulkIssueRow } from '../domain/bulk-issues';
import { perCapitaIncome } from '../domain/fees';
import type { MyRequests } from '../domain/requests';

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

// Recipients, assessments, programmes, budget and bulk issues.
type Operations = certificates.operations;

/** Timestamps arrive as Date (entities) or text (hand-written SQL, other drivers); answers carry ISO 8601. */
const iso = (value: Date | string): string => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));

export function recipientView(r: Recipient): Schemas['Recipient'] {
  const income = perCapitaIncome({ ownIncome: r.own_income, household: r.household });
  return {
    id: r.id,
    snils: r.snils,
    region_code: r.region_code,
    last_name: r.last_name,
    first_name: r.first_name,
    middle_name: r.middle_name,
    birth_date: r.birth_date,
    district_code: r.district_code,
    address: r.address,
    phone: r.phone,
    categories: r.categories,
    own_income: r.own_income,
    household: r.household,
    per_capita_income: { total: income.total, persons: income.persons, exact: income.exact, rounded: income.rounded.toString() },
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
}

export function programmeView(p: Programme): Schemas['Programme'] {
  return { id: p.id, assessment_id: p.assessment_id, valid_from: p.valid_from, lines: p.lines, drawn_by: p.drawn_by, drawn_at: iso(p.drawn_at) };
}

export function assessmentView(a: Assessment, programme?: Programme | null): Schemas['Assessment'] {
  return {
    id: a.id,
    recipient_id: a.recipient_id,
    region_code: a.region_code,
    source: a.source,
    life_event_id: a.life_event_id,
    status: a.status,
    reason: a.reason,
    opened_on: a.opened_on,
    decision_due: a.decision_due,
    programme_due: a.programme_due,
    decided_by: a.decided_by,
    decided_at: isoOrNull(a.decided_at),
    refusal: a.refusal_code ? (refusalView(a.refusal_code as RefusalCode) as Schemas['Refusal']) : null,
    programme: programme ? programmeView(programme) : null,
  };
}

export function overdueAssessmentView(a: Assessment): Schemas['OverdueAssessment'] {
  return { ...assessmentView(a), ...missedDeadline(a) };
}

export function parametersView(p: RegionalParameters): Schemas['RegionalParameters'] {
  return {
    region_code: p.region_code,
    valid_from: p.valid_from,
    subsistence_minimum: p.subsistence_minimum,
    limit_coefficient: p.limit_coefficient,
    set_by: p.set_by,
    set_at: iso(p.set_at),
  };
}

export function budgetProgrammeView(p: BudgetProgrammeRow): Schemas['BudgetProgramme'] {
  return {
    id: p.id,
    region_code: p.region_code,
    code: p.code,
    name: p.name,
    year: p.year,
    allocation_account_id: p.allocation_account_id,
    created_at: iso(p.created_at),
  };
}

export function budgetProgrammeBalanceView(b: BudgetProgrammeBalance): Schemas['BudgetProgrammeBalance'] {
  return { ...budgetProgrammeView(b.programme), funded: b.funded, committed: b.committed, available: b.available };
}

export function budgetProgrammeAllocationView(b: BudgetProgrammeAllocation): Schemas['BudgetProgrammeAllocation'] {
  return { ...budgetProgrammeBalanceView(b), held: b.held, redeemed: b.redeemed, ledger_balance: b.ledger_balance };
}

export function bulkIssueView(b: BulkIssueRow): Schemas['BulkIssue'] {
  return {
    id: b.id,
    status: b.status,
    region_code: b.region_code,
    budget_programme_id: b.budget_programme_id,
    file_name: b.file_name,
    total_rows: b.total_rows,
    processed_rows: b.processed_rows,
    issued: b.issued,
    failed: b.failed,
    issued_on: b.issued_on,
    created_by: b.created_by,
    created_at: iso(b.created_at),
    started_at: isoOrNull(b.started_at),
    finished_at: isoOrNull(b.finished_at),
    failure: b.failure_detail ? { detail: b.failure_detail } : null,
    links: { self: `/v1/bulk-issues/${b.id}`, errors: `/v1/bulk-issues/${b.id}/errors` },
  };
}

type BulkIssueErrorsPage = Operations['listBulkIssueErrors']['responses'][200]['content']['application/json'];

/** A page of the rows not issued; the cursor is the last row's number while pages come full. */
export function bulkIssueErrorsView(rows: BulkIssueErrorRow[], limit: number): BulkIssueErrorsPage {
  return {
    items: rows.map((r): Schemas['BulkIssueRowError'] => ({ row_no: r.row_no, snils: r.snils, code: r.error_code, detail: r.error_detail })),
    next_cursor: rows.length === limit ? rows[rows.length - 1]!.row_no : null,
  };
}

export function myRequestsView(r: MyRequests): Schemas['MyRequests'] {
  return {
    recipient_id: r.recipient_id,
    items: r.items.map((i) => ({ ...i, at: iso(i.at as string), refusal: i.refusal ?? null }) as Schemas['HistoryItem']),
    notices: r.notices.map((n) => ({ ...n, created_at: iso(n.created_at) })),
  };
}
