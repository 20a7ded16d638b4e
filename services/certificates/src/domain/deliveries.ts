import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { derivedTransferId, ledgerAccountIds, type LedgerTransferResult } from '@esc/ledger-client';
import { AppError, conflict, forbidden, notFound, withTransaction, type EntityManager, type Principal } from '@esc/service-kit';
import { GroupCommit, withPipelinedTransaction, type ItemOutcome } from '@esc/service-kit/hot';
import { giveBackBookingUsage } from '../data-access/booking-store';
import { giveBackLineUsage } from '../data-access/certificate-store';
import {
  deliveriesById,
  deliveriesByIdOnPool,
  deliveriesOfBooking,
  deliveriesStuckAuthorising,
  findDeliveryRow,
  insertActs,
  lapsedHeldDeliveries,
  lockForRecording,
  lockForSettling,
  markHeldOnPool,
  markRefused,
  writeSettlements,
  type DeliveryRow,
  type NewDelivery,
  type RecordingState,
  type SettlementContext,
  type SettlementWrite,
} from '../data-access/delivery-store';
import { isCaseworkerOf, isCitizen, isProviderOf, readsEverything } from './access';
import { actsHeld, actsPosted } from './business-metrics';
import { findBooking } from './bookings';
import { releaseAvailable } from './certificates';
import type { Deps } from './context';
import { findRecipient } from './recipients';
import {
  actDifferences,
  confirmedUnitsOfPost,
  decideRecording,
  decideSettlement,
  resolutionOf,
  type ActField,
  type ActIdentity,
  type RecordedUsage,
  type Resolution,
} from './redemption';
import { recordRefusal, refusalError, type RefusalCode } from './refusals';
import { regionDateAt } from './business-date';

export type { DeliveryRow, DeliveryStatus } from '../data-access/delivery-store';
export type { Resolution } from './redemption';

export async function findDelivery(em: EntityManager, id: string): Promise<DeliveryRow> {
  const found = await findDeliveryRow(em, id);
  if (!found) throw notFound('delivery_not_found', `Акт об оказании услуги ${id} не найден.`);
  return found;
}

export interface RecordDeliveryInput {
  /** The booking the act is recorded on. */
  booking_id: string;
  /** The act's own id (also its ledger hold's), making the request idempotent. */
  id?: string;
  delivered_on: string;
  units: number;
  staff: { name: string; position: string };
}

