import { randomUUID } from 'node:crypto';
import { AppError, conflict, forbidden, notFound, withTransaction, writeOutboxEvent, type EntityManager, type Principal } from '@esc/service-kit';
import { REGISTRY_SCHEMA } from '../data-access/schema';
import { refreshSearchEntries } from '../data-access/search-index';
import { pgTextArray } from '../data-access/sql';

export const PROVIDER_TYPES = ['state_institution', 'nko', 'sonko', 'social_enterprise', 'entrepreneur'] as const;
export const FUNDING_MODES = ['state_assignment', 'compensation'] as const;
export const PROVIDER_STATUSES = ['applicant', 'under_review', 'admitted', 'suspended', 'excluded'] as const;
export const DECLARATION_CODES = ['no_tax_arrears', 'not_bankrupt', 'not_liquidating', 'not_unscrupulous_supplier'] as const;
export const ACCESSIBILITY_FEATURES = [
  'wheelchair_access',
  'ramp',
  'elevator',
  'accessible_toilet',
  'sign_language',
  'braille',
  'hearing_loop',
  'parking_for_disabled',
  'home_visits',
] as const;
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];
export type DeclarationCode = (typeof DECLARATION_CODES)[number];

export interface SupportingDocument {
  kind: string;
  number: string;
  issued_at: string;
  valid_until?: string | null;
  document_id?: string | null;
}

export interface Licence {
  number: string;
  issued_by: string;
  issued_at: string;
  valid_until?: string | null;
  service_codes: string[];
}

export interface Location {
  address: string;
  district_code: string;
  lat: number;
  lon: number;
}

export interface OfferedService {
  service_code: string;
  capacity_per_month: number;
  booked_per_month?: number;
  admitted?: boolean;
  admitted_territory?: string[];
}

export interface ProviderProfile {
  name: string;
  short_name?: string | null;
  legal_form: string;
  contacts: { phone: string; email: string; website?: string | null; contact_person?: string | null };
  bank: { bic: string; account: string; bank_name: string; correspondent_account?: string | null };
  licences: Licence[];
  declarations: Partial<Record<DeclarationCode, { declared: boolean; document?: SupportingDocument | null }>>;
  accessibility: string[];
  locations: Location[];
  services: OfferedService[];
}

export interface ProviderRegistration extends ProviderProfile {
  inn: string;
  ogrn: string;
  kpp?: string | null;
  type: (typeof PROVIDER_TYPES)[number];
  funding_mode: (typeof FUNDING_MODES)[number];
  registered_at: string;
  region_code: string;
}

export interface Provider extends ProviderRegistration {
  id: string;
  status: ProviderStatus;
  rating: string | null;
  rating_count: number;
  created_at: string;
  updated_at: string;
}

export interface StatusChange {
  from_status: ProviderStatus | null;
  to_status: ProviderStatus;
  reason: string;
  actor: string;
  at: string;
}

/** Which status may follow which; every change carries a reason. */
const TRANSITIONS: Record<ProviderStatus, ProviderStatus[]> = {
  applicant: ['under_review', 'excluded'],
  under_review: ['admitted', 'applicant', 'excluded'],
  admitted: ['suspended', 'excluded'],
  suspended: ['admitted', 'excluded'],
  excluded: [],
};

const STATUS_EVENTS: Partial<Record<ProviderStatus, string>> = {
  admitted: 'provider.admitted',
  suspended: 'provider.suspended',
  excluded: 'provider.excluded',
};

const PROVIDER_COLUMNS = `id, inn, ogrn, kpp, name, short_name, legal_form, type, funding_mode, registered_at::text as registered_at,
  region_code, bank, contacts, licences, declarations, accessibility, status, rating::text as rating, rating_count,
  created_at, updated_at`;

