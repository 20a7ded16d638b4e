import { AppError, conflict, forbidden, notFound, type Principal } from '@esc/service-kit';

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
export type ProviderType = (typeof PROVIDER_TYPES)[number];
export type FundingMode = (typeof FUNDING_MODES)[number];
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];
export type DeclarationCode = (typeof DECLARATION_CODES)[number];
export type AccessibilityFeature = (typeof ACCESSIBILITY_FEATURES)[number];

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

export interface Contacts {
  phone: string;
  email: string;
  website?: string | null;
  contact_person?: string | null;
}

export interface BankDetails {
  bic: string;
  account: string;
  bank_name: string;
  correspondent_account?: string | null;
}

export type Declarations = Partial<Record<DeclarationCode, { declared: boolean; document?: SupportingDocument | null; declared_at?: string | null }>>;

/**
 * The registry, not the client, dates a statement: a statement made anew (or with another document)
 * is dated `now`; one sent back unchanged keeps its date; a withdrawn one has none.
 */
export function dateDeclarations(previous: Declarations, next: Declarations, now: string): Declarations {
  const key = (d: SupportingDocument | null | undefined) => (d ? [d.kind, d.number, d.issued_at, d.valid_until ?? null, d.document_id ?? null].join('|') : '');
  const same = (a: SupportingDocument | null | undefined, b: SupportingDocument | null | undefined) => key(a) === key(b);
  return Object.fromEntries(
    Object.entries(next).map(([code, d]) => {
      if (!d) return [code, d];
      const { declared_at: _ignored, ...statement } = d;
      const before = previous[code as DeclarationCode];
      const kept = before?.declared && statement.declared && same(before.document, statement.document) ? (before.declared_at ?? null) : null;
      return [code, { ...statement, declared_at: statement.declared ? (kept ?? now) : null }];
    }),
  );
}

export interface ProviderProfile {
  name: string;
  short_name?: string | null;
  legal_form: string;
  contacts: Contacts;
  bank: BankDetails;
  licences: Licence[];
  declarations: Declarations;
  accessibility: AccessibilityFeature[];
  locations: Location[];
  services: OfferedService[];
}

export interface ProviderRegistration extends ProviderProfile {
  inn: string;
  ogrn: string;
  kpp?: string | null;
  type: ProviderType;
  funding_mode: FundingMode;
  registered_at: string;
  region_code: string;
}

export interface Provider extends ProviderRegistration {
  id: string;
  short_name: string | null;
  kpp: string | null;
  status: ProviderStatus;
  rating: string | null;
  rating_count: number;
  created_at: Date;
  updated_at: Date;
}

export interface StatusChange {
  from_status: ProviderStatus | null;
  to_status: ProviderStatus;
  reason: string;
  actor: string;
  /** ISO 8601 */
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

export function assertTransitionAllowed(from: ProviderStatus, to: ProviderStatus): void {
  if (!TRANSITIONS[from].includes(to)) {
    throw conflict('status_transition_not_allowed', `Статус поставщика «${from}» нельзя сменить на «${to}».`, { from, to, allowed: TRANSITIONS[from] });
  }
}

const STATUS_TOPICS: Partial<Record<ProviderStatus, string>> = {
  admitted: 'provider.admitted',
  suspended: 'provider.suspended',
  excluded: 'provider.excluded',
};

/** The event a change to `status` publishes, if any. */
export function statusTopic(status: ProviderStatus): string | undefined {
  return STATUS_TOPICS[status];
}

/** Suspension and exclusion take back every admission; a provider readmitted needs a new round for its services. */
export function withdrawsAdmission(status: ProviderStatus): boolean {
  return status === 'suspended' || status === 'excluded';
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

/**
 * Who registers and under which id. A provider's own admin registers its organisation, bound to the
 * token's provider_id claim. A state institution is entered by the committee (or an administrator) of
 * its region on behalf of its founder, under the id its staff accounts will carry (or `newId`).
 * NGOs, social enterprises and entrepreneurs always register themselves.
 */
export function registrant(
  input: Pick<ProviderRegistration, 'type' | 'region_code'> & { id?: string },
  principal: Principal,
  newId: string,
): { id: string; reason: string } {
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
  return { id: input.id ?? newId, reason: 'Государственное учреждение внесено в реестр по решению учредителя' };
}

/**
 * The committee decides for its own region only (the provider's, the round's); an administrator for any.
 * The role itself is checked by the route.
 */
export function assertDecidesForRegion(principal: Principal, regionCode: string): void {
  if (principal.roles.includes('admin') || principal.regionCode === regionCode) return;
  throw new AppError('forbidden', 'other_region', `Комиссия региона ${principal.regionCode ?? '—'} не принимает решений по региону ${regionCode}.`, {
    region_code: regionCode,
  });
}

export const providerNotFound = (id: string) => notFound('provider_not_found', `Поставщик ${id} не найден в реестре.`, { provider_id: id });

export const providerAlreadyRegistered = (details?: Record<string, unknown>) =>
  conflict('provider_already_registered', 'Ваша организация уже зарегистрирована в реестре; измените её сведения вместо повторной регистрации.', details);

/** The registered provider's id goes with it (provider pages are public): the gateway turns a representative's attempt into a request to join it. */
export const innAlreadyRegistered = (inn: string, providerId?: string) =>
  conflict('inn_already_registered', `Организация с ИНН ${inn} уже зарегистрирована в реестре. Если это ваша организация, обратитесь к её администратору.`, {
    field: 'inn',
    ...(providerId ? { provider_id: providerId } : {}),
  });

/** A registration racing another with the same INN or provider id loses on a unique constraint; this says which, or undefined for anything else. */
export function registrationConflict(err: unknown, inn: string): AppError | undefined {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  if ((e.code ?? e.cause?.code) !== '23505') return undefined;
  const constraint = e.constraint ?? e.cause?.constraint;
  if (constraint === 'providers_inn_unique') return innAlreadyRegistered(inn);
  if (constraint === 'providers_pkey') return providerAlreadyRegistered();
  return undefined;
}
