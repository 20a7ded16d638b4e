import { randomUUID } from 'node:crypto';
import { ledgerAccountIds } from '@esc/ledger-client';
import { AppError, conflict, forbidden, notFound, withTransaction, type EntityManager, type Principal } from '@esc/service-kit';
import {
  bookingsOfProvider,
  findBookingRow,
  insertBooking,
  lockBookingForAccepting,
  lockBookingRow,
  lockCapacity,
  markBookingAccepted,
  markBookingCancelled,
  markBookingDeclined,
  reservedFor,
  upsertCapacity,
  type BookingRow,
  type BookingStatus,
  type DeclineCode,
} from '../data-access/booking-store';
import { activateCertificate, addUnitsBooked, findLineRow, lockLine, lockLineRow, type CertificateLineRow } from '../data-access/certificate-store';
import type { RegistryProvider, RegistryProviderSummary } from '../clients/registry-client';
import { isCaseworkerOf, isCitizen, isProviderOf, readsEverything } from './access';
import { findCertificate, lockCertificate } from './certificates';
import { standingOf } from '../data-access/provider-standing-store';
import { writeBookingEvents } from '../data-access/notice-event-store';
import { restrictionOf } from './provider-standing';
import type { Deps } from './context';
import { findRecipient, type RecipientRow } from './recipients';
import { SPENDABLE } from './redemption';
import { recordRefusal, refusalError, type RefusalCode } from './refusals';
import { changeReservation } from './reservations';
import { keepRefusal, keptRefusal } from './refused-requests';

export type { BookingRow, BookingStatus, DeclineCode } from '../data-access/booking-store';

export const DECLINE_CODES = ['no_staff_in_area', 'capacity_exhausted', 'service_not_suitable', 'recipient_unreachable', 'other'] as const satisfies readonly DeclineCode[];

export async function findBooking(em: EntityManager, id: string): Promise<BookingRow> {
  return (await findBookingRow(em, id)) ?? bookingNotFound(id);
}

async function lockBooking(em: EntityManager, id: string): Promise<BookingRow> {
  return (await lockBookingRow(em, id)) ?? bookingNotFound(id);
}

function bookingNotFound(id: string): never {
  throw notFound('booking_not_found', `Запись к поставщику ${id} не найдена.`);
}

/** The citizen holding the certificate, or a case worker of its region acting for them. */
async function assertActsForHolder(em: EntityManager, principal: Principal, recipientId: string, regionCode: string) {
  const recipient = await findRecipient(em, recipientId);
  if (isCitizen(principal, recipient.snils) || isCaseworkerOf(principal, regionCode)) return recipient;
  throw forbidden('Выбирать поставщика по сертификату может только его владелец или специалист органа социальной защиты его региона.', 'not_your_certificate');
}

/** A provider the recipient can book for the line, with what its capacity has room for. */
export interface ProviderForLine {
  provider: RegistryProviderSummary;
  capacityPerMonth: number;
  freeCapacityPerMonth: number;
  inRecipientDistrict: boolean;
}

/**
 * Admitted providers of the line's service with the capacity still free here (the registry knows
 * capacity, this service knows what its bookings reserved): those with a location in the recipient's
 * district first, then the others booking would admit for this recipient.
 */
export async function providersForLine(deps: Deps, principal: Principal, input: { id: string; lineId: string }): Promise<ProviderForLine[]> {
  const em = deps.orm.em.fork();
  const certificate = await findCertificate(em, input.id);
  const recipient = await assertActsForHolder(em, principal, certificate.recipient_id, certificate.region_code);
  const line = await findLine(em, input.id, input.lineId);
  const unitsPerMonth = line.volume_per_month;
  const [near, anywhere] = await Promise.all([
    deps.registry.searchProviders({ service: line.service_code, district: recipient.district_code, perPage: 100 }),
    deps.registry.searchProviders({ service: line.service_code, perPage: 100 }),
  ]);
  const nearIds = new Set(near.map((p) => p.id));
  const elsewhere = await admittedElsewhere(deps, anywhere.filter((p) => !nearIds.has(p.id)), line.service_code, recipient);
  const found = [...near, ...elsewhere];
  const reserved = found.length ? await reservedFor(em, line.service_code, found.map((p) => p.id)) : new Map<string, number>();
  return found
    .map((provider) => {
      const capacity = provider.services.find((s) => s.service_code === line.service_code)?.capacity_per_month ?? 0;
      const free = capacity - (reserved.get(provider.id) ?? 0);
      return { provider, capacityPerMonth: capacity, free, inRecipientDistrict: nearIds.has(provider.id) };
    })
    .filter((p) => p.free >= unitsPerMonth)
    .map(({ free, ...p }) => ({ ...p, freeCapacityPerMonth: Math.max(0, free) }));
}