export async function findProvider(em: EntityManager, id: string): Promise<Provider | undefined> {
  const rows: Array<Omit<Provider, 'locations' | 'services'>> = await em.execute(`select ${PROVIDER_COLUMNS} from registry.providers where id = ?`, [id]);
  const row = rows[0];
  if (!row) return undefined;
  const locations: Location[] = await em.execute(
    `select address, district_code, lat::float8 as lat, lon::float8 as lon from registry.provider_locations where provider_id = ? order by id`,
    [id],
  );
  const services: OfferedService[] = await em.execute(
    `select service_code, capacity_per_month, booked_per_month, admitted, admitted_territory
       from registry.provider_services where provider_id = ? order by service_code`,
    [id],
  );
  return {
    ...row,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
    locations,
    services,
  };
}

export async function getProvider(em: EntityManager, id: string): Promise<Provider> {
  const provider = await findProvider(em, id);
  if (!provider) throw notFound('provider_not_found', `Поставщик ${id} не найден в реестре.`, { provider_id: id });
  return provider;
}

const STAFF_ROLES = ['committee', 'admin', 'auditor'] as const;

/**
 * The committee, administrators and auditors read every provider; a provider's own people read theirs;
 * services with `registry:read` (certificates for bookings, settlement for bank details) read any.
 */
export function assertCanRead(principal: Principal, providerId: string): void {
  if (STAFF_ROLES.some((r) => principal.roles.includes(r))) return;
  if (principal.kind === 'service' && principal.scopes.includes('registry:read')) return;
  if ((principal.roles.includes('provider_admin') || principal.roles.includes('provider_staff')) && principal.providerId === providerId) return;
  throw forbidden('Сведения о поставщике доступны только самому поставщику, комиссии по отбору и контролю.', 'not_your_provider');
}

/** Only the provider's own administrator changes its data. */
export function assertOwnAdmin(principal: Principal, providerId: string): void {
  if (principal.roles.includes('provider_admin') && principal.providerId === providerId) return;
  throw forbidden('Изменять сведения о поставщике может только администратор этого поставщика.', 'not_your_provider');
}

async function assertServicesExist(em: EntityManager, codes: string[]): Promise<void> {
  if (!codes.length) return;
  const rows: Array<{ code: string }> = await em.execute(`select code from registry.services where code = any(?::text[])`, [pgTextArray(codes)]);
  const unknown = codes.filter((c) => !rows.some((r) => r.code === c));
  if (unknown.length) {
    throw new AppError('unprocessable', 'unknown_service', `В перечне нет услуг с кодами: ${unknown.join(', ')}. Выберите услуги из перечня.`, {
      unknown,
    });
  }
}

async function writeLocations(em: EntityManager, id: string, locations: Location[]): Promise<void> {
  await em.execute(`delete from registry.provider_locations where provider_id = ?`, [id]);
  for (const l of locations) {
    await em.execute(`insert into registry.provider_locations (provider_id, address, district_code, lat, lon) values (?, ?, ?, ?, ?)`, [
      id,
      l.address,
      l.district_code,
      l.lat,
      l.lon,
    ]);
  }
}

/** Replaces the offered services; admission already granted for a service that stays is kept. */
async function writeServices(em: EntityManager, id: string, services: OfferedService[]): Promise<void> {
  await assertServicesExist(
    em,
    services.map((s) => s.service_code),
  );
  await em.execute(`delete from registry.provider_services where provider_id = ? and not (service_code = any(?::text[]))`, [
    id,
    pgTextArray(services.map((s) => s.service_code)),
  ]);
  for (const s of services) {
    await em.execute(
      `insert into registry.provider_services (provider_id, service_code, capacity_per_month) values (?, ?, ?)
       on conflict (provider_id, service_code) do update set capacity_per_month = excluded.capacity_per_month`,
      [id, s.service_code, s.capacity_per_month],
    );
  }
}

async function recordStatus(em: EntityManager, id: string, from: ProviderStatus | null, to: ProviderStatus, reason: string, actor: string) {
  await em.execute(`insert into registry.provider_status_history (provider_id, from_status, to_status, reason, actor) values (?, ?, ?, ?, ?)`, [
    id,
    from,
    to,
    reason,
    actor,
  ]);
}

