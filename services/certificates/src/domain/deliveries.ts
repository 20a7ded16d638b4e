import { iso, isoOrNull } from './time';
import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { derivedTransferId, ledgerAccountIds, type LedgerTransferResult } from '@esc/ledger-client';
import { AppError, conflict, forbidden, notFound, withTransaction, writeOutboxEvent, type EntityManager, type Principal } from '@esc/service-kit';
import { isCaseworkerOf, isCitizen, isProviderOf, readsEverything } from './access';
import { findBooking } from './bookings';
import { findBudgetProgramme } from './budget';
import { findCertificate, releaseAvailable, SPENDABLE, type CertificateLineRow } from './certificates';
import type { Deps } from './context';
import { chargeForUnits, partialPostAmount } from './fees';
import { findRecipient } from './recipients';
import { recordRefusal, refusalError, type RefusalCode } from './refusals';
import { todayInRussia } from './working-days';

export const CERTIFICATES_SCHEMA_OUTBOX = 'certificates';

export interface DeliveryRow {
  id: string;
  booking_id: string;
  certificate_id: string;
  line_id: string;
  provider_id: string;
  recipient_id: string;
  delivered_on: string;
  units: number;
  staff: { name: string; position: string };
  amount: string;
  gross_amount: string;
  status: 'authorising' | 'held' | 'posted' | 'voided' | 'refused';
  confirm_by: Date;
  recorded_by: string;
  recorded_at: Date;
  resolution: 'confirmed' | 'auto_confirmed' | 'disputed' | 'partly_disputed' | 'hold_expired' | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  confirmed_units: number | null;
  posted_amount: string | null;
  dispute_reason: string | null;
  refusal_code: string | null;
}

const DELIVERY_COLUMNS = `id, booking_id, certificate_id, line_id, provider_id, recipient_id, delivered_on::text as delivered_on, units, staff, amount, gross_amount, status,
  confirm_by, recorded_by, recorded_at, resolution, resolved_by, resolved_at, confirmed_units, posted_amount, dispute_reason, refusal_code`;

export async function findDelivery(em: EntityManager, id: string, forUpdate = false): Promise<DeliveryRow> {
  const rows: DeliveryRow[] = await em.execute(`select ${DELIVERY_COLUMNS} from certificates.deliveries where id = ?${forUpdate ? ' for update' : ''}`, [id]);
  if (!rows[0]) throw notFound('delivery_not_found', `Акт об оказании услуги ${id} не найден.`);
  return rows[0];
}

export interface DeliveryInput {
  id?: string;
  delivered_on: string;
  units: number;
  staff: { name: string; position: string };
}

/**
 * The provider records delivered units. Under the line's row lock the units are checked against the
 * booking and the line, and the charge is computed; the delivery is written as `authorising` and its
 * units counted as in use. Then the ledger places the hold (the certificate's own constraint makes
 * overspending impossible even if this service were wrong). A refused hold gives the units back.
 */
