import { randomUUID } from 'node:crypto';
import { AppError, conflict, withTransaction, writeOutboxEvent, type EntityManager, type Principal } from '@esc/service-kit';
import type { ProviderRow } from '../data-access/entities';
import * as catalogStore from '../data-access/catalog-store';
import * as store from '../data-access/provider-store';
import { REGISTRY_SCHEMA } from '../data-access/schema';
import { refreshSearchEntries } from '../data-access/search-index';
import type { Deps } from './deps';
import { audit } from '../data-access/audit-store';
import {
  assertDecidesForRegion,
  assertCanRead,
  assertOwnAdmin,
  assertTransitionAllowed,
  innAlreadyRegistered,
  providerAlreadyRegistered,
  providerNotFound,
  registrant,
  registrationConflict,
  statusTopic,
  withdrawsAdmission,
  dateDeclarations,
  type OfferedService,
  type Provider,
  type ProviderProfile,
  type ProviderRegistration,
  type ProviderStatus,
  type StatusChange,
} from './provider-model';

function providerOf(row: ProviderRow, locations: Provider['locations'], services: OfferedService[]): Provider {
  return {
    id: row.id,
    inn: row.inn,
    ogrn: row.ogrn,
    kpp: row.kpp,
    name: row.name,
    short_name: row.short_name,
    legal_form: row.legal_form,
    type: row.type,
    funding_mode: row.funding_mode,
    registered_at: row.registered_at,
    region_code: row.region_code,
    bank: row.bank,
    contacts: row.contacts,
    licences: row.licences,
    declarations: row.declarations,
    accessibility: row.accessibility,
    status: row.status,
    rating: row.rating,
    rating_count: row.rating_count,
    created_at: row.created_at,
    updated_at: row.updated_at,
    locations,
    services,
  };
}

/** The provider with its places and offered services as the transaction sees them now (pending changes flushed first). */
async function assemble(tx: EntityManager, row: ProviderRow): Promise<Provider> {
  await tx.flush();
  const locations = (await store.locationRowsOf(tx, row.id)).map((l) => ({ address: l.address, district_code: l.district_code, lat: l.lat, lon: l.lon }));
  return providerOf(row, locations, await store.offeredServicesOf(tx, row.id));
}

/** For other use cases' transactions: the provider, or 404 provider_not_found. */
export async function loadProvider(tx: EntityManager, id: string): Promise<Provider> {
  const row = await store.findProviderRow(tx, id);
  if (!row) throw providerNotFound(id);
  return assemble(tx, row);
}

async function assertServicesExist(tx: EntityManager, codes: string[]): Promise<void> {
  if (!codes.length) return;
  const known = await catalogStore.knownServiceCodes(tx, codes);
  const unknown = codes.filter((c) => !known.includes(c));
  if (unknown.length) {
    throw new AppError('unprocessable', 'unknown_service', `В перечне нет услуг с кодами: ${unknown.join(', ')}. Выберите услуги из перечня.`, {
      unknown,
    });
  }
}

async function writeOfferedServices(tx: EntityManager, id: string, services: OfferedService[]): Promise<void> {
  await assertServicesExist(
    tx,
    services.map((s) => s.service_code),
  );
  await store.replaceOfferedServices(tx, id, services);
}

export type RegisterProviderInput = ProviderRegistration & { id?: string };

