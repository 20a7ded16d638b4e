import { ledgerAccountIds } from '@esc/ledger-client';
import { AppError, forbidden, type EntityManager, type Principal } from '@esc/service-kit';
import type { BookingStatus } from '../data-access/booking-store';
import {
  bookingsOfRecipient,
  certificatesOfRecipient,
  deliveriesOfRecipient,
  linesOfCertificates,
  type CabinetBookingRow,
  type CabinetDeliveryRow,
} from '../data-access/cabinet-store';
import type { CertificateLineRow, CertificateRow } from '../data-access/certificate-store';
import type { DeliveryStatus } from '../data-access/delivery-store';
import { assertCaseworkerOf, isCitizen } from './access';
import { actTotalsByLine, certificateBalance, lineMoney, UNFUNDED, type CertificateBalance, type LineMoney } from './balances';
import { whyNotCancellable } from './bookings';
import type { Deps } from './context';
import { findRecipient, findRecipientBySnils, type RecipientRow } from './recipients';
import { todayIn } from './business-date';

export type { CabinetBookingRow, CabinetDeliveryRow } from '../data-access/cabinet-store';

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
export function expiresInDays(c: Pick<CertificateRow, 'status' | 'valid_to'>, today: string): number | null {
  if (CLOSED.includes(c.status)) return null;
  return Math.max(0, Math.round((Date.parse(c.valid_to) - Date.parse(today)) / 86_400_000) + 1);
}

/** A certificate as the recipient's cabinet shows it: each line with its money, and the ledger account they add up to. */
export interface CabinetCertificate {
  certificate: CertificateRow;
  lines: Array<{ line: CertificateLineRow; money: LineMoney }>;
  /** Null when the ledger cannot be read. */
  balance: CertificateBalance | null;
  expiresInDays: number | null;
}

/** What a cabinet lists: the recipient whose it is (null for a citizen not in the register) and the items. */
export interface CabinetList<T> {
  recipientId: string | null;
  items: T[];
}

export async function myCertificates(deps: Deps, principal: Principal, input: { recipient_id?: string }): Promise<CabinetList<CabinetCertificate>> {
  const em = deps.orm.em.fork();
  const recipient = await cabinetRecipient(em, principal, input.recipient_id);
  if (!recipient) return { recipientId: null, items: [] };
  const certificates = await certificatesOfRecipient(em, recipient.id);
  const ids = certificates.map((c) => c.id);
  const lines = ids.length ? await linesOfCertificates(em, ids) : [];
  const totals = await actTotalsByLine(em, ids);
  const accounts = await Promise.all(ids.map((id) => deps.ledger.getAccount(ledgerAccountIds.certificate(id)).catch(() => undefined)));
  const today = todayIn(deps, recipient.region_code);
  return {
    recipientId: recipient.id,
    items: certificates.map((c, i) => {
      const own = lines.filter((l) => l.certificate_id === c.id);
      const money = lineMoney(own, totals, c.released_amount, !UNFUNDED.includes(c.status));
      const account = accounts[i];
      return {
        certificate: c,
        lines: own.map((line, j) => ({ line, money: money[j]! })),
        balance: account ? certificateBalance(account, money, c.released_amount) : null,
        expiresInDays: expiresInDays(c, today),
      };
    }),
  };
}

/** An act in the cabinet, with what the cabinet offers to do with it. */
export interface CabinetDelivery {
  delivery: CabinetDeliveryRow;
  /** Held: it can be confirmed or disputed now. */
  canConfirm: boolean;
  /** Posted, not yet rated, and the recipient asks. */
  canRate: boolean;
}

/** Acts of all the recipient's certificates, newest recorded first, with what the cabinet offers to do with each. */
export async function myDeliveries(deps: Deps, principal: Principal, input: { recipient_id?: string; status?: DeliveryStatus }): Promise<CabinetList<CabinetDelivery>> {
  const em = deps.orm.em.fork();
  const recipient = await cabinetRecipient(em, principal, input.recipient_id);
  if (!recipient) return { recipientId: null, items: [] };
  const rows = await deliveriesOfRecipient(em, recipient.id, input.status);
  const recipientAsks = isCitizen(principal, recipient.snils);
  return {
    recipientId: recipient.id,
    items: rows.map((d) => ({ delivery: d, canConfirm: d.status === 'held', canRate: d.status === 'posted' && d.feedback_score == null && recipientAsks })),
  };
}

/** A booking in the cabinet, with why the citizen cannot cancel it now (null when they can). */
export interface CabinetBooking {
  booking: CabinetBookingRow;
  cancelUnavailableReason: string | null;
}

/** Bookings on all the recipient's certificates, newest first, with whether the citizen can cancel each now. */
export async function myBookings(deps: Deps, principal: Principal, input: { recipient_id?: string; status?: BookingStatus }): Promise<CabinetList<CabinetBooking>> {
  const em = deps.orm.em.fork();
  const recipient = await cabinetRecipient(em, principal, input.recipient_id);
  if (!recipient) return { recipientId: null, items: [] };
  const rows = await bookingsOfRecipient(em, recipient.id, input.status);
  return { recipientId: recipient.id, items: rows.map((b) => ({ booking: b, cancelUnavailableReason: whyNotCancellable(b, b.provider_standing) })) };
}