/**
 * Providers outside the recipient's district that booking would admit for them. Search results carry
 * no region or admitted territory: a location in the recipient's region (OKTMO codes of one region
 * share their first two digits) narrows them, then each remaining provider's record decides.
 */
async function admittedElsewhere(deps: Deps, candidates: RegistryProviderSummary[], serviceCode: string, recipient: RecipientRow) {
  const region = recipient.district_code.slice(0, 2);
  const inRegion = candidates.filter((p) => p.locations.some((l) => l.district_code.startsWith(region)));
  const records = await Promise.all(inRegion.map((p) => deps.registry.provider(p.id)));
  return inRegion.filter((_, i) => admittedFor(records[i], serviceCode, recipient) && records[i]!.region_code === recipient.region_code);
}

/** Whether the provider may take the service for this recipient: admitted, and for the recipient's district or region (no territory: everywhere). */
function admittedFor(provider: RegistryProvider | undefined, serviceCode: string, recipient: Pick<RecipientRow, 'district_code' | 'region_code'>): provider is RegistryProvider {
  const offered = provider?.services.find((s) => s.service_code === serviceCode);
  const territory = offered?.admitted_territory ?? [];
  return (
    provider?.status === 'admitted' &&
    offered?.admitted === true &&
    (territory.length === 0 || territory.includes(recipient.district_code) || territory.includes(recipient.region_code))
  );
}

async function findLine(em: EntityManager, certificateId: string, lineId: string): Promise<CertificateLineRow> {
  return (await findLineRow(em, certificateId, lineId)) ?? lineNotFound(lineId);
}

async function lockCertificateLine(em: EntityManager, certificateId: string, lineId: string): Promise<CertificateLineRow> {
  return (await lockLineRow(em, certificateId, lineId)) ?? lineNotFound(lineId);
}

function lineNotFound(lineId: string): never {
  throw notFound('line_not_found', `В сертификате нет строки ${lineId}.`);
}

export interface CreateBookingInput {
  /** The certificate booked on. */
  certificate_id: string;
  /** The booking's own id, making the request idempotent. */
  id?: string;
  line_id: string;
  provider_id: string;
  units?: number;
}

/** What a booking request asks for: an id names one of these for good, booked or refused. */
interface BookingRequest {
  certificate_id: string;
  line_id: string;
  provider_id: string;
  units: number | null;
}

const requestOf = (input: CreateBookingInput): BookingRequest => ({ certificate_id: input.certificate_id, line_id: input.line_id, provider_id: input.provider_id, units: input.units ?? null });

/** A refusal the booking's id will answer with from now on. */
interface BookingRefusal {
  error: AppError;
  /** The refusal as the citizen's history shows it; none for a line already booked whole (nothing to appeal). */
  code?: RefusalCode;
}

/**
 * Books a provider for a certificate line. The line row and then the provider's capacity row are
 * locked in that order, so concurrent bookings neither overbook the provider nor the line. A refusal
 * is kept against the id in the same transaction, under the line's lock: the id answers it again after
 * a place is freed or the certificate resumed, and sends of one new id at once all get it.
 */