export async function recordDelivery(deps: Deps, principal: Principal, bookingId: string, input: DeliveryInput) {
  const em = deps.orm.em.fork();
  const id = input.id ?? randomUUID();
  const booking = await findBooking(em, bookingId);
  if (!isProviderOf(principal, booking.provider_id)) throw forbidden('Отмечать оказание услуг может только поставщик, с которым заключён договор.', 'not_your_booking');

  const prepared = await withTransaction(em, async (tx) => {
    const [existing]: DeliveryRow[] = await tx.execute(`select ${DELIVERY_COLUMNS} from certificates.deliveries where id = ?`, [id]);
    if (existing) {
      if (existing.booking_id !== bookingId) throw conflict('delivery_id_in_use', `Идентификатор ${id} уже использован для другого акта.`);
      return { delivery: existing, fresh: false as const };
    }
    const [line]: CertificateLineRow[] = await tx.execute(`select * from certificates.certificate_lines where id = ? for update`, [booking.line_id]);
    const current = await findBooking(tx, bookingId, true);
    const certificate = await findCertificate(tx, booking.certificate_id);
    const refusal = deliveryRefusal(current, line!, certificate, input);
    if (refusal) return { refusal };
    const charge = chargeForUnits(
      { netAmount: Money.parse(line!.net_amount), volume: line!.volume, unitsConsumed: line!.units_consumed, amountConsumed: Money.parse(line!.amount_consumed) },
      input.units,
    );
    const gross = Money.parse(line!.unit_cost).multiply(String(input.units));
    await tx.execute(
      `insert into certificates.deliveries (id, booking_id, certificate_id, line_id, provider_id, recipient_id, delivered_on, units, staff, amount, gross_amount, status, confirm_by, recorded_by)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, 'authorising', clock_timestamp() + make_interval(secs => ?), ?)`,
      [
        id,
        bookingId,
        booking.certificate_id,
        booking.line_id,
        booking.provider_id,
        booking.recipient_id,
        input.delivered_on,
        input.units,
        JSON.stringify(input.staff),
        charge.toString(),
        gross.toString(),
        deps.settings.confirmationWindowSeconds,
        principal.subject,
      ],
    );
    await tx.execute(`update certificates.certificate_lines set units_consumed = units_consumed + ?, amount_consumed = amount_consumed + ? where id = ?`, [
      input.units,
      charge.toString(),
      booking.line_id,
    ]);
    await tx.execute(`update certificates.bookings set units_consumed = units_consumed + ? where id = ?`, [input.units, bookingId]);
    return { delivery: await findDelivery(tx, id), fresh: true as const };
  });

  if ('refusal' in prepared) {
    await recordRefusal(deps.orm.em.fork(), { recipientId: booking.recipient_id, regionCode: booking.region_code, subjectKind: 'delivery', subjectId: bookingId, code: prepared.refusal! });
    throw refusalError(prepared.refusal!, { booking_id: bookingId });
  }
  let delivery = prepared.delivery;
  if (delivery.status === 'authorising') delivery = await authorise(deps, delivery);
  if (delivery.status === 'refused') throw refusalError(delivery.refusal_code as RefusalCode, { delivery_id: delivery.id });
  return deliveryView(delivery);
}

function deliveryRefusal(
  booking: { status: string; units: number; units_consumed: number; units_confirmed: number },
  line: CertificateLineRow,
  certificate: { status: string; valid_from: string; valid_to: string },
  input: DeliveryInput,
): RefusalCode | undefined {
  if (booking.status !== 'accepted') throw conflict('booking_not_accepted', 'Отмечать услуги можно только по принятой записи.');
  if (!SPENDABLE.includes(certificate.status as never)) return 'certificate_not_active';
  if (input.delivered_on < certificate.valid_from || input.delivered_on > certificate.valid_to || input.delivered_on > todayInRussia()) return 'date_outside_validity';
  if (input.units > booking.units - booking.units_consumed) return 'units_beyond_booking';
  if (input.units > line.volume - line.units_consumed) return 'units_beyond_booking';
  if (Money.parse(line.net_amount).lte(Money.parse(line.amount_consumed)) && Money.parse(line.net_amount).isPositive()) return 'insufficient_balance';
  return undefined;
}

