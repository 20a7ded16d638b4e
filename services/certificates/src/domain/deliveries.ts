import { iso, isoOrNull } from './time';
import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { derivedTransferId, ledgerAccountIds, type LedgerTransferResult } from '@esc/ledger-client';
import { AppError, conflict, forbidden, notFound, withSqlClient, withSqlTransaction, withTransaction, type EntityManager, type Principal } from '@esc/service-kit';
import {
  DELIVERY_COLUMNS,
  deliveryById,
  insertAuthorising,
  lockForRecording,
  markHeld,
  settlementContext,
  writeSettlement,
  type RecordingState,
  type SettlementContext,
} from '../data-access/delivery-store';
import { isCaseworkerOf, isCitizen, isProviderOf, readsEverything } from './access';
import { findBooking } from './bookings';
import { releaseAvailable, SPENDABLE } from './certificates';
import type { Deps } from './context';
import { chargeForUnits, partialPostAmount } from './fees';
import { findRecipient } from './recipients';
import { recordRefusal, refusalError, type RefusalCode } from './refusals';
import { todayInRussia } from './working-days';

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

export async function findDelivery(em: EntityManager, id: string, forUpdate = false): Promise<DeliveryRow> {
  const rows: DeliveryRow[] = await em.execute(`select ${DELIVERY_COLUMNS} from certificates.deliveries d where d.id = ?${forUpdate ? ' for update' : ''}`, [id]);
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
  const id = input.id ?? randomUUID();
  const prepared = await withSqlTransaction(deps.orm, async (sql) => {
    const state = await lockForRecording(sql, bookingId, id);
    if (!state) throw notFound('booking_not_found', `Запись к поставщику ${bookingId} не найдена.`);
    if (!isProviderOf(principal, state.provider_id)) throw forbidden('Отмечать оказание услуг может только поставщик, с которым заключён договор.', 'not_your_booking');
    if (state.existing_booking_id) {
      if (state.existing_booking_id !== bookingId) throw conflict('delivery_id_in_use', `Идентификатор ${id} уже использован для другого акта.`);
      return { delivery: (await deliveryById<DeliveryRow>(sql, id))! };
    }
    const refusal = deliveryRefusal(state, input);
    if (refusal) return { refusal, state };
    const charge = chargeForUnits(
      { netAmount: Money.parse(state.net_amount), volume: state.volume, unitsConsumed: state.units_consumed, amountConsumed: Money.parse(state.amount_consumed) },
      input.units,
    );
    const delivery = await insertAuthorising<DeliveryRow>(sql, {
      id,
      bookingId,
      state,
      deliveredOn: input.delivered_on,
      units: input.units,
      staff: input.staff,
      amount: charge.toString(),
      gross: Money.parse(state.unit_cost).multiply(String(input.units)).toString(),
      windowSeconds: deps.settings.confirmationWindowSeconds,
      recordedBy: principal.subject,
    });
    return { delivery };
  });

  if ('refusal' in prepared) {
    const { refusal, state } = prepared as { refusal: RefusalCode; state: RecordingState };
    await recordRefusal(deps.orm.em.fork(), { recipientId: state.recipient_id, regionCode: state.region_code, subjectKind: 'delivery', subjectId: id, code: refusal });
    throw refusalError(refusal, { booking_id: bookingId, delivery_id: id });
  }
  let delivery = prepared.delivery!;
  if (delivery.status === 'authorising') delivery = await authorise(deps, delivery);
  if (delivery.status === 'refused') throw refusalError(delivery.refusal_code as RefusalCode, { delivery_id: delivery.id });
  return deliveryView(delivery);
}