export async function createBooking(deps: Deps, principal: Principal, input: CreateBookingInput): Promise<BookingRow> {
  const em = deps.orm.em.fork();
  const certificateId = input.certificate_id;
  const id = input.id ?? randomUUID();
  const certificate = await findCertificate(em, certificateId);
  const recipient = await assertActsForHolder(em, principal, certificate.recipient_id, certificate.region_code);
  const answered = await earlierAnswer(em, id, input);
  if (answered) return answered;
  const line = await findLine(em, certificateId, input.line_id);
  const provider = await deps.registry.provider(input.provider_id);
  const offered = provider?.services.find((s) => s.service_code === line.service_code);
  // The standing the registry's events left here, or the registry's own answer while its event is on the way.
  const restriction = restrictionOf(await standingOf(em, input.provider_id)) ?? restrictionOf(provider?.status);
  const notAdmitted: BookingRefusal = { code: 'provider_not_admitted', error: refusalError('provider_not_admitted', { provider_id: input.provider_id }) };
  let refusedAtOnce: BookingRefusal | undefined;
  if (!SPENDABLE.includes(certificate.status)) refusedAtOnce = { code: 'certificate_not_active', error: refusalError('certificate_not_active', { certificate_id: certificateId }) };
  else if (restriction) refusedAtOnce = { code: restriction, error: refusalError(restriction, { provider_id: input.provider_id }) };
  else if (!admittedFor(provider, line.service_code, recipient)) refusedAtOnce = notAdmitted;

  const outcome = await withTransaction(em, async (tx): Promise<{ refused: AppError } | { first: BookingRow } | { booked: true }> => {
    const locked = await lockCertificateLine(tx, certificateId, line.id);
    // Bookings of one line wait for each other here: the same request sent twice at once finds the first.
    const first = await findBookingRow(tx, id);
    if (first) return { first };
    const refusedFirst = await keptRefusal<BookingRequest>(tx, 'booking', id);
    if (refusedFirst) return { refused: bookingIdConflict(id, refusedFirst.request, input) ?? refusedFirst.error };
    const refuse = async (refusal: BookingRefusal) => {
      if (refusal.code) await recordRefusal(tx, { recipientId: recipient.id, regionCode: certificate.region_code, subjectKind: 'booking', subjectId: id, code: refusal.code });
      return { refused: await keepRefusal(tx, 'booking', id, requestOf(input), refusal.error) };
    };
    if (refusedAtOnce || !provider || !offered) return refuse(refusedAtOnce ?? notAdmitted);
    const units = input.units ?? locked.volume - locked.units_booked;
    if (units <= 0 || locked.units_booked + units > locked.volume) {
      return refuse({
        error: conflict('line_fully_booked', `По строке «${locked.service_name}» свободно ${locked.volume - locked.units_booked} ед.; записаться на ${units} нельзя.`, {
          units_free: locked.volume - locked.units_booked,
        }),
      });
    }
    const unitsPerMonth = Math.min(locked.volume_per_month, units);
    await upsertCapacity(tx, provider.id, line.service_code, offered.capacity_per_month);
    const capacity = (await lockCapacity(tx, provider.id, line.service_code))!;
    if (capacity.reserved_per_month + unitsPerMonth > capacity.capacity_per_month) {
      const free = Math.max(0, capacity.capacity_per_month - capacity.reserved_per_month);
      return refuse({ code: 'no_free_capacity', error: refusalError('no_free_capacity', { provider_id: provider.id, free_capacity_per_month: free }) });
    }
    await changeReservation(tx, provider.id, line.service_code, unitsPerMonth);
    await addUnitsBooked(tx, line.id, units);
    await insertBooking(tx, {
      id,
      certificate_id: certificateId,
      line_id: line.id,
      recipient_id: recipient.id,
      region_code: certificate.region_code,
      provider_id: provider.id,
      provider_name: provider.name!,
      funding_mode: provider.funding_mode,
      service_code: line.service_code,
      units,
      units_per_month: unitsPerMonth,
      requested_by: principal.subject,
    });
    await writeBookingEvents(tx, 'booking.created', [{ id, previousStatus: null }], actorOf(principal));
    return { booked: true };
  });
  if ('first' in outcome) return sameBookingOrConflict(outcome.first, input);
  if ('refused' in outcome) throw outcome.refused;
  return findBooking(em, id);
}