interface RecordRequest {
  principal: Principal;
  bookingId: string;
  id: string;
  input: RecordDeliveryInput;
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
export async function recordDelivery(deps: Deps, principal: Principal, input: RecordDeliveryInput): Promise<DeliveryRow> {
  return committersOf(deps).record.submit({ principal, bookingId: input.booking_id, id: input.id ?? randomUUID(), input });
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

const identityOf = (request: RecordRequest): ActIdentity => ({
  booking_id: request.bookingId,
  delivered_on: request.input.delivered_on,
  units: request.input.units,
  staff: request.input.staff,
});

/** The answer to an act id sent again with another act: 409, naming what differs. */
function idConflict(id: string, differences: ActField[]): AppError {
  if (differences.includes('booking_id')) return conflict('delivery_id_in_use', `Идентификатор ${id} уже использован для акта по другой записи.`, { delivery_id: id });
  return conflict(
    'delivery_id_conflict',
    `Идентификатор ${id} уже использован для другого акта (отличаются поля: ${differences.join(', ')}). Если это тот же акт, отправьте его с прежними данными; если это новый акт, создайте для него новый идентификатор.`,
    { delivery_id: id, fields: differences },
  );
}

/**
 * One id, one outcome, whatever the timing. Within a batch, a request repeating an id already in it
 * (from the same sender) gets the first one's answer, or 409 when its act differs; one from another
 * sender runs in a later batch, where it meets the stored act or refusal. Across batches the stored
 * row (held, authorising or refused) answers.
 */
async function recordBatch(deps: Deps, requests: RecordRequest[]): Promise<Array<ItemOutcome<DeliveryRow>>> {
  const firstOf = new Map<string, number>();
  const distinct: number[] = [];
  const later: number[] = [];
  const repeatOf = new Map<number, number>();
  requests.forEach((request, i) => {
    const first = firstOf.get(request.id);
    if (first === undefined) {
      firstOf.set(request.id, i);
      distinct.push(i);
    } else if (requests[first]!.principal.subject === request.principal.subject) repeatOf.set(i, first);
    else later.push(i);
  });
  const outcomes: Array<ItemOutcome<DeliveryRow>> = new Array(requests.length);
  const ran = await recordDistinct(deps, distinct.map((i) => requests[i]!));
  distinct.forEach((i, k) => (outcomes[i] = ran[k]!));
  for (const [i, first] of repeatOf) {
    const differences = actDifferences(identityOf(requests[first]!), identityOf(requests[i]!));
    outcomes[i] = differences.length ? failed(idConflict(requests[i]!.id, differences)) : outcomes[first]!;
  }
  if (later.length) {
    const more = await recordBatch(deps, later.map((i) => requests[i]!));
    later.forEach((i, k) => (outcomes[i] = more[k]!));
  }
  return outcomes;
}

/** An act id whose hold was voided as abandoned (its act never written): the act must come again under a new id. */
const abandonedAct = (id: string) =>
  conflict(
    'delivery_id_abandoned',
    `Акт ${id} не был записан: сервис прервался во время записи, и средства, удержанные по нему, освобождены. Отправьте акт заново с новым идентификатором.`,
    { delivery_id: id },
  );

/** The refusal an act's id answers with, the first time and every time after. */
const actRefusal = (code: RefusalCode, bookingId: string, id: string) => refusalError(code, { booking_id: bookingId, delivery_id: id });

/** Records acts of distinct ids in one transaction. */
async function recordDistinct(deps: Deps, batch: RecordRequest[]): Promise<Array<ItemOutcome<DeliveryRow>>> {
  const outcomes: Array<ItemOutcome<DeliveryRow> | undefined> = new Array(batch.length);
  const refusals: Array<{ index: number; code: RefusalCode; state: RecordingState }> = [];
  const toAuthorise: DeliveryRow[] = [];
  // Every hold the ledger placed for this batch, over all attempts: those whose act is not written held are voided.
  const holdsPlaced = new Map<string, HoldRequest>();
  const written = new Set<string>();
  const storedBefore = new Set<string>();
  let lost: string[] = [];
  try {
    await withPipelinedTransaction(deps.orm, async (sql, finish) => {
      // A retried transaction starts its verdicts afresh.
      outcomes.fill(undefined);
      refusals.length = 0;
      toAuthorise.length = 0;
      written.clear();
      storedBefore.clear();
      lost = [];
      const { states, existing, abandoned } = await lockForRecording(sql, [...new Set(batch.map((r) => r.bookingId))], batch.map((r) => r.id));
      // Each act is checked against its own region's business date (Ulyanovsk is UTC+4, not Moscow).
      const now = deps.clock();
      const todays = new Map<string, string>();
      const todayOf = (region: string) => todays.get(region) ?? todays.set(region, regionDateAt(deps.regionTimeZones, region, now)).get(region)!;
      // Running usage: the acts of one batch are decided one after another, as if recorded in turn.
      const lineUsage = new Map(states.map((s) => [s.line_id, { lineUnits: s.units_consumed, lineAmount: Money.parse(s.amount_consumed) }]));
      const bookingUsage = new Map(states.map((s) => [s.booking_id, s.booking_consumed]));
      const byBooking = new Map(states.map((s) => [s.booking_id, s]));
      const acts: Array<NewDelivery & { index: number }> = [];
      const retries: Array<{ index: number; id: string }> = [];
      batch.forEach((request, index) => {
        const state = byBooking.get(request.bookingId);
        if (!state) return (outcomes[index] = failed(notFound('booking_not_found', `Запись к поставщику ${request.bookingId} не найдена.`)));
        if (!isProviderOf(request.principal, state.provider_id)) {
          return (outcomes[index] = failed(forbidden('Отмечать оказание услуг может только поставщик, с которым заключён договор.', 'not_your_booking')));
        }
        const earlier = existing.get(request.id);
        // A refused act keeps answering its refusal, even once a stray hold under its id was given up.
        if (!earlier && abandoned.has(request.id)) return (outcomes[index] = failed(abandonedAct(request.id)));
        if (earlier) {
          const differences = actDifferences(earlier, identityOf(request));
          if (differences.length) return (outcomes[index] = failed(idConflict(request.id, differences)));
          return void retries.push({ index, id: request.id });
        }
        const line = lineUsage.get(state.line_id)!;
        const usage: RecordedUsage = { ...line, bookingUnits: bookingUsage.get(state.booking_id)! };
        let today: string;
        try {
          today = todayOf(state.region_code);
        } catch (err) {
          return (outcomes[index] = failed(err));
        }
        const decision = decideRecording(state, usage, request.input, today);
        if (decision.kind === 'reject') return (outcomes[index] = failed(conflict('booking_not_accepted', 'Отмечать услуги можно только по принятой записи.')));
        const act = {
          index,
          id: request.id,
          state,
          deliveredOn: request.input.delivered_on,
          units: request.input.units,
          staff: request.input.staff,
          recordedBy: request.principal.subject,
        };
        if (decision.kind === 'refuse') {
          // Kept as a refused act, so that the id answers this refusal again whatever is freed later.
          refusals.push({ index, code: decision.code, state });
          const gross = Money.parse(state.unit_cost).multiply(String(request.input.units));
          return void acts.push({ ...act, amount: '0.00', gross: gross.toString(), status: 'refused', refusalCode: decision.code });
        }
        lineUsage.set(state.line_id, { lineUnits: decision.usage.lineUnits, lineAmount: decision.usage.lineAmount });
        bookingUsage.set(state.booking_id, decision.usage.bookingUnits);
        acts.push({ ...act, amount: decision.amount.toString(), gross: decision.gross.toString(), status: 'held', refusalCode: null });
      });
      const retried = retries.length ? await deliveriesById(sql, retries.map((r) => r.id)) : new Map<string, DeliveryRow>();
      const toHold = acts.filter((a) => a.status === 'held');
      if (toHold.length) {
        // The holds are placed while the lines stay locked, so each act is written once, already held
        // (or refused). A hold whose answer is lost leaves its act `authorising`, for a job to ask again.
        const requested = toHold.map((a) => ({ id: a.id, certificate_id: a.state.certificate_id, provider_id: a.state.provider_id, amount: a.amount, delivered_on: a.deliveredOn }));
        const holds = await placeHolds(deps, requested);
        toHold.forEach((act, i) => {
          const hold = holds[i]!;
          if (hold.status === 'rejected') {
            act.status = 'authorising';
            outcomes[act.index] = failed(hold.reason);
          } else if (hold.value.status === 'failed') {
            const code = refusalOfHold(hold.value);
            act.status = 'refused';
            act.refusalCode = code;
            refusals.push({ index: act.index, code, state: act.state });
          } else if (!Money.parse(act.amount).isZero()) holdsPlaced.set(act.id, requested[i]!);
        });
      }
      if (acts.length) {
        await finish((tx) =>
          insertActs(tx, acts, deps.settings.confirmationWindowSeconds).then((rows) => {
            for (const act of acts) {
              const row = rows.get(act.id);
              if (!row) lost.push(act.id);
              else if (act.status === 'held') {
                written.add(act.id);
                outcomes[act.index] = { ok: true, value: row };
              }
            }
          }),
        );
      }
      for (const { index, id } of retries) {
        const earlier = retried.get(id)!;
        // Written already — by this batch's attempt whose commit went through as its connection broke: its hold is the act's.
        storedBefore.add(id);
        if (earlier.status === 'authorising') toAuthorise.push(earlier);
        else outcomes[index] = { ok: true, value: earlier };
      }
    }, 4);
  } catch (error) {
    // The database refused the batch, so nothing was written: no hold of it may keep the certificates'
    // money. (When the connection broke instead, the commit may have happened: the holds are left to
    // the acts, or to the abandoned-hold sweep.)
    if (refusedByDatabase(error)) await voidHolds(deps, [...holdsPlaced.values()]);
    throw error;
  }
  // Holds placed by an attempt that was retried and decided otherwise.
  await voidHolds(deps, [...holdsPlaced.values()].filter((h) => !written.has(h.id) && !storedBefore.has(h.id) && !lost.includes(h.id)));
  if (written.size) actsHeld.inc(written.size);

  // An id written meanwhile by another instance: its stored act answers (the hold, same id, is the same transfer).
  const stored = lost.length ? await deliveriesByIdOnPool(deps.orm, lost) : new Map<string, DeliveryRow>();
  const lostIds = new Set(lost);
  await Promise.all(
    refusals.map(async ({ index, code, state }) => {
      const id = batch[index]!.id;
      if (lostIds.has(id)) return;
      await recordRefusal(deps.orm.em.fork(), { recipientId: state.recipient_id, regionCode: state.region_code, subjectKind: 'delivery', subjectId: id, code });
      outcomes[index] = failed(actRefusal(code, batch[index]!.bookingId, id));
    }),
  );
  batch.forEach((request, index) => {
    if (!lostIds.has(request.id)) return;
    const row = stored.get(request.id);
    // Not written meanwhile by another instance, but given up as abandoned while this batch held its hold.
    if (!row) return void (outcomes[index] = failed(abandonedAct(request.id)));
    const differences = actDifferences(row, identityOf(request));
    outcomes[index] = differences.length ? failed(idConflict(request.id, differences)) : { ok: true, value: row };
  });
  const authorised = await authoriseMany(deps, toAuthorise);
  return batch.map((request, index) => {
    const outcome = outcomes[index] ?? authorised.get(request.id)!;
    if (outcome.ok && outcome.value.status === 'refused') return failed(actRefusal(outcome.value.refusal_code as RefusalCode, outcome.value.booking_id, request.id));
    return outcome;
  });
}

/** An error PostgreSQL answered (it has an SQLSTATE): its transaction was rolled back. */
/**
 * PostgreSQL refused the batch (a SQLSTATE such as 23505 or 40001): nothing of it was written. A lost
 * connection (class 08) or a server shutting sessions down (class 57, as a restart does) leaves the
 * commit in doubt — it may have gone through just before — so those are not refusals.
 */
const refusedByDatabase = (error: unknown) => {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !['08', '57'].includes(code.slice(0, 2));
};

/** Voids holds whose acts were not written; one that cannot be voided now lapses in the ledger at its timeout. */
async function voidHolds(deps: Deps, holds: HoldRequest[]): Promise<void> {
  if (!holds.length) return;
  await Promise.allSettled(holds.map((hold) => deps.ledger.transfer({ id: derivedTransferId(hold.id, 'void'), pending_id: hold.id, flags: { void_pending: true } })));
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
    const held = await markHeldOnPool(deps.orm, placed);
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
    if (!(await markRefused(tx, delivery.id, code))) return;
    await giveBackLineUsage(tx, delivery.line_id, delivery.units, delivery.amount);
    await giveBackBookingUsage(tx, delivery.booking_id, delivery.units);
    await recordRefusal(tx, { recipientId: delivery.recipient_id, regionCode: null, subjectKind: 'delivery', subjectId: delivery.id, code });
  });
  return findDelivery(em, delivery.id);
}