/** Places (or re-places, with the same id) the ledger hold for an `authorising` delivery. */
export async function authorise(deps: Deps, delivery: DeliveryRow): Promise<DeliveryRow> {
  const result: LedgerTransferResult = Money.parse(delivery.amount).isZero()
    ? { id: delivery.id, status: 'created' }
    : await deps.ledger.transfer({
        id: delivery.id,
        debit_account_id: ledgerAccountIds.certificate(delivery.certificate_id),
        credit_account_id: ledgerAccountIds.providerPayable(delivery.provider_id),
        amount: delivery.amount,
        code: 'authorise_delivery',
        reference: `Акт ${delivery.id.slice(0, 8)} от ${delivery.delivered_on}`,
        flags: { pending: true },
        timeout_seconds: deps.settings.confirmationWindowSeconds + deps.settings.holdGraceSeconds,
      });
  const em = deps.orm.em.fork();
  if (result.status !== 'failed') {
    await em.execute(`update certificates.deliveries set status = 'held' where id = ? and status = 'authorising'`, [delivery.id]);
    return findDelivery(em, delivery.id);
  }
  const code: RefusalCode = result.code === 'insufficient_funds' ? 'insufficient_balance' : 'certificate_not_active';
  await withTransaction(em, async (tx) => {
    const updated: unknown[] = await tx.execute(
      `update certificates.deliveries set status = 'refused', refusal_code = ?, resolved_at = clock_timestamp() where id = ? and status = 'authorising' returning id`,
      [code, delivery.id],
    );
    if (!updated.length) return;
    await giveBackUnits(tx, delivery, delivery.units, Money.parse(delivery.amount));
    await recordRefusal(tx, { recipientId: delivery.recipient_id, regionCode: null, subjectKind: 'delivery', subjectId: delivery.id, code });
  });
  return findDelivery(em, delivery.id);
}

async function giveBackUnits(tx: EntityManager, delivery: DeliveryRow, units: number, amount: Money) {
  await tx.execute(`update certificates.certificate_lines set units_consumed = units_consumed - ?, amount_consumed = amount_consumed - ? where id = ?`, [
    units,
    amount.toString(),
    delivery.line_id,
  ]);
  await tx.execute(`update certificates.bookings set units_consumed = units_consumed - ? where id = ?`, [units, delivery.booking_id]);
}

export interface Resolution {
  confirmedUnits: number;
  disputeReason?: string | null;
  auto?: boolean;
}

/** The citizen (or a case worker for them) confirms all or part of an act, or disputes it. */
export async function resolveDelivery(deps: Deps, principal: Principal, id: string, input: { units?: number; dispute_reason?: string | null }) {
  const em = deps.orm.em.fork();
  const delivery = await findDelivery(em, id);
  const recipient = await findRecipient(em, delivery.recipient_id);
  if (!isCitizen(principal, recipient.snils) && !isCaseworkerOf(principal, recipient.region_code)) {
    throw forbidden('Подтвердить или оспорить оказание услуги может только получатель услуг или специалист его региона.', 'not_your_certificate');
  }
  const confirmedUnits = input.units ?? delivery.units;
  if (confirmedUnits > delivery.units) {
    throw new AppError('validation', 'validation_failed', `В акте ${delivery.units} ед.; подтвердить больше нельзя.`, {}, [{ field: 'units', message: `не больше ${delivery.units}` }]);
  }
  if (confirmedUnits < delivery.units && !input.dispute_reason) {
    throw new AppError('validation', 'validation_failed', 'Укажите, что именно не было оказано: причина обязательна, если подтверждаете не всё.', {}, [
      { field: 'dispute_reason', message: 'обязательна при оспаривании' },
    ]);
  }
  return deliveryView(await settle(deps, delivery, { confirmedUnits, disputeReason: input.dispute_reason ?? null }, principal.subject));
}

/**
 * Posts (fully or partly) or voids the hold, then records the outcome with the line's counters and,
 * for confirmed units, redemption.posted, in one transaction. The ledger transfer ids derive from the
 * delivery, so a retry after a crash finds the first outcome instead of moving money twice.
 */