/** What this id answered before: its booking, its refusal thrown again, or 409 when the request differs; undefined for a new id. */
async function earlierAnswer(em: EntityManager, id: string, input: CreateBookingInput): Promise<BookingRow | undefined> {
  const existing = await findBookingRow(em, id);
  if (existing) return sameBookingOrConflict(existing, input);
  const refused = await keptRefusal<BookingRequest>(em, 'booking', id);
  if (!refused) return undefined;
  const conflicting = bookingIdConflict(id, refused.request, input);
  throw conflicting ?? refused.error;
}

/** The booking this id already names, when the request repeats it; 409 naming the fields when it does not. */
function sameBookingOrConflict(existing: BookingRow, input: CreateBookingInput): BookingRow {
  const conflicting = bookingIdConflict(existing.id, existing, input);
  if (conflicting) throw conflicting;
  return existing;
}

function bookingIdConflict(id: string, first: Pick<BookingRequest, 'certificate_id' | 'line_id' | 'provider_id' | 'units'>, input: CreateBookingInput): AppError | null {
  const fields = [
    first.certificate_id !== input.certificate_id ? 'certificate_id' : null,
    first.line_id !== input.line_id ? 'line_id' : null,
    first.provider_id !== input.provider_id ? 'provider_id' : null,
    input.units !== undefined && input.units !== first.units ? 'units' : null,
  ].filter((f): f is string => f !== null);
  if (!fields.length) return null;
  return conflict(
    'booking_id_conflict',
    `Запись с идентификатором ${id} уже создана по другому запросу (отличаются: ${fields.join(', ')}). Повторите исходный запрос без изменений или создайте новую запись с новым идентификатором.`,
    { booking_id: id, fields },
  );
}

export async function acceptBooking(deps: Deps, principal: Principal, input: { id: string }): Promise<BookingRow> {
  const em = deps.orm.em.fork();
  const booking = await findBooking(em, input.id);
  assertProviderOf(principal, booking);
  // The provider's payable must exist before the first hold is placed on it.
  await deps.ledger.createAccount({
    id: ledgerAccountIds.providerPayable(booking.provider_id),
    ledger: 'RUB',
    code: 'provider_payable',
    owner: { type: 'provider', id: booking.provider_id },
    region_code: booking.region_code,
  });
  return withTransaction(em, async (tx) => {
    const { provider_standing: standing, ...current } = (await lockBookingForAccepting(tx, input.id)) ?? bookingNotFound(input.id);
    if (current.status === 'accepted') return current;
    if (current.status !== 'requested') throw conflict('booking_not_pending', `Запись уже в статусе «${current.status}»; принять её нельзя.`);
    const restriction = restrictionOf(standing);
    if (restriction) throw refusalError(restriction, { provider_id: current.provider_id });
    const certificate = await lockCertificate(tx, current.certificate_id);
    if (!SPENDABLE.includes(certificate.status)) throw refusalError('certificate_not_active');
    await markBookingAccepted(tx, input.id, principal.subject);
    await activateCertificate(tx, current.certificate_id);
    await writeBookingEvents(tx, 'booking.accepted', [{ id: input.id, previousStatus: current.status }], actorOf(principal));
    return findBooking(tx, input.id);
  });
}

export async function declineBooking(deps: Deps, principal: Principal, input: { id: string; code: DeclineCode; reason: string }): Promise<BookingRow> {
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const booking = await findBooking(tx, input.id);
    assertProviderOf(principal, booking);
    await lockForRelease(tx, booking);
    const current = await lockBooking(tx, input.id);
    if (current.status === 'declined') return current;
    if (current.status !== 'requested' && !(current.status === 'accepted' && current.units_consumed === 0 && current.units_confirmed === 0)) {
      throw conflict('booking_not_declinable', 'По записи уже оказаны услуги; отказаться от неё нельзя — расторгните договор через орган социальной защиты.');
    }
    await release(tx, current);
    await markBookingDeclined(tx, input.id, principal.subject, input.code, input.reason);
    await recordRefusal(tx, {
      recipientId: current.recipient_id,
      regionCode: current.region_code,
      subjectKind: 'booking',
      subjectId: input.id,
      code: 'declined_by_provider',
      reason: `Причина: ${input.reason}`,
    });
    await writeBookingEvents(tx, 'booking.declined', [{ id: input.id, previousStatus: current.status }], actorOf(principal));
    return findBooking(tx, input.id);
  });
}

