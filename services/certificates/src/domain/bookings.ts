import { iso, isoOrNull } from './time';
import { randomUUID } from 'node:crypto';
import { ledgerAccountIds } from '@esc/ledger-client';
import { conflict, forbidden, notFound, withTransaction, writeOutboxEvent, type EntityManager, type Principal } from '@esc/service-kit';
import type { RegistryProvider, RegistryProviderSummary } from '../clients/registry-client';
import { isCaseworkerOf, isCitizen, isProviderOf, readsEverything } from './access';
import { findCertificate, SPENDABLE, type CertificateLineRow } from './certificates';
import type { Deps } from './context';
import { findRecipient, type RecipientRow } from './recipients';
import { recordRefusal, refusalError, type RefusalCode } from './refusals';

export const DECLINE_CODES = ['no_staff_in_area', 'capacity_exhausted', 'service_not_suitable', 'recipient_unreachable', 'other'] as const;
export type DeclineCode = (typeof DECLINE_CODES)[number];

export interface BookingRow {
  id: string;
  certificate_id: string;
  line_id: string;
  recipient_id: string;
  region_code: string;
  provider_id: string;
  provider_name: string;
  funding_mode: 'state_assignment' | 'compensation';
  service_code: string;
  units: number;
  units_per_month: number;
  units_consumed: number;
  units_confirmed: number;
  status: 'requested' | 'accepted' | 'declined' | 'cancelled';
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decline_code: string | null;
  decline_reason: string | null;
}

export async function findBooking(em: EntityManager, id: string, forUpdate = false): Promise<BookingRow> {
  const rows: BookingRow[] = await em.execute(`select * from certificates.bookings where id = ?${forUpdate ? ' for update' : ''}`, [id]);
  if (!rows[0]) throw notFound('booking_not_found', `Запись к поставщику ${id} не найдена.`);
  return rows[0];
}

/** The citizen holding the certificate, or a case worker of its region acting for them. */
async function assertActsForHolder(em: EntityManager, principal: Principal, recipientId: string, regionCode: string) {
  const recipient = await findRecipient(em, recipientId);
  if (isCitizen(principal, recipient.snils) || isCaseworkerOf(principal, regionCode)) return recipient;
  throw forbidden('Выбирать поставщика по сертификату может только его владелец или специалист органа социальной защиты его региона.', 'not_your_certificate');
}

async function refuse(deps: Deps, refusal: { recipientId: string; regionCode: string; subjectId: string; code: RefusalCode; reason?: string }, extra: Record<string, unknown> = {}) {
  await recordRefusal(deps.orm.em.fork(), { ...refusal, subjectKind: 'booking' });
  return refusalError(refusal.code, extra, refusal.reason);
}

/**
 * Admitted providers of the line's service with the capacity still free here (the registry knows
 * capacity, this service knows what its bookings reserved): those with a location in the recipient's
 * district first, then the others booking would admit for this recipient.
 */