export async function settle(deps: Deps, delivery: DeliveryRow, resolution: Resolution, actor: string): Promise<DeliveryRow> {
  if (delivery.status === 'posted' || delivery.status === 'voided') {
    throw conflict('delivery_already_resolved', 'По этому акту решение уже принято.', { status: delivery.status });
  }
  if (delivery.status !== 'held') throw conflict('delivery_not_held', 'Акт ещё не принят к оплате или отклонён; подтверждать нечего.', { status: delivery.status });
  const held = Money.parse(delivery.amount);
  const posted = resolution.confirmedUnits === 0 ? Money.zero() : partialPostAmount(held, delivery.units, resolution.confirmedUnits);
  let expired = false;
  if (held.isPositive()) {
    const result =
      resolution.confirmedUnits === 0
        ? await deps.ledger.transfer({ id: derivedTransferId(delivery.id, 'void'), pending_id: delivery.id, flags: { void_pending: true } })
        : await deps.ledger.transfer({ id: derivedTransferId(delivery.id, 'post'), pending_id: delivery.id, amount: posted.toString(), flags: { post_pending: true } });
    if (result.status === 'failed') {
      if (result.code === 'pending_expired') expired = true;
      else if (result.code === 'pending_already_resolved' || result.code === 'exists_with_different_fields') {
        throw conflict('delivery_already_resolved', 'По этому акту решение уже принято.');
      } else throw new AppError('internal', 'ledger_refused', `Леджер отклонил проводку акта: ${result.code}.`);
    }
  }
  const em = deps.orm.em.fork();
  let reopenRelease = false;
  await withTransaction(em, async (tx) => {
    await tx.execute(`select id from certificates.certificate_lines where id = ? for update`, [delivery.line_id]);
    const current = await findDelivery(tx, delivery.id, true);
    if (current.status !== 'held') return;
    const confirmed = expired ? 0 : resolution.confirmedUnits;
    const postedAmount = expired ? Money.zero() : posted;
    const resolutionCode = expired
      ? 'hold_expired'
      : resolution.auto
        ? 'auto_confirmed'
        : confirmed === 0
          ? 'disputed'
          : confirmed < current.units
            ? 'partly_disputed'
            : 'confirmed';
    await tx.execute(
      `update certificates.deliveries set status = ?, resolution = ?, resolved_by = ?, resolved_at = clock_timestamp(), confirmed_units = ?, posted_amount = ?, dispute_reason = ? where id = ?`,
      [confirmed === 0 ? 'voided' : 'posted', resolutionCode, actor, confirmed, postedAmount.toString(), resolution.disputeReason ?? null, delivery.id],
    );
    await giveBackUnits(tx, current, current.units - confirmed, held.subtract(postedAmount));
    await tx.execute(`update certificates.certificate_lines set units_confirmed = units_confirmed + ? where id = ?`, [confirmed, current.line_id]);
    await tx.execute(`update certificates.bookings set units_confirmed = units_confirmed + ? where id = ?`, [confirmed, current.booking_id]);
    const certificate = await findCertificate(tx, current.certificate_id);
    if (confirmed > 0) {
      await publishRedemption(tx, current, certificate, confirmed, postedAmount);
      await tx.execute(
        `update certificates.certificates c set status = 'exhausted', status_reason = 'Все средства сертификата использованы', updated_at = clock_timestamp()
          where c.id = ? and c.status in ('issued', 'active')
            and c.value <= (select coalesce(sum(posted_amount), 0) from certificates.deliveries d where d.certificate_id = c.id and d.status = 'posted')`,
        [current.certificate_id],
      );
    }
    reopenRelease = held.subtract(postedAmount).isPositive() && ['expired', 'revoked'].includes(certificate.status);
  });
  // Money a void returned to a closed certificate belongs to the programme again.
  if (reopenRelease) await releaseAvailable(deps, delivery.certificate_id);
  return findDelivery(em, delivery.id);
}

async function publishRedemption(
  tx: EntityManager,
  delivery: DeliveryRow,
  certificate: { id: string; number: string; region_code: string; budget_programme_id: string },
  units: number,
  amount: Money,
) {
  const [line]: CertificateLineRow[] = await tx.execute(`select * from certificates.certificate_lines where id = ?`, [delivery.line_id]);
  const booking = await findBooking(tx, delivery.booking_id);
  const budgetProgramme = await findBudgetProgramme(tx, certificate.budget_programme_id);
  const gross = Money.parse(line!.unit_cost).multiply(String(units));
  await writeOutboxEvent(
    tx,
    CERTIFICATES_SCHEMA_OUTBOX,
    'redemption.posted',
    {
      redemption_id: delivery.id,
      certificate_id: certificate.id,
      certificate_number: certificate.number,
      certificate_line_id: delivery.line_id,
      booking_id: delivery.booking_id,
      provider_id: delivery.provider_id,
      provider_funding_mode: booking.funding_mode,
      region_code: certificate.region_code,
      budget_programme_id: budgetProgramme.id,
      budget_programme_code: budgetProgramme.code,
      service_code: line!.service_code,
      service_name: line!.service_name,
      unit: line!.unit,
      units,
      unit_cost: line!.unit_cost,
      gross_amount: gross.toString(),
      fee_amount: gross.subtract(amount).toString(),
      amount: amount.toString(),
      delivered_on: delivery.delivered_on,
      posted_at: new Date().toISOString(),
      ledger_transfer_id: derivedTransferId(delivery.id, 'post'),
      payable_account_id: ledgerAccountIds.providerPayable(delivery.provider_id),
    },
    derivedTransferId(delivery.id, 'redemption.posted'),
  );
}