export async function registerProvider(deps: Deps, principal: Principal, input: RegisterProviderInput): Promise<Provider> {
  const { id, reason } = registrant(input, principal, randomUUID());
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    if (await store.findProviderRow(tx, id)) throw providerAlreadyRegistered({ provider_id: id });
    const registered = await store.providerIdWithInn(tx, input.inn);
    if (registered) throw innAlreadyRegistered(input.inn, registered);
    const row = store.addProvider(tx, {
      id,
      inn: input.inn,
      ogrn: input.ogrn,
      kpp: input.kpp ?? null,
      name: input.name,
      short_name: input.short_name ?? null,
      legal_form: input.legal_form,
      type: input.type,
      funding_mode: input.funding_mode,
      registered_at: input.registered_at,
      region_code: input.region_code,
      bank: input.bank,
      contacts: input.contacts,
      licences: input.licences,
      declarations: input.declarations,
      accessibility: input.accessibility,
      status: 'applicant',
      rating: null,
      rating_count: 0,
      created_by: principal.subject,
    });
    // Flushed here, not at commit: a registration racing this one with the same INN or id loses on the
    // unique constraint, and the places and services below refer to the row.
    try {
      await tx.flush();
    } catch (err) {
      throw registrationConflict(err, input.inn) ?? err;
    }
    await store.replaceLocations(tx, id, input.locations);
    await writeOfferedServices(tx, id, input.services);
    await store.insertStatusChange(tx, id, { from_status: null, to_status: 'applicant', reason, actor: principal.subject });
    await audit(tx, principal, { action: 'provider.registered', object_type: 'provider', object_id: id, after: { status: 'applicant', inn: input.inn, name: input.name, type: input.type } });
    return assemble(tx, row);
  });
}

export async function getProvider(deps: Deps, principal: Principal, input: { id: string }): Promise<Provider> {
  assertCanRead(principal, input.id);
  return loadProvider(deps.orm.em.fork(), input.id);
}

export type UpdateProviderInput = Partial<ProviderProfile> & { id: string };

export async function updateProvider(deps: Deps, principal: Principal, input: UpdateProviderInput): Promise<Provider> {
  const { id, ...patch } = input;
  assertOwnAdmin(principal, id);
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const row = await store.findProviderRow(tx, id);
    if (!row) throw providerNotFound(id);
    if (row.status === 'excluded') {
      throw conflict('provider_excluded', 'Поставщик исключён из реестра; его сведения больше не изменяются.');
    }
    for (const field of ['name', 'short_name', 'legal_form', 'contacts', 'bank', 'licences', 'accessibility'] as const) {
      if (patch[field] !== undefined) Object.assign(row, { [field]: patch[field] });
    }
    if (patch.declarations !== undefined) row.declarations = dateDeclarations(row.declarations ?? {}, patch.declarations, new Date().toISOString());
    row.updated_at = new Date();
    if (patch.locations) await store.replaceLocations(tx, id, patch.locations);
    await tx.flush();
    if (patch.services) await writeOfferedServices(tx, id, patch.services);
    await refreshSearchEntries(tx, id);
    return assemble(tx, row);
  });
}

/** For other use cases' transactions: moves the provider to `to`, records why, tells other services and refreshes the search. */
export async function changeStatus(tx: EntityManager, id: string, to: ProviderStatus, reason: string, actor: string): Promise<Provider> {
  const row = await store.lockProviderRow(tx, id);
  if (!row) throw providerNotFound(id);
  const from = row.status;
  assertTransitionAllowed(from, to);
  row.status = to;
  row.updated_at = new Date();
  await tx.flush();
  if (withdrawsAdmission(to)) await store.withdrawAdmissions(tx, id);
  await store.insertStatusChange(tx, id, { from_status: from, to_status: to, reason, actor });
  await audit(tx, { subject: actor }, { action: 'provider.status_changed', object_type: 'provider', object_id: id, before: { status: from }, after: { status: to, reason } });
  const topic = statusTopic(to);
  if (topic) {
    const services = await store.admittedServicesOf(tx, id);
    await writeOutboxEvent(tx, REGISTRY_SCHEMA, topic, { provider_id: id, from_status: from, status: to, reason, actor, services });
  }
  await refreshSearchEntries(tx, id);
  return assemble(tx, row);
}

export async function changeProviderStatus(deps: Deps, principal: Principal, input: { id: string; status: ProviderStatus; reason: string }): Promise<Provider> {
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const row = await store.lockProviderRow(tx, input.id);
    if (!row) throw providerNotFound(input.id);
    assertDecidesForRegion(principal, row.region_code);
    return changeStatus(tx, input.id, input.status, input.reason, principal.subject);
  });
}

export async function providerStatusHistory(deps: Deps, principal: Principal, input: { id: string }): Promise<StatusChange[]> {
  assertCanRead(principal, input.id);
  const em = deps.orm.em.fork();
  if (!(await store.findProviderRow(em, input.id))) throw providerNotFound(input.id);
  return store.statusChangesOf(em, input.id);
}
