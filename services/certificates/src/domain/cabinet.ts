import { Money } from '@esc/money';
import { ledgerAccountIds, type LedgerAccount } from '@esc/ledger-client';
import { AppError, forbidden, type EntityManager, type Principal } from '@esc/service-kit';
import { bookingsOfRecipient, certificatesOfRecipient, deliveriesOfRecipient, linesOfCertificates } from '../data-access/cabinet-store';
import { assertCaseworkerOf, isCitizen } from './access';
import { actTotalsByLine, certificateBalance, lineMoney, UNFUNDED, type LineMoney } from './balances';
import { bookingView, whyNotCancellable, type BookingRow } from './bookings';
import type { CertificateLineRow, CertificateRow } from './certificates';
import type { Deps } from './context';
import type { DeliveryRow } from './deliveries';
import { findRecipient, findRecipientBySnils, type RecipientRow } from './recipients';
import { iso, isoOrNull } from './time';
import { todayInRussia } from './working-days';

/**
 * Whose cabinet is read: a citizen's own (by the SNILS of the token; null when they are not in the
 * register), or, for a case worker of the region or an admin acting for a citizen, the recipient named.
 */
export async function cabinetRecipient(em: EntityManager, principal: Principal, recipientId?: string): Promise<RecipientRow | null> {
  const actsForOthers = principal.roles.includes('caseworker') || principal.roles.includes('admin');
  const citizen = principal.roles.includes('citizen');
  if (actsForOthers && (recipientId || !citizen)) {
    if (!recipientId) {
      throw new AppError('validation', 'recipient_id_required', 'Укажите recipient_id — получателя услуг, за которого вы действуете.', {}, [
        { field: 'recipient_id', message: 'обязателен для специалиста органа социальной защиты' },
      ]);
    }
    const recipient = await findRecipient(em, recipientId);
    assertCaseworkerOf(principal, recipient.region_code);
    return recipient;
  }
  if (citizen) {
    if (!principal.snils) throw forbidden('Личный кабинет доступен гражданину, вошедшему через Госуслуги (нужен СНИЛС).', 'citizen_only');
    const recipient = await findRecipientBySnils(em, principal.snils);
    if (recipientId && recipient?.id !== recipientId) throw forbidden('Вы можете смотреть только свои сертификаты, записи и акты.', 'not_your_record');
    return recipient ?? null;
  }
  throw forbidden('Личный кабинет получателя открыт самому гражданину и специалистам органа социальной защиты его региона.', 'not_your_record');
}

/** Statuses in which a certificate can no longer be used, so its remaining days mean nothing. */
const CLOSED = ['refused', 'exhausted', 'expired', 'revoked'];

/** Days left of the validity, today and valid_to both counted: 1 on the last day, 0 after it. */
export function expiresInDays(c: Pick<CertificateRow, 'status' | 'valid_to'>, today = todayInRussia()): number | null {
  if (CLOSED.includes(c.status)) return null;
  return Math.max(0, Math.round((Date.parse(c.valid_to) - Date.parse(today)) / 86_400_000) + 1);
}

export async function myCertificates(deps: Deps, principal: Principal, query: { recipient_id?: string }) {
  const em = deps.orm.em.fork();
  const recipient = await cabinetRecipient(em, principal, query.recipient_id);
  if (!recipient) return { recipient_id: null, items: [] };
  const certificates = await certificatesOfRecipient(em, recipient.id);
  const ids = certificates.map((c) => c.id);
  const lines = ids.length ? await linesOfCertificates(em, ids) : [];
  const totals = await actTotalsByLine(em, ids);
  const accounts = await Promise.all(ids.map((id) => deps.ledger.getAccount(ledgerAccountIds.certificate(id)).catch(() => undefined)));
  const today = todayInRussia();
  return {
    recipient_id: recipient.id,
    items: certificates.map((c, i) => {
      const own = lines.filter((l) => l.certificate_id === c.id);
      const money = lineMoney(own, totals, c.released_amount, !UNFUNDED.includes(c.status));
      return cabinetCertificateView(c, own, money, accounts[i], today);
    }),
  };
}

function cabinetCertificateView(c: CertificateRow, lines: CertificateLineRow[], money: LineMoney[], account: LedgerAccount | undefined, today: string) {
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
    expires_in_days: expiresInDays(c, today),
    lines: lines.map((l, i) => {
      const m = money[i]!;
      return {
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
      };
    }),
    balance: account ? certificateBalance(account, money, c.released_amount) : null,
    balance_unavailable: !account,
  };
}

/** Acts of all the recipient's certificates, newest recorded first, with what the cabinet offers to do with each. */
export async function myDeliveries(deps: Deps, principal: Principal, query: { recipient_id?: string; status?: DeliveryRow['status'] }) {
  const em = deps.orm.em.fork();
  const recipient = await cabinetRecipient(em, principal, query.recipient_id);
  if (!recipient) return { recipient_id: null, items: [] };
  const rows = await deliveriesOfRecipient(em, recipient.id, query.status);
  const recipientAsks = isCitizen(principal, recipient.snils);
  return {
    recipient_id: recipient.id,
    items: rows.map((d) => {
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
        fee_amount: Money.parse(d.gross_amount).subtract(Money.parse(d.amount)).toString(),
        staff: d.staff,
        status: d.status,
        resolution: d.resolution,
        recorded_at: iso(d.recorded_at),
        // The lapse job posts an unanswered act once confirm_by has passed (the window from the hold).
        auto_confirm_at: d.status === 'held' || d.status === 'authorising' ? iso(d.confirm_by) : null,
        resolved_at: isoOrNull(d.resolved_at),
        confirmed_units: d.confirmed_units,
        posted_amount: d.posted_amount,
        dispute_reason: d.dispute_reason,
        feedback_given: rated,
        feedback: rated ? { score: d.feedback_score!, comment: d.feedback_comment, created_at: iso(d.feedback_at!) } : null,
        can_confirm: d.status === 'held',
        can_rate: d.status === 'posted' && !rated && recipientAsks,
      };
    }),
  };
}

/** Bookings on all the recipient's certificates, newest first, with whether the citizen can cancel each now. */
export async function myBookings(deps: Deps, principal: Principal, query: { recipient_id?: string; status?: BookingRow['status'] }) {
  const em = deps.orm.em.fork();
  const recipient = await cabinetRecipient(em, principal, query.recipient_id);
  if (!recipient) return { recipient_id: null, items: [] };
  const rows = await bookingsOfRecipient(em, recipient.id, query.status);
  return {
    recipient_id: recipient.id,
    items: rows.map((b) => {
      const refusal = whyNotCancellable(b);
      return {
        ...bookingView(b),
        certificate_number: b.certificate_number,
        line_no: b.line_no,
        service_name: b.service_name || null,
        unit: b.unit,
        can_cancel: refusal === null,
        cancel_unavailable_reason: refusal,
      };
    }),
  };
}