/** Acts whose confirmation window lapsed without a dispute are posted for the citizen. */
export async function postLapsed(deps: Deps, limit = 500): Promise<number> {
  const em = deps.orm.em.fork();
  const lapsed: DeliveryRow[] = await em.execute(
    `select ${DELIVERY_COLUMNS} from certificates.deliveries where status = 'held' and confirm_by <= clock_timestamp() order by confirm_by limit ?`,
    [limit],
  );
  const outcomes = await Promise.allSettled(lapsed.map((d) => settle(deps, d, { confirmedUnits: d.units, auto: true }, 'system:confirmation-window')));
  return outcomes.filter((o) => o.status === 'fulfilled').length;
}

/** Deliveries left `authorising` by a process that stopped between its two steps. */
export async function completeAuthorising(deps: Deps, olderThanSeconds = 30): Promise<number> {
  const em = deps.orm.em.fork();
  const stuck: DeliveryRow[] = await em.execute(
    `select ${DELIVERY_COLUMNS} from certificates.deliveries where status = 'authorising' and recorded_at < clock_timestamp() - make_interval(secs => ?) limit 500`,
    [olderThanSeconds],
  );
  for (const d of stuck) await authorise(deps, d);
  return stuck.length;
}

export async function readDelivery(deps: Deps, principal: Principal, id: string) {
  const em = deps.orm.em.fork();
  const delivery = await findDelivery(em, id);
  if (!isProviderOf(principal, delivery.provider_id) && !readsEverything(principal)) {
    const recipient = await findRecipient(em, delivery.recipient_id);
    if (!isCitizen(principal, recipient.snils) && !isCaseworkerOf(principal, recipient.region_code)) {
      throw forbidden('Акт доступен только получателю услуг, поставщику и специалистам региона.', 'not_your_record');
    }
  }
  return deliveryView(delivery);
}

export async function listBookingDeliveries(deps: Deps, principal: Principal, bookingId: string) {
  const em = deps.orm.em.fork();
  const booking = await findBooking(em, bookingId);
  if (!isProviderOf(principal, booking.provider_id) && !readsEverything(principal)) {
    const recipient = await findRecipient(em, booking.recipient_id);
    if (!isCitizen(principal, recipient.snils) && !isCaseworkerOf(principal, recipient.region_code)) {
      throw forbidden('Акты доступны только получателю услуг, поставщику и специалистам региона.', 'not_your_record');
    }
  }
  const rows: DeliveryRow[] = await em.execute(`select ${DELIVERY_COLUMNS} from certificates.deliveries where booking_id = ? order by recorded_at`, [bookingId]);
  return rows.map(deliveryView);
}

export function deliveryView(d: DeliveryRow) {
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
    fee_amount: Money.parse(d.gross_amount).subtract(Money.parse(d.amount)).toString(),
    status: d.status,
    confirm_by: iso(d.confirm_by),
    recorded_at: iso(d.recorded_at),
    resolution: d.resolution,
    resolved_at: isoOrNull(d.resolved_at),
    confirmed_units: d.confirmed_units,
    posted_amount: d.posted_amount,
    dispute_reason: d.dispute_reason,
    refusal_code: d.refusal_code,
  };
}