/** A registration racing another with the same INN or provider id loses on the unique constraint; say which. */
async function insertOrExplain(em: EntityManager, sql: string, params: unknown[], inn: string): Promise<void> {
  try {
    await em.execute(sql, params);
  } catch (err) {
    const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
    const constraint = e.constraint ?? e.cause?.constraint;
    if ((e.code ?? e.cause?.code) === '23505' && constraint === 'providers_inn_unique') {
      throw conflict('inn_already_registered', `Организация с ИНН ${inn} уже зарегистрирована в реестре. Если это ваша организация, обратитесь к её администратору.`, {
        field: 'inn',
      });
    }
    if ((e.code ?? e.cause?.code) === '23505' && constraint === 'providers_pkey') {
      throw conflict('provider_already_registered', 'Ваша организация уже зарегистрирована в реестре; измените её сведения вместо повторной регистрации.');
    }
    throw err;
  }
}

/**
 * Who registers and under which id. A provider's own admin registers its organisation, bound to the
 * token's provider_id claim. A state institution is entered by the committee (or an administrator) of
 * its region on behalf of its founder, under the id its staff accounts will carry (or a new one).
 * NGOs, social enterprises and entrepreneurs always register themselves.
 */
function registrant(input: ProviderRegistration & { id?: string }, principal: Principal): { id: string; reason: string } {
  if (principal.roles.includes('provider_admin') && principal.providerId) {
    if (input.id && input.id !== principal.providerId) {
      throw forbidden('Администратор поставщика регистрирует только свою организацию: id должен совпадать с организацией учётной записи.', 'not_your_provider');
    }
    return { id: principal.providerId, reason: 'Организация зарегистрирована в реестре' };
  }
  const staff = principal.roles.includes('committee') || principal.roles.includes('admin');
  if (!staff) {
    throw forbidden('Зарегистрировать организацию может только администратор поставщика, учётная запись которого привязана к организации.', 'no_provider_claim');
  }
  if (input.type !== 'state_institution') {
    throw forbidden(
      'Комиссия вносит в реестр только государственные учреждения; НКО, социальные предприятия и индивидуальные предприниматели регистрируются сами через администратора поставщика.',
      'self_registration_only',
    );
  }
  if (!principal.roles.includes('admin') && principal.regionCode !== input.region_code) {
    throw new AppError('forbidden', 'other_region', `Комиссия региона ${principal.regionCode ?? '—'} не вносит в реестр учреждения региона ${input.region_code}.`, {
      region_code: input.region_code,
    });
  }
  return { id: input.id ?? randomUUID(), reason: 'Государственное учреждение внесено в реестр по решению учредителя' };
}

export async function registerProvider(em: EntityManager, input: ProviderRegistration & { id?: string }, principal: Principal): Promise<Provider> {
  const { id, reason } = registrant(input, principal);
  return withTransaction(em, async (tx) => {
    if (await findProvider(tx, id)) {
      throw conflict('provider_already_registered', 'Ваша организация уже зарегистрирована в реестре; измените её сведения вместо повторной регистрации.', {
        provider_id: id,
      });
    }
    const sameInn: Array<{ id: string }> = await tx.execute(`select id from registry.providers where inn = ?`, [input.inn]);
    if (sameInn.length) {
      throw conflict('inn_already_registered', `Организация с ИНН ${input.inn} уже зарегистрирована в реестре. Если это ваша организация, обратитесь к её администратору.`, {
        field: 'inn',
      });
    }
    await insertOrExplain(
      tx,
      `insert into registry.providers (id, inn, ogrn, kpp, name, short_name, legal_form, type, funding_mode, registered_at, region_code,
         bank, contacts, licences, declarations, accessibility, created_by)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?::text[], ?)`,
      [
        id,
        input.inn,
        input.ogrn,
        input.kpp ?? null,
        input.name,
        input.short_name ?? null,
        input.legal_form,
        input.type,
        input.funding_mode,
        input.registered_at,
        input.region_code,
        JSON.stringify(input.bank),
        JSON.stringify(input.contacts),
        JSON.stringify(input.licences),
        JSON.stringify(input.declarations),
        pgTextArray(input.accessibility),
        principal.subject,
      ],
      input.inn,
    );
    await writeLocations(tx, id, input.locations);
    await writeServices(tx, id, input.services);
    await recordStatus(tx, id, null, 'applicant', reason, principal.subject);
    return getProvider(tx, id);
  });
}