export async function providersForLine(deps: Deps, principal: Principal, certificateId: string, lineId: string) {
  const em = deps.orm.em.fork();
  const certificate = await findCertificate(em, certificateId);
  const recipient = await assertActsForHolder(em, principal, certificate.recipient_id, certificate.region_code);
  const line = await findLine(em, certificateId, lineId);
  const unitsPerMonth = line.volume_per_month;
  const [near, anywhere] = await Promise.all([
    deps.registry.searchProviders({ service: line.service_code, district: recipient.district_code, perPage: 100 }),
    deps.registry.searchProviders({ service: line.service_code, perPage: 100 }),
  ]);
  const nearIds = new Set(near.map((p) => p.id));
  const elsewhere = await admittedElsewhere(deps, anywhere.filter((p) => !nearIds.has(p.id)), line.service_code, recipient);
  const found = [...near, ...elsewhere];
  const reserved: Array<{ provider_id: string; reserved_per_month: number }> = found.length
    ? await em.execute(`select provider_id, reserved_per_month from certificates.provider_capacity where service_code = ? and provider_id = any(?::uuid[])`, [
        line.service_code,
        `{${found.map((p) => p.id).join(',')}}`,
      ])
    : [];
  return found
    .map((p) => {
      const offered = p.services.find((s) => s.service_code === line.service_code);
      const capacity = offered?.capacity_per_month ?? 0;
      const free = capacity - (reserved.find((r) => r.provider_id === p.id)?.reserved_per_month ?? 0);
      return {
        provider_id: p.id,
        name: p.name,
        funding_mode: p.funding_mode,
        rating: p.rating,
        rating_count: p.rating_count,
        accessibility: p.accessibility,
        locations: p.locations,
        capacity_per_month: capacity,
        free_capacity_per_month: Math.max(0, free),
        fits: free >= unitsPerMonth,
        in_recipient_district: nearIds.has(p.id),
      };
    })
    .filter((p) => p.fits);
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

async function findLine(em: EntityManager, certificateId: string, lineId: string, forUpdate = false): Promise<CertificateLineRow> {
  const rows: CertificateLineRow[] = await em.execute(`select * from certificates.certificate_lines where id = ? and certificate_id = ?${forUpdate ? ' for update' : ''}`, [
    lineId,
    certificateId,
  ]);
  if (!rows[0]) throw notFound('line_not_found', `В сертификате нет строки ${lineId}.`);
  return rows[0];
}

/**
 * Books a provider for a certificate line. The line row and then the provider's capacity row are
 * locked in that order, so concurrent bookings neither overbook the provider nor the line.
 */
export async function createBooking(deps: Deps, principal: Principal, certificateId: string, input: { id?: string; line_id: string; provider_id: string; units?: number }) {
  const em = deps.orm.em.fork();
  const id = input.id ?? randomUUID();
  const certificate = await findCertificate(em, certificateId);
  const recipient = await assertActsForHolder(em, principal, certificate.recipient_id, certificate.region_code);
  const existing: BookingRow[] = await em.execute(`select * from certificates.bookings where id = ?`, [id]);
  if (existing[0]) return bookingView(existing[0]);
  if (!SPENDABLE.includes(certificate.status)) {
    throw await refuse(deps, { recipientId: recipient.id, regionCode: certificate.region_code, subjectId: id, code: 'certificate_not_active' }, { certificate_id: certificateId });
  }
  const line = await findLine(em, certificateId, input.line_id);
  const provider = await deps.registry.provider(input.provider_id);
  const offered = provider?.services.find((s) => s.service_code === line.service_code);
  if (!admittedFor(provider, line.service_code, recipient) || !offered) {
    throw await refuse(deps, { recipientId: recipient.id, regionCode: certificate.region_code, subjectId: id, code: 'provider_not_admitted' }, { provider_id: input.provider_id });
  }

  const outcome = await withTransaction(em, async (tx) => {
    const locked = await findLine(tx, certificateId, line.id, true);
    const units = input.units ?? locked.volume - locked.units_booked;
    if (units <= 0 || locked.units_booked + units > locked.volume) {
      throw conflict('line_fully_booked', `По строке «${locked.service_name}» свободно ${locked.volume - locked.units_booked} ед.; записаться на ${units} нельзя.`, {
        units_free: locked.volume - locked.units_booked,
      });
    }
    const unitsPerMonth = Math.min(locked.volume_per_month, units);
    await tx.execute(
      `insert into certificates.provider_capacity (provider_id, service_code, capacity_per_month) values (?, ?, ?)
       on conflict (provider_id, service_code) do update set capacity_per_month = excluded.capacity_per_month, updated_at = clock_timestamp()`,
      [provider.id, line.service_code, offered.capacity_per_month],
    );
    const [capacity]: Array<{ capacity_per_month: number; reserved_per_month: number }> = await tx.execute(
      `select capacity_per_month, reserved_per_month from certificates.provider_capacity where provider_id = ? and service_code = ? for update`,
      [provider.id, line.service_code],
    );
    if (capacity!.reserved_per_month + unitsPerMonth > capacity!.capacity_per_month) {
      return { refused: true as const, free: capacity!.capacity_per_month - capacity!.reserved_per_month };
    }
    await changeReservation(tx, provider.id, line.service_code, unitsPerMonth);
    await tx.execute(`update certificates.certificate_lines set units_booked = units_booked + ? where id = ?`, [units, line.id]);
    await tx.execute(
      `insert into certificates.bookings (id, certificate_id, line_id, recipient_id, region_code, provider_id, provider_name, funding_mode, service_code, units, units_per_month, status, requested_by)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'requested', ?)`,
      [id, certificateId, line.id, recipient.id, certificate.region_code, provider.id, provider.name, provider.funding_mode, line.service_code, units, unitsPerMonth, principal.subject],
    );
    return { refused: false as const };
  });
  if (outcome.refused) {
    throw await refuse(
      deps,
      { recipientId: recipient.id, regionCode: certificate.region_code, subjectId: id, code: 'no_free_capacity' },
      { provider_id: provider.id, free_capacity_per_month: Math.max(0, outcome.free) },
    );
  }
  return bookingView(await findBooking(em, id));
}

export async function acceptBooking(deps: Deps, principal: Principal, id: string) {
  const em = deps.orm.em.fork();
  const booking = await findBooking(em, id);
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
    const current = await findBooking(tx, id, true);
    if (current.status === 'accepted') return bookingView(current);
    if (current.status !== 'requested') throw conflict('booking_not_pending', `Запись уже в статусе «${current.status}»; принять её нельзя.`);
    const certificate = await findCertificate(tx, current.certificate_id, true);
    if (!SPENDABLE.includes(certificate.status)) throw refusalError('certificate_not_active');
    await tx.execute(`update certificates.bookings set status = 'accepted', decided_by = ?, decided_at = clock_timestamp() where id = ?`, [principal.subject, id]);
    await tx.execute(`update certificates.certificates set status = 'active', updated_at = clock_timestamp() where id = ? and status = 'issued'`, [current.certificate_id]);
    return bookingView(await findBooking(tx, id));
  });
}

