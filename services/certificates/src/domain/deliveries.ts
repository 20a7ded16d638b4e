import { iso, isoOrNull } from './time';
import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { derivedTransferId, ledgerAccountIds, type LedgerTransferResult } from '@esc/ledger-client';
import { AppError, conflict, forbidden, notFound, withTransaction, type EntityManager, type Principal } from '@esc/service-kit';
import { GroupCommit, withPipelinedTransaction, withSqlClient, type ItemOutcome } from '@esc/service-kit/hot';
import {
  DELIVERY_COLUMNS,
  deliveriesById,
  insertActs,
  lockForRecording,
  lockForSettling,
  markHeld,
  writeSettlements,
  type NewDelivery,
  type RecordingState,
  type SettlementContext,
  type SettlementWrite,
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

export async function findDelivery(em: EntityManager, id: string): Promise<DeliveryRow> {
  const rows: DeliveryRow[] = await em.execute(`select ${DELIVERY_COLUMNS} from certificates.deliveries d where d.id = ?`, [id]);
  if (!rows[0]) throw notFound('delivery_not_found', `Акт об оказании услуги ${id} не найден.`);
  return rows[0];
}

export interface DeliveryInput {
  id?: string;
  delivered_on: string;
  units: number;
  staff: { name: string; position: string };
}

interface RecordRequest {
  principal: Principal;
  bookingId: string;
  id: string;
  input: DeliveryInput;
}

interface SettleRequest {
  id: string;
  actor: string;
  /** Checks who asks and what, against the act as it is now; throws the caller's error. */
  decide: (act: DeliveryRow & SettlementContext) => Resolution;
}

/**
 * Acts are recorded and settled through group commits, one pair per running service. One batch of
 * each kind in flight at a time: measured, that makes batches about twice as large as two in flight
 * and cuts CPU per act by a quarter, which matters more on a busy service than the overlap.
 */
const committers = new WeakMap<Deps, { record: GroupCommit<RecordRequest, DeliveryRow>; settle: GroupCommit<SettleRequest, DeliveryRow> }>();

function committersOf(deps: Deps) {
  let found = committers.get(deps);
  if (!found) {
    found = {
      record: new GroupCommit((requests: RecordRequest[]) => recordBatch(deps, requests), { maxInFlight: 1, maxBatch: 200 }),
      settle: new GroupCommit((requests: SettleRequest[]) => settleBatch(deps, requests), { maxInFlight: 1, maxBatch: 200 }),
    };
    committers.set(deps, found);
  }
  return found;
}

/**
 * The provider records delivered units. Under the line's row lock the units are checked against the
 * booking and the line, the charge is computed and the ledger places the hold (the certificate's own
 * constraint makes overspending impossible even if this service were wrong); then the act is written,
 * held, with its units counted as in use, or refused. A hold placed just before a crash, its act never
 * written, is found again when the provider retries with the same id, or lapses in the ledger.
 */
export async function recordDelivery(deps: Deps, principal: Principal, bookingId: string, input: DeliveryInput) {
  return deliveryView(await committersOf(deps).record.submit({ principal, bookingId, id: input.id ?? randomUUID(), input }));
}

const failed = (error: unknown): ItemOutcome<never> => ({ ok: false, error });

/** Runs the requests after the first one with the same id in a later batch, where they meet it as a retry. */
async function withRepeatsLater<R extends { id: string }>(requests: R[], run: (batch: R[]) => Promise<Array<ItemOutcome<DeliveryRow>>>) {
  const seen = new Set<string>();
  const repeats = new Set<number>();
  requests.forEach((r, i) => (seen.has(r.id) ? repeats.add(i) : seen.add(r.id)));
  if (!repeats.size) return run(requests);
  const first = await run(requests.filter((_, i) => !repeats.has(i)));
  const later = await run(requests.filter((_, i) => repeats.has(i)));
  return requests.map((_, i) => (repeats.has(i) ? later.shift() : first.shift())!);
}

function recordBatch(deps: Deps, requests: RecordRequest[]): Promise<Array<ItemOutcome<DeliveryRow>>> {
  return withRepeatsLater(requests, async (batch) => {
    const outcomes: Array<ItemOutcome<DeliveryRow> | undefined> = new Array(batch.length);
    const refusals: Array<{ index: number; code: RefusalCode; state: RecordingState }> = [];
    const toAuthorise: DeliveryRow[] = [];
    await withPipelinedTransaction(deps.orm, async (sql, finish) => {
      // A retried transaction starts its verdicts afresh.
      outcomes.fill(undefined);
      refusals.length = 0;
      toAuthorise.length = 0;
      const { states, existing } = await lockForRecording(sql, [...new Set(batch.map((r) => r.bookingId))], batch.map((r) => r.id));
      // Running counters: the acts of one batch are charged one after another, as if recorded in turn.
      const lines = new Map(states.map((s) => [s.line_id, { unitsConsumed: s.units_consumed, amountConsumed: Money.parse(s.amount_consumed) }]));
      const bookings = new Map(states.map((s) => [s.booking_id, { state: s, consumed: s.booking_consumed }]));
      const acts: Array<NewDelivery & { index: number }> = [];
      const retries: Array<{ index: number; id: string }> = [];
      batch.forEach((request, index) => {
        const booking = bookings.get(request.bookingId);
        if (!booking) return (outcomes[index] = failed(notFound('booking_not_found', `Запись к поставщику ${request.bookingId} не найдена.`)));
        const state = booking.state;
        if (!isProviderOf(request.principal, state.provider_id)) {
          return (outcomes[index] = failed(forbidden('Отмечать оказание услуг может только поставщик, с которым заключён договор.', 'not_your_booking')));
        }
        const earlierBooking = existing.get(request.id);
        if (earlierBooking) {
          if (earlierBooking !== request.bookingId) return (outcomes[index] = failed(conflict('delivery_id_in_use', `Идентификатор ${request.id} уже использован для другого акта.`)));
          return void retries.push({ index, id: request.id });
        }
        if (state.booking_status !== 'accepted') return (outcomes[index] = failed(conflict('booking_not_accepted', 'Отмечать услуги можно только по принятой записи.')));
        const line = lines.get(state.line_id)!;
        const refusal = deliveryRefusal(state, { unitsConsumed: line.unitsConsumed, amountConsumed: line.amountConsumed, bookingConsumed: booking.consumed }, request.input);
        if (refusal) return void refusals.push({ index, code: refusal, state });
        const units = request.input.units;
        const charge = chargeForUnits({ netAmount: Money.parse(state.net_amount), volume: state.volume, ...line }, units);
        line.unitsConsumed += units;
        line.amountConsumed = line.amountConsumed.add(charge);
        booking.consumed += units;
        acts.push({
          index,
          id: request.id,
          state,
          deliveredOn: request.input.delivered_on,
          units,
          staff: request.input.staff,
          amount: charge.toString(),
          gross: Money.parse(state.unit_cost).multiply(String(units)).toString(),
          recordedBy: request.principal.subject,
          status: 'held',
          refusalCode: null,
        });
      });
      const retried = retries.length ? await deliveriesById<DeliveryRow>(sql, retries.map((r) => r.id)) : new Map<string, DeliveryRow>();
      if (acts.length) {
        // The holds are placed while the lines stay locked, so each act is written once, already held
        // (or refused). A hold whose answer is lost leaves its act `authorising`, for a job to ask again.
        const holds = await placeHolds(deps, acts.map((a) => ({ id: a.id, certificate_id: a.state.certificate_id, provider_id: a.state.provider_id, amount: a.amount, delivered_on: a.deliveredOn })));
        acts.forEach((act, i) => {
          const hold = holds[i]!;
          if (hold.status === 'rejected') {
            act.status = 'authorising';
            outcomes[act.index] = failed(hold.reason);
          } else if (hold.value.status === 'failed') {
            const code = refusalOfHold(hold.value);
            act.status = 'refused';
            act.refusalCode = code;
            refusals.push({ index: act.index, code, state: act.state });
          }
        });
        await finish((tx) =>
          insertActs<DeliveryRow>(tx, acts, deps.settings.confirmationWindowSeconds).then((rows) => {
            for (const act of acts) if (act.status === 'held') outcomes[act.index] = { ok: true, value: rows.get(act.id)! };
          }),
        );
      }
      for (const { index, id } of retries) {
        const earlier = retried.get(id)!;
        if (earlier.status === 'authorising') toAuthorise.push(earlier);
        else outcomes[index] = { ok: true, value: earlier };
      }
    }, 4);

    await Promise.all(
      refusals.map(async ({ index, code, state }) => {
        const id = batch[index]!.id;
        await recordRefusal(deps.orm.em.fork(), { recipientId: state.recipient_id, regionCode: state.region_code, subjectKind: 'delivery', subjectId: id, code });
        outcomes[index] = failed(refusalError(code, { booking_id: batch[index]!.bookingId, delivery_id: id }));
      }),
    );
    const authorised = await authoriseMany(deps, toAuthorise);
    return batch.map((request, index) => {
      const outcome = outcomes[index] ?? authorised.get(request.id)!;
      if (outcome.ok && outcome.value.status === 'refused') return failed(refusalError(outcome.value.refusal_code as RefusalCode, { delivery_id: request.id }));
      return outcome;
    });
  });
}

function deliveryRefusal(state: RecordingState, now: { unitsConsumed: number; amountConsumed: Money; bookingConsumed: number }, input: DeliveryInput): RefusalCode | undefined {
  if (!SPENDABLE.includes(state.certificate_status as never)) return 'certificate_not_active';
  if (input.delivered_on < state.valid_from || input.delivered_on > state.valid_to || input.delivered_on > todayInRussia()) return 'date_outside_validity';
  if (input.units > state.booking_units - now.bookingConsumed) return 'units_beyond_booking';
  if (input.units > state.volume - now.unitsConsumed) return 'units_beyond_booking';
  const net = Money.parse(state.net_amount);
  if (net.lte(now.amountConsumed) && net.isPositive()) return 'insufficient_balance';
  return undefined;
}

/**
 * Places (or re-places, with the same ids) the ledger holds for `authorising` deliveries, in one
 * ledger request, and marks them held; a hold the ledger refuses gives the act's units back.
 */
async function authoriseMany(deps: Deps, deliveries: DeliveryRow[]): Promise<Map<string, ItemOutcome<DeliveryRow>>> {
  const outcomes = new Map<string, ItemOutcome<DeliveryRow>>();
  if (!deliveries.length) return outcomes;
  const results = await placeHolds(deps, deliveries);
  const placed: string[] = [];
  await Promise.all(
    deliveries.map(async (delivery, i) => {
      const result = results[i]!;
      if (result.status === 'rejected') return outcomes.set(delivery.id, failed(result.reason));
      if (result.value.status !== 'failed') return void placed.push(delivery.id);
      outcomes.set(delivery.id, { ok: true, value: await refuseHold(deps, delivery, result.value) });
    }),
  );
  if (placed.length) {
    const held = await withSqlClient(deps.orm, async (sql) => {
      const marked = await markHeld<DeliveryRow>(sql, placed);
      const unmarked = placed.filter((id) => !marked.has(id));
      return unmarked.length ? new Map([...marked, ...(await deliveriesById<DeliveryRow>(sql, unmarked))]) : marked;
    });
    for (const id of placed) outcomes.set(id, { ok: true, value: held.get(id)! });
  }
  return outcomes;
}

type HoldRequest = Pick<DeliveryRow, 'id' | 'certificate_id' | 'provider_id' | 'amount' | 'delivered_on'>;

/** One ledger hold per act, the act's id its transfer id (placing it again finds the first); nothing to hold for an act fully paid by the fee. */
function placeHolds(deps: Deps, acts: HoldRequest[]): Promise<Array<PromiseSettledResult<LedgerTransferResult>>> {
  return Promise.allSettled(
    acts.map(
      (act): Promise<LedgerTransferResult> =>
        Money.parse(act.amount).isZero()
          ? Promise.resolve({ id: act.id, status: 'created' })
          : deps.ledger.transfer({
              id: act.id,
              debit_account_id: ledgerAccountIds.certificate(act.certificate_id),
              credit_account_id: ledgerAccountIds.providerPayable(act.provider_id),
              amount: act.amount,
              code: 'authorise_delivery',
              reference: `Акт ${act.id.slice(0, 8)} от ${act.delivered_on}`,
              flags: { pending: true },
              timeout_seconds: deps.settings.confirmationWindowSeconds + deps.settings.holdGraceSeconds,
            }),
    ),
  );
}

const refusalOfHold = (result: LedgerTransferResult): RefusalCode => (result.code === 'insufficient_funds' ? 'insufficient_balance' : 'certificate_not_active');

async function refuseHold(deps: Deps, delivery: DeliveryRow, result: LedgerTransferResult): Promise<DeliveryRow> {
  const em = deps.orm.em.fork();
  const code = refusalOfHold(result);
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
  const settled = await committersOf(deps).settle.submit({
    id,
    actor: principal.subject,
    decide: (act) => {
      if (!isCitizen(principal, act.snils) && !isCaseworkerOf(principal, act.recipient_region)) {
        throw forbidden('Подтвердить или оспорить оказание услуги может только получатель услуг или специалист его региона.', 'not_your_certificate');
      }
      const confirmedUnits = input.units ?? act.units;
      if (confirmedUnits > act.units) {
        throw new AppError('validation', 'validation_failed', `В акте ${act.units} ед.; подтвердить больше нельзя.`, {}, [{ field: 'units', message: `не больше ${act.units}` }]);
      }
      if (confirmedUnits < act.units && !input.dispute_reason) {
        throw new AppError('validation', 'validation_failed', 'Укажите, что именно не было оказано: причина обязательна, если подтверждаете не всё.', {}, [
          { field: 'dispute_reason', message: 'обязательна при оспаривании' },
        ]);
      }
      return { confirmedUnits, disputeReason: input.dispute_reason ?? null };
    },
  });
  return deliveryView(settled);
}

/**
 * Posts (fully or partly) or voids the holds in one ledger request, then records the outcomes with
 * their lines' counters and, for confirmed units, redemption.posted, in one transaction. The ledger
 * transfer ids derive from the delivery, so a retry after a crash finds the first outcome instead of
 * moving money twice.
 */
function settleBatch(deps: Deps, requests: SettleRequest[]): Promise<Array<ItemOutcome<DeliveryRow>>> {
  return withRepeatsLater(requests, async (batch) => {
    const outcomes: Array<ItemOutcome<DeliveryRow> | undefined> = new Array(batch.length);
    // `answer`: the request's own answer when the act was written with an outcome other than it asked for.
    const writes: Array<SettlementWrite & { index: number; act: DeliveryRow & SettlementContext; answer?: AppError }> = [];
    let settled = new Map<string, DeliveryRow>();
    // The ledger is asked while the acts' lines stay locked: one read, one write, one commit per batch.
    await withPipelinedTransaction(
      deps.orm,
      async (sql, finish) => {
        outcomes.fill(undefined);
        writes.length = 0;
        settled = new Map();
        const acts = await lockForSettling<DeliveryRow>(sql, batch.map((r) => r.id));
        const planned: Array<{ index: number; act: DeliveryRow & SettlementContext; resolution: Resolution; held: Money; posted: Money }> = [];
        batch.forEach((request, index) => {
          const act = acts.get(request.id);
          try {
            if (!act) throw notFound('delivery_not_found', `Акт об оказании услуги ${request.id} не найден.`);
            const resolution = request.decide(act);
            if (act.status === 'posted' || act.status === 'voided') throw alreadyResolved({ delivery_status: act.status });
            if (act.status !== 'held') throw conflict('delivery_not_held', 'Акт ещё не принят к оплате или отклонён; подтверждать нечего.', { delivery_status: act.status });
            const held = Money.parse(act.amount);
            const posted = resolution.confirmedUnits === 0 ? Money.zero() : partialPostAmount(held, act.units, resolution.confirmedUnits);
            planned.push({ index, act, resolution, held, posted });
          } catch (error) {
            outcomes[index] = failed(error);
          }
        });

        const transfers = await Promise.allSettled(
          planned.map(({ act, resolution, held, posted }): Promise<LedgerTransferResult | undefined> => {
            if (!held.isPositive()) return Promise.resolve(undefined);
            return resolution.confirmedUnits === 0
              ? deps.ledger.transfer({ id: derivedTransferId(act.id, 'void'), pending_id: act.id, flags: { void_pending: true } })
              : deps.ledger.transfer({ id: derivedTransferId(act.id, 'post'), pending_id: act.id, amount: posted.toString(), flags: { post_pending: true } });
          }),
        );
        // The ledger resolved a hold whose act is still held here: an earlier settling moved the money and
        // then lost its write (a crash, a dropped connection). The ledger's outcome is what happened.
        const earlier = await Promise.allSettled(
          planned.map(({ act, held }, i) => {
            const transfer = transfers[i]!;
            const resolvedBefore = transfer.status === 'fulfilled' && transfer.value?.status === 'failed' && RESOLVED_BEFORE.has(transfer.value.code!);
            return resolvedBefore ? settledInLedger(deps, act, held) : Promise.resolve(undefined);
          }),
        );
        planned.forEach(({ index, act, resolution, held, posted }, i) => {
          const transfer = transfers[i]!;
          if (transfer.status === 'rejected') return (outcomes[index] = failed(transfer.reason));
          const lookup = earlier[i]!;
          if (lookup.status === 'rejected') return (outcomes[index] = failed(lookup.reason));
          const found = lookup.value;
          if (found) {
            const recovered = { confirmedUnits: found.confirmedUnits, disputeReason: found.confirmedUnits < act.units ? LOST_DISPUTE_REASON : null };
            return void writes.push({ index, act, answer: alreadyResolved(), ...settlementWrite(act, recovered, false, found.posted, held, LEDGER_RECONCILIATION) });
          }
          const result = transfer.value;
          if (result?.status === 'failed' && result.code !== 'pending_expired') {
            return (outcomes[index] = failed(RESOLVED_BEFORE.has(result.code!) ? alreadyResolved() : new AppError('internal', 'ledger_refused', `Леджер отклонил проводку акта: ${result.code}.`)));
          }
          const expired = result?.status === 'failed';
          const confirmed = expired ? 0 : resolution.confirmedUnits;
          const postedAmount = expired ? Money.zero() : posted;
          writes.push({
            index,
            act,
            ...settlementWrite(act, { ...resolution, confirmedUnits: confirmed }, expired, postedAmount, held, batch[index]!.actor),
          });
        });
        if (writes.length) await finish((tx) => writeSettlements<DeliveryRow>(tx, writes).then((rows) => void (settled = rows)));
      },
      4,
    );
    const lost = writes.filter((w) => !settled.has(w.id)).map((w) => w.id);
    const current = lost.length ? await withSqlClient(deps.orm, (sql) => deliveriesById<DeliveryRow>(sql, lost)) : new Map<string, DeliveryRow>();
    await Promise.all(
      writes.map(async ({ index, id, act, amountBack, answer }) => {
        const row = settled.get(id);
        // Money a void returned to a closed certificate belongs to the programme again.
        if (row && Money.parse(amountBack).isPositive() && ['expired', 'revoked'].includes(act.certificate_status)) await releaseAvailable(deps, act.certificate_id);
        outcomes[index] = answer ? failed(answer) : { ok: true, value: row ?? current.get(id)! };
      }),
    );
    return outcomes.map((o) => o!);
  });
}

const RESOLVED_BEFORE = new Set(['pending_already_resolved', 'exists_with_different_fields']);
const LEDGER_RECONCILIATION = 'system:ledger-reconciliation';
const LOST_DISPUTE_REASON = 'Решение по акту принято ранее, но из-за сбоя сохранилось только в леджере; причина спора не сохранилась. Если вы не согласны с решением, обратитесь к специалисту органа соцзащиты.';
const alreadyResolved = (extra: Record<string, unknown> = {}) => conflict('delivery_already_resolved', 'По этому акту решение уже принято.', extra);

/**
 * How the ledger resolved an act's hold: a post (its confirmed units read back from the amount, which
 * settling always derives from them) or a void. Settling is the only resolver with these derived ids.
 */
async function settledInLedger(deps: Deps, act: DeliveryRow, held: Money): Promise<{ confirmedUnits: number; posted: Money } | undefined> {
  const hold = await deps.ledger.getTransfer(act.id);
  if (hold?.pending_status === 'voided') return { confirmedUnits: 0, posted: Money.zero() };
  if (hold?.pending_status !== 'posted') return undefined;
  const post = await deps.ledger.getTransfer(derivedTransferId(act.id, 'post'));
  if (!post) return undefined;
  const posted = Money.parse(post.amount);
  for (let units = act.units; units > 0; units--) if (partialPostAmount(held, act.units, units).equals(posted)) return { confirmedUnits: units, posted };
  return undefined;
}

function settlementWrite(act: DeliveryRow & SettlementContext, resolution: Resolution, expired: boolean, postedAmount: Money, held: Money, actor: string): SettlementWrite {
  const confirmed = resolution.confirmedUnits;
  const resolutionCode = expired
    ? 'hold_expired'
    : resolution.auto
      ? 'auto_confirmed'
      : confirmed === 0
        ? 'disputed'
        : confirmed < act.units
          ? 'partly_disputed'
          : 'confirmed';
  const gross = Money.parse(act.unit_cost).multiply(String(confirmed));
  return {
    id: act.id,
    lineId: act.line_id,
    status: confirmed === 0 ? 'voided' : 'posted',
    resolution: resolutionCode,
    actor,
    confirmedUnits: confirmed,
    postedAmount: postedAmount.toString(),
    disputeReason: resolution.disputeReason ?? null,
    unitsBack: act.units - confirmed,
    amountBack: held.subtract(postedAmount).toString(),
    eventId: derivedTransferId(act.id, 'redemption.posted'),
    payload: {
      redemption_id: act.id,
      certificate_id: act.certificate_id,
      certificate_number: act.number,
      certificate_line_id: act.line_id,
      booking_id: act.booking_id,
      provider_id: act.provider_id,
      provider_funding_mode: act.funding_mode,
      region_code: act.certificate_region,
      budget_programme_id: act.budget_programme_id,
      budget_programme_code: act.budget_programme_code,
      service_code: act.service_code,
      service_name: act.service_name,
      unit: act.unit,
      units: confirmed,
      unit_cost: act.unit_cost,
      gross_amount: gross.toString(),
      fee_amount: gross.subtract(postedAmount).toString(),
      amount: postedAmount.toString(),
      delivered_on: act.delivered_on,
      posted_at: new Date().toISOString(),
      ledger_transfer_id: derivedTransferId(act.id, 'post'),
      payable_account_id: ledgerAccountIds.providerPayable(act.provider_id),
    },
  };
}

/** Acts whose confirmation window lapsed without a dispute are posted for the citizen. */
export async function postLapsed(deps: Deps, limit = 500): Promise<number> {
  const em = deps.orm.em.fork();
  const lapsed: Array<{ id: string }> = await em.execute(
    `select id from certificates.deliveries where status = 'held' and confirm_by <= clock_timestamp() order by confirm_by limit ?`,
    [limit],
  );
  const outcomes = await Promise.allSettled(
    lapsed.map(({ id }) =>
      committersOf(deps).settle.submit({ id, actor: 'system:confirmation-window', decide: (act) => ({ confirmedUnits: act.units, auto: true }) }),
    ),
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
  await authoriseMany(deps, stuck);
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