export async function updateProvider(em: EntityManager, id: string, patch: Partial<ProviderProfile>, principal: Principal): Promise<Provider> {
  assertOwnAdmin(principal, id);
  return withTransaction(em, async (tx) => {
    const current = await getProvider(tx, id);
    if (current.status === 'excluded') {
      throw conflict('provider_excluded', 'Поставщик исключён из реестра; его сведения больше не изменяются.');
    }
    const jsonFields = ['contacts', 'bank', 'licences', 'declarations'] as const;
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const field of ['name', 'short_name', 'legal_form'] as const) {
      if (patch[field] !== undefined) {
        sets.push(`${field} = ?`);
        params.push(patch[field]);
      }
    }
    for (const field of jsonFields) {
      if (patch[field] !== undefined) {
        sets.push(`${field} = ?::jsonb`);
        params.push(JSON.stringify(patch[field]));
      }
    }
    if (patch.accessibility !== undefined) {
      sets.push(`accessibility = ?::text[]`);
      params.push(pgTextArray(patch.accessibility));
    }
    sets.push('updated_at = clock_timestamp()');
    await tx.execute(`update registry.providers set ${sets.join(', ')} where id = ?`, [...params, id]);
    if (patch.locations) await writeLocations(tx, id, patch.locations);
    if (patch.services) await writeServices(tx, id, patch.services);
    await refreshSearchEntries(tx, id);
    return getProvider(tx, id);
  });
}

export async function changeStatus(em: EntityManager, id: string, to: ProviderStatus, reason: string, actor: string): Promise<Provider> {
  return withTransaction(em, async (tx) => {
    const locked: Array<{ status: ProviderStatus }> = await tx.execute(`select status from registry.providers where id = ? for update`, [id]);
    const from = locked[0]?.status;
    if (!from) throw notFound('provider_not_found', `Поставщик ${id} не найден в реестре.`, { provider_id: id });
    if (!TRANSITIONS[from].includes(to)) {
      throw conflict('status_transition_not_allowed', `Статус поставщика «${from}» нельзя сменить на «${to}».`, {
        from,
        to,
        allowed: TRANSITIONS[from],
      });
    }
    await tx.execute(`update registry.providers set status = ?, updated_at = clock_timestamp() where id = ?`, [to, id]);
    if (to === 'suspended' || to === 'excluded') {
      await tx.execute(`update registry.provider_services set admitted = false where provider_id = ?`, [id]);
    }
    await recordStatus(tx, id, from, to, reason, actor);
    const topic = STATUS_EVENTS[to];
    if (topic) {
      const services: Array<{ service_code: string; admitted_territory: string[] }> = await tx.execute(
        `select service_code, admitted_territory from registry.provider_services where provider_id = ? and admitted order by service_code`,
        [id],
      );
      await writeOutboxEvent(tx, REGISTRY_SCHEMA, topic, { provider_id: id, from_status: from, status: to, reason, actor, services });
    }
    await refreshSearchEntries(tx, id);
    return getProvider(tx, id);
  });
}

export async function statusHistory(em: EntityManager, id: string): Promise<StatusChange[]> {
  await getProvider(em, id);
  const rows: StatusChange[] = await em.execute(
    `select from_status, to_status, reason, actor, at from registry.provider_status_history where provider_id = ? order by id`,
    [id],
  );
  return rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
}