export async function declineBooking(deps: Deps, principal: Principal, id: string, input: { code: DeclineCode; reason: string }) {
  const em = deps.orm.em.fork();
  return withTransaction(em, async (tx) => {
    const booking = await findBooking(tx, id);
    assertProviderOf(principal, booking);
    await lockForRelease(tx, booking);
    const current = await findBooking(tx, id, true);
    if (current.status === 'declined') return bookingView(current);
    if (current.status !== 'requested' && !(current.status === 'accepted' && current.units_consumed === 0 && current.units_confirmed === 0)) {
      throw conflict('booking_not_declinable', 'По записи уже оказаны услуги; отказаться от неё нельзя — расторгните договор через орган социальной защиты.');
    }
    await release(tx, current);
    await tx.execute(
      `update certificates.bookings set status = 'declined', decided_by = ?, decided_at = clock_timestamp(), decline_code = ?, decline_reason = ? where id = ?`,
      [principal.subject, input.code, input.reason, id],
    );
    await recordRefusal(tx, { recipientId: current.recipient_id, regionCode: current.region_code, subjectKind: 'booking', subjectId: id, code: 'declined_by_provider', reason: `Причина: ${input.reason}` });
    return bookingView(await findBooking(tx, id));
  });
}

export async function cancelBooking(deps: Deps, principal: Principal, id: string) {
  const em = deps.orm.em.fork();
  return withTransaction(em, async (tx) => {
    const booking = await findBooking(tx, id);
    await assertActsForHolder(tx, principal, booking.recipient_id, booking.region_code);
    await lockForRelease(tx, booking);
    const current = await findBooking(tx, id, true);
    if (current.status === 'cancelled') return bookingView(current);
    const refusal = whyNotCancellable(current);
    if (refusal) throw conflict('booking_not_cancellable', refusal);
    await release(tx, current);
    await tx.execute(`update certificates.bookings set status = 'cancelled', decided_at = clock_timestamp() where id = ?`, [id]);
    return bookingView(await findBooking(tx, id));
  });
}