export interface ResolveDeliveryInput {
  id: string;
  /** Units confirmed; all of the act's when absent, none to dispute it. */
  units?: number;
  dispute_reason?: string | null;
}

/** The citizen (or a case worker for them) confirms all or part of an act, or disputes it. */
export async function resolveDelivery(deps: Deps, principal: Principal, input: ResolveDeliveryInput): Promise<DeliveryRow> {
  return committersOf(deps).settle.submit({
    id: input.id,
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
        const acts = await lockForSettling(sql, batch.map((r) => r.id));
        const planned: Array<{ index: number; act: DeliveryRow & SettlementContext; resolution: Resolution; held: Money; posted: Money }> = [];
        batch.forEach((request, index) => {
          const act = acts.get(request.id);
          try {
            if (!act) throw notFound('delivery_not_found', `Акт об оказании услуги ${request.id} не найден.`);
            const resolution = request.decide(act);
            const decision = decideSettlement(act, resolution);
            if (decision.kind === 'reject') {
              if (decision.problem === 'delivery_already_resolved') throw alreadyResolved({ delivery_status: act.status });
              throw conflict('delivery_not_held', 'Акт ещё не принят к оплате или отклонён; подтверждать нечего.', { delivery_status: act.status });
            }
            planned.push({ index, act, resolution, held: decision.held, posted: decision.posted });
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
        if (writes.length) await finish((tx) => writeSettlements(tx, writes).then((rows) => void (settled = rows)));
      },
      4,
    );
    const lost = writes.filter((w) => !settled.has(w.id)).map((w) => w.id);
    for (const row of settled.values()) if (row.status === 'posted') actsPosted.inc();
    const current = lost.length ? await deliveriesByIdOnPool(deps.orm, lost) : new Map<string, DeliveryRow>();
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
 * How the ledger resolved an act's hold: a post (its confirmed units read back from the amount) or a
 * void. Settling is the only resolver with these derived ids.
 */
async function settledInLedger(deps: Deps, act: DeliveryRow, held: Money): Promise<{ confirmedUnits: number; posted: Money } | undefined> {
  const hold = await deps.ledger.getTransfer(act.id);
  if (hold?.pending_status === 'voided') return { confirmedUnits: 0, posted: Money.zero() };
  if (hold?.pending_status !== 'posted') return undefined;
  const post = await deps.ledger.getTransfer(derivedTransferId(act.id, 'post'));
  if (!post) return undefined;
  const posted = Money.parse(post.amount);
  const confirmedUnits = confirmedUnitsOfPost(held, act.units, posted);
  return confirmedUnits === undefined ? undefined : { confirmedUnits, posted };
}

function settlementWrite(act: DeliveryRow & SettlementContext, resolution: Resolution, expired: boolean, postedAmount: Money, held: Money, actor: string): SettlementWrite {
  const confirmed = resolution.confirmedUnits;
  const gross = Money.parse(act.unit_cost).multiply(String(confirmed));
  const resolved = resolutionOf(act.units, resolution, expired);
  return {
    id: act.id,
    lineId: act.line_id,
    status: confirmed === 0 ? 'voided' : 'posted',
    resolution: resolved,
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
      // The act as it was and who settled it: a posted act's audit record is made of this event (see activity-audit).
      recipient_id: act.recipient_id,
      resolution: resolved,
      resolved_by: actor,
      act_units: act.units,
      held_amount: act.amount,
      dispute_reason: resolution.disputeReason ?? null,
    },
  };
}

/** Acts whose confirmation window lapsed without a dispute are posted for the citizen. */
export async function postLapsed(deps: Deps, _principal: Principal, input: { limit?: number }): Promise<number> {
  const lapsed = await lapsedHeldDeliveries(deps.orm.em.fork(), input.limit ?? 500);
  const outcomes = await Promise.allSettled(
    lapsed.map((id) => committersOf(deps).settle.submit({ id, actor: 'system:confirmation-window', decide: (act) => ({ confirmedUnits: act.units, auto: true }) })),
  );
  return outcomes.filter((o) => o.status === 'fulfilled').length;
}

/** Deliveries left `authorising` by a process that stopped between its two steps. */
export async function completeAuthorising(deps: Deps, _principal: Principal, input: { olderThanSeconds?: number }): Promise<number> {
  const stuck = await deliveriesStuckAuthorising(deps.orm.em.fork(), input.olderThanSeconds ?? 30, 500);
  await authoriseMany(deps, stuck);
  return stuck.length;
}

export async function readDelivery(deps: Deps, principal: Principal, input: { id: string }): Promise<DeliveryRow> {
  const em = deps.orm.em.fork();
  const delivery = await findDelivery(em, input.id);
  await assertCanReadActs(em, principal, delivery);
  return delivery;
}

export async function listBookingDeliveries(deps: Deps, principal: Principal, input: { id: string }): Promise<DeliveryRow[]> {
  const em = deps.orm.em.fork();
  await assertCanReadActs(em, principal, await findBooking(em, input.id));
  return deliveriesOfBooking(em, input.id);
}

/** Acts are read by their provider, the person who received the services, case workers of the region, admins and auditors. */
async function assertCanReadActs(em: EntityManager, principal: Principal, of: { provider_id: string; recipient_id: string }) {
  if (isProviderOf(principal, of.provider_id) || readsEverything(principal)) return;
  const recipient = await findRecipient(em, of.recipient_id);
  if (isCitizen(principal, recipient.snils) || isCaseworkerOf(principal, recipient.region_code)) return;
  throw forbidden('Акты доступны только получателю услуг, поставщику и специалистам региона.', 'not_your_record');
}