export async function cancelBooking(deps: Deps, principal: Principal, input: { id: string }): Promise<BookingRow> {
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const booking = await findBooking(tx, input.id);
    await assertActsForHolder(tx, principal, booking.recipient_id, booking.region_code);
    await lockForRelease(tx, booking);
    const current = await lockBooking(tx, input.id);
    if (current.status === 'cancelled') return current;
    const refusal = whyNotCancellable(current, await standingOf(tx, current.provider_id));
    if (refusal) throw conflict('booking_not_cancellable', refusal);
    await release(tx, current);
    await markBookingCancelled(tx, input.id);
    await writeBookingEvents(tx, 'booking.cancelled', [{ id: input.id, previousStatus: current.status }], actorOf(principal));
    return findBooking(tx, input.id);
  });
}

/**
 * Why the citizen cannot cancel the booking now, in their words; null when they can. A booking with
 * acts is cancelled only while its provider is suspended or excluded: what it has not used goes back
 * to the certificate, for another provider, and its acts are confirmed or disputed as before.
 */
export function whyNotCancellable(b: Pick<BookingRow, 'status' | 'units_consumed'>, providerStanding: string | null | undefined): string | null {
  if (b.status === 'cancelled') return 'Запись уже отменена.';
  if (b.status === 'declined') return 'Поставщик отказался от этой записи; отменять нечего — выберите другого поставщика.';
  if (b.units_consumed > 0 && !restrictionOf(providerStanding)) {
    return 'По записи уже есть акты об оказании услуг, поэтому отменить её нельзя. Чтобы расторгнуть договор, обратитесь в орган социальной защиты.';
  }
  return null;
}

/** Same lock order as booking: line, then capacity. */
async function lockForRelease(tx: EntityManager, booking: BookingRow) {
  await lockLine(tx, booking.line_id);
  await lockCapacity(tx, booking.provider_id, booking.service_code);
}

/**
 * Frees what the booking reserved and has not used: the provider's monthly capacity and the line's
 * volume not taken by its acts. Units of its held acts stay booked until they are confirmed, or are
 * disputed and given back (see writeSettlements).
 */
async function release(tx: EntityManager, booking: BookingRow) {
  await changeReservation(tx, booking.provider_id, booking.service_code, -booking.units_per_month);
  await addUnitsBooked(tx, booking.line_id, -(booking.units - booking.units_consumed));
}

const actorOf = (principal: Principal) => ({ actor: principal.subject, actorName: principal.name ?? null });

function assertProviderOf(principal: Principal, booking: BookingRow) {
  if (!isProviderOf(principal, booking.provider_id)) {
    throw forbidden('Эта запись сделана к другому поставщику.', 'not_your_booking');
  }
}

export async function readBooking(deps: Deps, principal: Principal, input: { id: string }): Promise<BookingRow> {
  const em = deps.orm.em.fork();
  const booking = await findBooking(em, input.id);
  if (!isProviderOf(principal, booking.provider_id) && !readsEverything(principal)) {
    await assertActsForHolder(em, principal, booking.recipient_id, booking.region_code);
  }
  return booking;
}

/** A provider's bookings, newest first, optionally by status. */
export async function listProviderBookings(deps: Deps, principal: Principal, input: { id: string; status?: BookingStatus }): Promise<BookingRow[]> {
  if (!isProviderOf(principal, input.id) && !readsEverything(principal)) throw forbidden('Записи доступны только самому поставщику.', 'not_your_provider');
  return bookingsOfProvider(deps.orm.em.fork(), input.id, input.status);
}