/** Why the citizen cannot cancel the booking now, in their words; null when they can. */
export function whyNotCancellable(b: Pick<BookingRow, 'status' | 'units_consumed'>): string | null {
  if (b.status === 'cancelled') return 'Запись уже отменена.';
  if (b.status === 'declined') return 'Поставщик отказался от этой записи; отменять нечего — выберите другого поставщика.';
  if (b.units_consumed > 0) {
    return 'По записи уже есть акты об оказании услуг, поэтому отменить её нельзя. Чтобы расторгнуть договор, обратитесь в орган социальной защиты.';
  }
  return null;
}

/** Same lock order as booking: line, then capacity. */
async function lockForRelease(tx: EntityManager, booking: BookingRow) {
  await tx.execute(`select id from certificates.certificate_lines where id = ? for update`, [booking.line_id]);
  await tx.execute(`select provider_id from certificates.provider_capacity where provider_id = ? and service_code = ? for update`, [booking.provider_id, booking.service_code]);
}

/**
 * Moves the provider's reserved monthly capacity for a service (under the row lock the caller holds)
 * and tells the registry, whose public search shows free capacity: provider.capacity_reserved carries
 * the absolute figure and the time of the change, so a late or repeated event cannot undo a newer one.
 */
async function changeReservation(tx: EntityManager, providerId: string, serviceCode: string, unitsPerMonth: number) {
  const [row]: Array<{ reserved_per_month: number; capacity_per_month: number; updated_at: Date }> = await tx.execute(
    `update certificates.provider_capacity set reserved_per_month = greatest(0, reserved_per_month + ?), updated_at = clock_timestamp()
      where provider_id = ? and service_code = ? returning reserved_per_month, capacity_per_month, updated_at`,
    [unitsPerMonth, providerId, serviceCode],
  );
  if (!row) return;
  await writeOutboxEvent(tx, 'certificates', 'provider.capacity_reserved', {
    provider_id: providerId,
    service_code: serviceCode,
    reserved_per_month: row.reserved_per_month,
    capacity_per_month: row.capacity_per_month,
    as_of: iso(row.updated_at),
  });
}

/** Frees what the booking reserved and has not used: the provider's monthly capacity and the line's unconfirmed volume. */
async function release(tx: EntityManager, booking: BookingRow) {
  await changeReservation(tx, booking.provider_id, booking.service_code, -booking.units_per_month);
  await tx.execute(`update certificates.certificate_lines set units_booked = units_booked - ? where id = ?`, [booking.units - booking.units_confirmed, booking.line_id]);
}

function assertProviderOf(principal: Principal, booking: BookingRow) {
  if (!isProviderOf(principal, booking.provider_id)) {
    throw forbidden('Эта запись сделана к другому поставщику.', 'not_your_booking');
  }
}

export async function readBooking(deps: Deps, principal: Principal, id: string) {
  const em = deps.orm.em.fork();
  const booking = await findBooking(em, id);
  if (!isProviderOf(principal, booking.provider_id) && !readsEverything(principal)) {
    await assertActsForHolder(em, principal, booking.recipient_id, booking.region_code);
  }
  return bookingView(booking);
}

/** A provider's bookings, newest first, optionally by status. */
export async function listProviderBookings(em: EntityManager, principal: Principal, providerId: string, status?: string) {
  if (!isProviderOf(principal, providerId) && !readsEverything(principal)) throw forbidden('Записи доступны только самому поставщику.', 'not_your_provider');
  const rows: BookingRow[] = await em.execute(
    `select * from certificates.bookings where provider_id = ?${status ? ' and status = ?' : ''} order by requested_at desc limit 500`,
    status ? [providerId, status] : [providerId],
  );
  return rows.map(bookingView);
}

export function bookingView(b: BookingRow) {
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
    requested_at: iso(b.requested_at),
    decided_at: isoOrNull(b.decided_at),
    decline: b.decline_code ? { code: b.decline_code, reason: b.decline_reason } : null,
  };
}