function deliveryRefusal(state: RecordingState, input: DeliveryInput): RefusalCode | undefined {
  if (state.booking_status !== 'accepted') throw conflict('booking_not_accepted', 'Отмечать услуги можно только по принятой записи.');
  if (!SPENDABLE.includes(state.certificate_status as never)) return 'certificate_not_active';
  if (input.delivered_on < state.valid_from || input.delivered_on > state.valid_to || input.delivered_on > todayInRussia()) return 'date_outside_validity';
  if (input.units > state.booking_units - state.booking_consumed) return 'units_beyond_booking';
  if (input.units > state.volume - state.units_consumed) return 'units_beyond_booking';
  if (Money.parse(state.net_amount).lte(Money.parse(state.amount_consumed)) && Money.parse(state.net_amount).isPositive()) return 'insufficient_balance';
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
  if (result.status !== 'failed') {
    return withSqlClient(deps.orm, async (sql) => (await markHeld<DeliveryRow>(sql, delivery.id)) ?? (await deliveryById<DeliveryRow>(sql, delivery.id))!);
  }
  const em = deps.orm.em.fork();
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
  const context = await withSqlClient(deps.orm, (sql) => settlementContext<DeliveryRow>(sql, id));
  if (!context) throw notFound('delivery_not_found', `Акт об оказании услуги ${id} не найден.`);
  if (!isCitizen(principal, context.snils) && !isCaseworkerOf(principal, context.recipient_region)) {
    throw forbidden('Подтвердить или оспорить оказание услуги может только получатель услуг или специалист его региона.', 'not_your_certificate');
  }
  const confirmedUnits = input.units ?? context.units;
  if (confirmedUnits > context.units) {
    throw new AppError('validation', 'validation_failed', `В акте ${context.units} ед.; подтвердить больше нельзя.`, {}, [{ field: 'units', message: `не больше ${context.units}` }]);
  }
  if (confirmedUnits < context.units && !input.dispute_reason) {
    throw new AppError('validation', 'validation_failed', 'Укажите, что именно не было оказано: причина обязательна, если подтверждаете не всё.', {}, [
      { field: 'dispute_reason', message: 'обязательна при оспаривании' },
    ]);
  }
  return deliveryView(await settle(deps, context, { confirmedUnits, disputeReason: input.dispute_reason ?? null }, principal.subject));
}

/**
 * Posts (fully or partly) or voids the hold, then records the outcome with the line's counters and,
 * for confirmed units, redemption.posted, in one statement. The ledger transfer ids derive from the
 * delivery, so a retry after a crash finds the first outcome instead of moving money twice.
 */
export async function settle(deps: Deps, delivery: DeliveryRow & SettlementContext, resolution: Resolution, actor: string): Promise<DeliveryRow> {
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
  const confirmed = expired ? 0 : resolution.confirmedUnits;
  const postedAmount = expired ? Money.zero() : posted;
  const resolutionCode = expired
    ? 'hold_expired'
    : resolution.auto
      ? 'auto_confirmed'
      : confirmed === 0
        ? 'disputed'
        : confirmed < delivery.units
          ? 'partly_disputed'
          : 'confirmed';
  const gross = Money.parse(delivery.unit_cost).multiply(String(confirmed));
  const settled = await withSqlClient(deps.orm, async (sql) =>
    retryingConflicts(() => writeSettlement<DeliveryRow>(sql, {
      id: delivery.id,
      status: confirmed === 0 ? 'voided' : 'posted',
      resolution: resolutionCode,
      actor,
      confirmedUnits: confirmed,
      postedAmount: postedAmount.toString(),
      disputeReason: resolution.disputeReason ?? null,
      unitsBack: delivery.units - confirmed,
      amountBack: held.subtract(postedAmount).toString(),
      eventId: derivedTransferId(delivery.id, 'redemption.posted'),
      payload: {
        redemption_id: delivery.id,
        certificate_id: delivery.certificate_id,
        certificate_number: delivery.number,
        certificate_line_id: delivery.line_id,
        booking_id: delivery.booking_id,
        provider_id: delivery.provider_id,
        provider_funding_mode: delivery.funding_mode,
        region_code: delivery.certificate_region,
        budget_programme_id: delivery.budget_programme_id,
        budget_programme_code: delivery.budget_programme_code,
        service_code: delivery.service_code,
        service_name: delivery.service_name,
        unit: delivery.unit,
        units: confirmed,
        unit_cost: delivery.unit_cost,
        gross_amount: gross.toString(),
        fee_amount: gross.subtract(postedAmount).toString(),
        amount: postedAmount.toString(),
        delivered_on: delivery.delivered_on,
        posted_at: new Date().toISOString(),
        ledger_transfer_id: derivedTransferId(delivery.id, 'post'),
        payable_account_id: ledgerAccountIds.providerPayable(delivery.provider_id),
      },
    })),
  );
  if (!settled) return (await withSqlClient(deps.orm, (sql) => deliveryById<DeliveryRow>(sql, delivery.id)))!;
  // Money a void returned to a closed certificate belongs to the programme again.
  if (held.subtract(postedAmount).isPositive() && ['expired', 'revoked'].includes(delivery.certificate_status)) await releaseAvailable(deps, delivery.certificate_id);
  return settled;
}

/**
 * The ledger has already moved the money when the outcome is written, so a serialization failure or
 * deadlock is retried here rather than surfaced: the act must not stay `held` after its hold is gone.
 */
async function retryingConflicts<T>(write: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      const state = (err as { code?: string }).code;
      if (attempt >= attempts || (state !== '40001' && state !== '40P01')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt));
    }
  }
}

/** Acts whose confirmation window lapsed without a dispute are posted for the citizen. */
export async function postLapsed(deps: Deps, limit = 500): Promise<number> {
  const em = deps.orm.em.fork();
  const lapsed: Array<{ id: string }> = await em.execute(
    `select id from certificates.deliveries where status = 'held' and confirm_by <= clock_timestamp() order by confirm_by limit ?`,
    [limit],
  );
  const outcomes = await Promise.allSettled(
    lapsed.map(async ({ id }) => {
      const context = await withSqlClient(deps.orm, (sql) => settlementContext<DeliveryRow>(sql, id));
      if (context) await settle(deps, context, { confirmedUnits: context.units, auto: true }, 'system:confirmation-window');
    }),
  );
  return outcomes.filter((o) => o.status === 'fulfilled').length;
}

/** Deliveries left `authorising` by a process that stopped between its two steps. */
export async function completeAuthorising(deps: Deps, olderThanSeconds = 30): Promise<number> {
  const em = deps.orm.em.fork();
  const stuck: DeliveryRow[] = await em.execute(
    `select ${DELIVERY_COLUMNS} from certificates.deliveries d where d.status = 'authorising' and d.recorded_at < clock_timestamp() - make_interval(secs => ?) limit 500`,
    [olderThanSeconds],
  );
  for (const d of stuck) await authorise(deps, d);
  return stuck.length;
}

export async function readDelivery(deps: Deps, principal: Principal, id: string) {
  const em = deps.orm.em.fork();
  const delivery = await findDelivery(em, id);
  await assertCanReadActs(em, principal, delivery);
  return deliveryView(delivery);
}

export async function listBookingDeliveries(deps: Deps, principal: Principal, bookingId: string) {
  const em = deps.orm.em.fork();
  await assertCanReadActs(em, principal, await findBooking(em, bookingId));
  const rows: DeliveryRow[] = await em.execute(`select ${DELIVERY_COLUMNS} from certificates.deliveries d where d.booking_id = ? order by d.recorded_at`, [bookingId]);
  return rows.map(deliveryView);
}

/** Acts are read by their provider, the person who received the services, case workers of the region, admins and auditors. */
async function assertCanReadActs(em: EntityManager, principal: Principal, of: { provider_id: string; recipient_id: string }) {
  if (isProviderOf(principal, of.provider_id) || readsEverything(principal)) return;
  const recipient = await findRecipient(em, of.recipient_id);
  if (isCitizen(principal, recipient.snils) || isCaseworkerOf(principal, recipient.region_code)) return;
  throw forbidden('Акты доступны только получателю услуг, поставщику и специалистам региона.', 'not_your_record');
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
