import { randomUUID } from 'node:crypto';
import { REHAB_ID, ZABOTA_ID, type Fixtures, type Service, type Stack } from './authorization-stack';

/**
 * Who may call each operation of the ledger, registry, certificates and settlement contracts, about
 * the authorization stack's objects (Иванова's certificate, Zabota's booking, region 73): one row per
 * operation. The authorization matrix asks every other caller and expects a refusal; the malformed-input
 * guard asks an allowed caller with broken input and expects a 4xx problem.
 */

// ---- Who asks ----

export const PEOPLE = [
  'citizen-ivanova',
  'citizen-smirnov',
  'zabota-admin',
  'zabota-staff',
  'rehab-admin',
  'rehab-staff',
  'caseworker-73',
  'caseworker-77',
  'committee-73',
  'finance-73-a',
  'auditor',
  'admin',
] as const;
/** Roles no demo user has in another region: tokens signed with the gateway's key. */
export const FORGED = { 'finance-77': { roles: ['finance'], region_code: '77' }, 'committee-77': { roles: ['committee'], region_code: '77' } } as const;
/** Service clients and their scopes (gateway DEFAULT_SERVICE_CLIENTS). */
export const SERVICES = ['svc:certificates', 'svc:settlement', 'svc:registry', 'svc:bench', 'svc:audit-tool', 'svc:life-events-source'] as const;

export type Caller = (typeof PEOPLE)[number] | keyof typeof FORGED | (typeof SERVICES)[number];
export const CALLERS: Caller[] = [...PEOPLE, ...(Object.keys(FORGED) as Array<keyof typeof FORGED>), ...SERVICES];

// Groups, to write the rows short.
const LEDGER_READERS: Caller[] = ['svc:certificates', 'svc:settlement', 'svc:registry', 'svc:bench', 'svc:audit-tool', 'auditor'];
const LEDGER_WRITERS: Caller[] = ['svc:certificates', 'svc:settlement', 'svc:bench'];
const CONTROL: Caller[] = ['auditor', 'admin'];
const ZABOTA: Caller[] = ['zabota-admin', 'zabota-staff'];
/** "The committee, administrators and auditors read every provider; a provider's own people read theirs; services with registry:read read any." */
const PROVIDER_READERS: Caller[] = [...ZABOTA, 'committee-73', 'committee-77', ...CONTROL, 'svc:certificates', 'svc:settlement'];

// ---- The matrix ----

export interface Row {
  /** "METHOD /path/{template}" exactly as in the contract. */
  op: string;
  service: Service;
  /** Answers anyone, without a token: checked to answer 2xx with none. */
  public?: true;
  /** Callers who may do this to this object: not asked here (their success is the services' own tests). */
  allowed?: Caller[];
  /** Callers whose 2xx is a list scoped to themselves: accepted only when it names none of the fixture's objects. */
  scopedList?: Caller[];
  path(f: Fixtures): string;
  body?(f: Fixtures): unknown;
}

const row = (op: string, service: Service, rest: Omit<Row, 'op' | 'service' | 'path'> & { path?: Row['path'] }): Row => ({
  op,
  service,
  path: () => op.split(' ')[1]!,
  ...rest,
});
export const NOBODY = randomUUID();
const roundIn73 = {
  title: 'Отбор поставщиков (матрица доступа)',
  region_code: '73',
  territory: ['73701000'],
  service_codes: ['HOME-HOUSEHOLD-HOUR'],
  applications_open_at: '2026-01-01T00:00:00Z',
  applications_close_at: '2036-01-01T00:00:00Z',
  appeal_window_days: 10,
  scored_criteria: [{ code: 'experience_years', name: 'Опыт оказания услуг, лет', weight: '1', max_points: 10, source: 'auto' }],
  threshold: '1',
  sonko_preference_points: '0',
};
const staffBody = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };

export const ROWS: Row[] = [
  // ---- every service's audit log: auditors and admins only ----
  ...(['registry', 'certificates', 'settlement'] as const).flatMap((service) => [
    row('GET /v1/audit-log', service, { allowed: CONTROL }),
    row('GET /v1/audit-log/verification', service, { allowed: CONTROL }),
  ]),
  // ---- ledger: service scopes; auditors read ----
  row('POST /v1/accounts', 'ledger', { allowed: LEDGER_WRITERS, body: () => ({ id: randomUUID(), ledger: 'RUB', code: 'certificate', owner: { type: 'certificate', id: 'x' }, region_code: '73' }) }),
  row('GET /v1/accounts', 'ledger', { allowed: LEDGER_READERS, path: () => `/v1/accounts?owner_type=provider&owner_id=${ZABOTA_ID}` }),
  row('POST /v1/accounts/batch', 'ledger', { allowed: LEDGER_WRITERS, body: () => ({ accounts: [] }) }),
  row('GET /v1/accounts/{id}', 'ledger', { allowed: LEDGER_READERS, path: (f) => `/v1/accounts/${f.payableAccountId}` }),
  row('GET /v1/accounts/{id}/entries', 'ledger', { allowed: LEDGER_READERS, path: (f) => `/v1/accounts/${f.payableAccountId}/entries` }),
  row('GET /v1/accounts/{id}/balance', 'ledger', { allowed: LEDGER_READERS, path: (f) => `/v1/accounts/${f.payableAccountId}/balance` }),
  row('POST /v1/transfers', 'ledger', { allowed: LEDGER_WRITERS, body: () => ({ transfers: [] }) }),
  row('GET /v1/holds', 'ledger', { allowed: LEDGER_READERS, path: () => `/v1/holds?placed_before=${new Date().toISOString()}` }),
  row('GET /v1/transfers/{id}', 'ledger', { allowed: LEDGER_READERS, path: (f) => `/v1/transfers/${f.transferId}` }),
  row('POST /v1/transfers/{id}/reverse', 'ledger', { allowed: LEDGER_WRITERS, path: (f) => `/v1/transfers/${f.transferId}/reverse`, body: () => ({ id: randomUUID() }) }),
  row('GET /v1/audit/invariants', 'ledger', { allowed: LEDGER_READERS }),

  // ---- registry ----
  row('GET /v1/catalog/services', 'registry', { public: true }),
  row('POST /v1/catalog/services', 'registry', { allowed: ['committee-73', 'committee-77', 'admin'], body: () => ({}) }),
  row('GET /v1/catalog/services/{code}', 'registry', { public: true, path: () => '/v1/catalog/services/HOME-HOUSEHOLD-HOUR' }),
  row('GET /v1/catalog/services/{code}/cost', 'registry', { public: true, path: () => '/v1/catalog/services/HOME-HOUSEHOLD-HOUR/cost?region=73' }),
  row('POST /v1/catalog/services/{code}/costs', 'registry', { allowed: ['committee-73', 'admin'], path: () => '/v1/catalog/services/HOME-HOUSEHOLD-HOUR/costs', body: () => ({ region_code: '73', valid_from: '2035-01-01', amount: '400.00', reason: 'Матрица доступа' }) }),
  row('GET /v1/catalog/coefficients', 'registry', { public: true }),
  row('POST /v1/catalog/coefficients', 'registry', { allowed: ['committee-73', 'committee-77', 'admin'], body: () => ({}) }),
  row('GET /v1/providers', 'registry', { public: true }),
  row('POST /v1/providers', 'registry', { allowed: ['zabota-admin', 'rehab-admin', 'committee-73', 'committee-77', 'admin'], body: () => ({}) }),
  row('GET /v1/providers/{id}', 'registry', { allowed: PROVIDER_READERS, path: () => `/v1/providers/${ZABOTA_ID}` }),
  row('PATCH /v1/providers/{id}', 'registry', { allowed: ['zabota-admin', 'admin'], path: () => `/v1/providers/${ZABOTA_ID}`, body: () => ({ phone: '+78422000000' }) }),
  row('GET /v1/providers/{id}/public', 'registry', { public: true, path: () => `/v1/providers/${ZABOTA_ID}/public` }),
  row('POST /v1/providers/{id}/status', 'registry', { allowed: ['committee-73', 'admin'], path: () => `/v1/providers/${ZABOTA_ID}/status`, body: () => ({ status: 'suspended', reason: 'Проверка' }) }),
  row('GET /v1/providers/{id}/documents', 'registry', { allowed: PROVIDER_READERS, path: () => `/v1/providers/${ZABOTA_ID}/documents` }),
  row('POST /v1/providers/{id}/documents', 'registry', { allowed: ['zabota-admin'], path: () => `/v1/providers/${ZABOTA_ID}/documents`, body: () => ({ kind: 'charter', file_name: 'a.pdf', content_type: 'application/pdf', content_base64: Buffer.from('%PDF-1.4\n%%EOF').toString('base64') }) }),
  row('GET /v1/providers/{id}/documents/{documentId}/content', 'registry', { allowed: PROVIDER_READERS, path: () => `/v1/providers/${ZABOTA_ID}/documents/${NOBODY}/content` }),
  row('GET /v1/providers/{id}/status-history', 'registry', { allowed: PROVIDER_READERS, path: () => `/v1/providers/${ZABOTA_ID}/status-history` }),
  // Rounds are read by anyone signed in (the contract answers 200 or 401).
  row('GET /v1/rounds', 'registry', { allowed: CALLERS }),
  // The committee decides for its own region: another region's committee is refused (403 other_region).
  row('POST /v1/rounds', 'registry', { allowed: ['committee-73', 'admin'], body: () => roundIn73 }),
  row('GET /v1/rounds/{id}', 'registry', { allowed: CALLERS, path: (f) => `/v1/rounds/${f.roundId}` }),
  row('GET /v1/rounds/{id}/results', 'registry', { public: true, path: (f) => `/v1/rounds/${f.roundId}/results` }),
  row('GET /v1/rounds/{id}/applications', 'registry', { allowed: ['committee-73', 'committee-77', ...CONTROL], scopedList: ['zabota-admin', 'zabota-staff', 'rehab-admin', 'rehab-staff'], path: (f) => `/v1/rounds/${f.roundId}/applications` }),
  row('POST /v1/rounds/{id}/applications', 'registry', { allowed: ['zabota-admin', 'rehab-admin'], path: (f) => `/v1/rounds/${f.roundId}/applications`, body: () => ({ service_codes: ['HOME-HOUSEHOLD-HOUR'] }) }),
  row('GET /v1/rounds/{id}/applications/{applicationId}', 'registry', { allowed: ['committee-73', 'committee-77', ...CONTROL, 'zabota-admin', 'zabota-staff'], path: (f) => `/v1/rounds/${f.roundId}/applications/${f.applicationId}` }),
  row('POST /v1/rounds/{id}/applications/{applicationId}/decision', 'registry', { allowed: ['committee-73', 'admin'], path: (f) => `/v1/rounds/${f.roundId}/applications/${f.applicationId}/decision`, body: () => ({ scores: {} }) }),
  row('POST /v1/rounds/{id}/applications/{applicationId}/appeal', 'registry', { allowed: ['zabota-admin'], path: (f) => `/v1/rounds/${f.roundId}/applications/${f.applicationId}/appeal`, body: () => ({ reason: 'Не согласны с решением' }) }),
  row('POST /v1/rounds/{id}/applications/{applicationId}/appeal/decision', 'registry', { allowed: ['committee-73', 'admin'], path: (f) => `/v1/rounds/${f.roundId}/applications/${f.applicationId}/appeal/decision`, body: () => ({ reason: 'Пересмотр по апелляции поставщика', scores: {} }) }),
  row('POST /v1/rounds/{id}/open', 'registry', { allowed: ['committee-73', 'admin'], path: (f) => `/v1/rounds/${f.roundId}/open` }),
  row('POST /v1/rounds/{id}/close', 'registry', { allowed: ['committee-73', 'admin'], path: (f) => `/v1/rounds/${f.roundId}/close` }),
  row('POST /v1/rounds/{id}/publish', 'registry', { allowed: ['committee-73', 'admin'], path: (f) => `/v1/rounds/${f.roundId}/publish` }),
  row('GET /v1/appeals', 'registry', { allowed: ['committee-73', ...CONTROL], scopedList: ['committee-77'] }),
  row('GET /v1/registry/providers', 'registry', { allowed: ['committee-73', ...CONTROL], scopedList: ['committee-77'] }),
  row('GET /v1/public/rounds', 'registry', { public: true }),
  row('GET /v1/life-situations', 'registry', { public: true }),
  row('GET /v1/life-situations/{code}', 'registry', { public: true, path: () => '/v1/life-situations/stroke_alone' }),
  row('GET /v1/regions/{region}/districts', 'registry', { public: true, path: () => '/v1/regions/73/districts' }),
  row('GET /v1/regions/{region}/supply', 'registry', { allowed: ['committee-73', 'committee-77', ...CONTROL, 'finance-73-a', 'svc:certificates', 'svc:settlement'], path: () => '/v1/regions/73/supply' }),

  // ---- certificates: Иванова's records, region 73, booked with Zabota ----
  row('POST /v1/recipients', 'certificates', { allowed: ['caseworker-73', 'caseworker-77', 'admin'], body: () => ({}) }),
  row('GET /v1/recipients/{id}', 'certificates', { allowed: ['caseworker-73', 'finance-73-a', ...CONTROL, 'citizen-ivanova'], path: (f) => `/v1/recipients/${f.recipientId}` }),
  row('PATCH /v1/recipients/{id}', 'certificates', { allowed: ['caseworker-73', 'admin'], path: (f) => `/v1/recipients/${f.recipientId}`, body: () => ({ phone: '+79270000000' }) }),
  row('POST /v1/assessments', 'certificates', { allowed: ['caseworker-73', 'admin'], body: (f) => ({ recipient_id: f.recipientId, reason: 'Заявление' }) }),
  row('GET /v1/assessments', 'certificates', { allowed: ['caseworker-73', 'admin'], path: () => '/v1/assessments?region_code=73' }),
  row('GET /v1/recipients', 'certificates', { allowed: ['caseworker-73', 'admin'], path: () => '/v1/recipients?region_code=73&q=Иванова' }),
  row('GET /v1/budget-programmes', 'certificates', { allowed: ['finance-73-a', 'caseworker-73', ...CONTROL], path: () => '/v1/budget-programmes?region_code=73' }),
  row('GET /v1/programmes/{id}/quote', 'certificates', { allowed: ['caseworker-73', 'admin'], path: (f) => `/v1/programmes/${f.programmeId}/quote?budget_programme_id=${f.budgetProgrammeId}` }),
  row('GET /v1/assessments/overdue', 'certificates', { allowed: ['caseworker-73', 'admin'], path: () => '/v1/assessments/overdue?region_code=73' }),
  row('GET /v1/assessments/{id}', 'certificates', { allowed: ['caseworker-73', 'finance-73-a', ...CONTROL, 'citizen-ivanova'], path: (f) => `/v1/assessments/${f.assessmentId}` }),
  row('POST /v1/assessments/{id}/decision', 'certificates', { allowed: ['caseworker-73', 'admin'], path: (f) => `/v1/assessments/${f.assessmentId}/decision`, body: () => ({ decision: 'recognised' }) }),
  row('POST /v1/assessments/{id}/programme', 'certificates', { allowed: ['caseworker-73', 'admin'], path: (f) => `/v1/assessments/${f.assessmentId}/programme`, body: () => ({ lines: [{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 1, months: 1 }] }) }),
  // "Any signed-in caller" (the contract): only broken tokens are refused.
  row('GET /v1/regions/{region}/parameters', 'certificates', { allowed: CALLERS, path: () => '/v1/regions/73/parameters' }),
  row('POST /v1/regions/{region}/parameters', 'certificates', { allowed: ['finance-73-a', 'admin'], path: () => '/v1/regions/73/parameters', body: () => ({ valid_from: '2027-01-01', subsistence_minimum: '16000.00', limit_coefficient: '1.5' }) }),
  row('POST /v1/regions/{region}/deficits/computations', 'certificates', { allowed: ['committee-73', 'finance-73-a', 'admin'], path: () => '/v1/regions/73/deficits/computations', body: () => ({}) }),
  row('GET /v1/regions/{region}/deficits', 'certificates', { allowed: ['committee-73', 'finance-73-a', ...CONTROL], path: () => '/v1/regions/73/deficits' }),
  row('GET /v1/regions/{region}/deficits/waiting', 'certificates', { allowed: ['committee-73', 'finance-73-a', ...CONTROL], path: () => '/v1/regions/73/deficits/waiting?district_code=73701000' }),
  row('GET /v1/regions/{region}/deficits/clusters', 'certificates', { allowed: ['committee-73', 'finance-73-a', ...CONTROL], path: () => '/v1/regions/73/deficits/clusters' }),
  row('GET /v1/regions/{region}/deficits/weights', 'certificates', { allowed: ['committee-73', 'finance-73-a', ...CONTROL], path: () => '/v1/regions/73/deficits/weights' }),
  row('PUT /v1/regions/{region}/deficits/weights', 'certificates', { allowed: ['committee-73', 'finance-73-a', 'admin'], path: () => '/v1/regions/73/deficits/weights', body: () => ({ relevance: '1', achievability: '1', budget_coverage: '1', social_effectiveness: '1' }) }),
  row('GET /v1/regions/{region}/dashboard', 'certificates', { allowed: ['finance-73-a', ...CONTROL], path: () => '/v1/regions/73/dashboard' }),
  row('GET /v1/public/regions/{region}/dashboard', 'certificates', { public: true, path: () => '/v1/public/regions/73/dashboard' }),
  row('POST /v1/budget-programmes', 'certificates', { allowed: ['finance-73-a', 'finance-77', 'admin'], body: () => ({ region_code: '73', code: 'X-1', name: 'Программа', year: 2026 }) }),
  row('GET /v1/budget-programmes/{id}', 'certificates', { allowed: ['finance-73-a', 'caseworker-73', ...CONTROL], path: (f) => `/v1/budget-programmes/${f.budgetProgrammeId}` }),
  row('POST /v1/budget-programmes/{id}/funding', 'certificates', { allowed: ['finance-73-a', 'admin'], path: (f) => `/v1/budget-programmes/${f.budgetProgrammeId}/funding`, body: () => ({ id: randomUUID(), amount: '1.00' }) }),
  row('GET /v1/certificates', 'certificates', { allowed: ['caseworker-73', 'finance-73-a', ...CONTROL, 'citizen-ivanova'], path: (f) => `/v1/certificates?recipient_id=${f.recipientId}` }),
  row('POST /v1/certificates', 'certificates', { allowed: ['caseworker-73', 'admin'], body: (f) => ({ programme_id: f.programmeId, budget_programme_id: f.budgetProgrammeId }) }),
  row('GET /v1/certificates/{id}', 'certificates', { allowed: ['caseworker-73', 'finance-73-a', ...CONTROL, 'citizen-ivanova'], path: (f) => `/v1/certificates/${f.certificateId}` }),
  row('GET /v1/certificates/{id}/statement', 'certificates', { allowed: ['caseworker-73', 'finance-73-a', ...CONTROL, 'citizen-ivanova'], path: (f) => `/v1/certificates/${f.certificateId}/statement` }),
  row('POST /v1/certificates/{id}/revoke', 'certificates', { allowed: ['caseworker-73', 'admin'], path: (f) => `/v1/certificates/${f.certificateId}/revoke`, body: () => ({ reason: 'Переезд' }) }),
  row('POST /v1/certificates/{id}/suspend', 'certificates', { allowed: ['caseworker-73', 'admin'], path: (f) => `/v1/certificates/${f.certificateId}/suspend`, body: () => ({ reason: 'Жалоба' }) }),
  row('POST /v1/certificates/{id}/resume', 'certificates', { allowed: ['caseworker-73', 'admin'], path: (f) => `/v1/certificates/${f.certificateId}/resume`, body: () => ({}) }),
  row('GET /v1/certificates/{id}/lines/{lineId}/providers', 'certificates', { allowed: ['caseworker-73', ...CONTROL, 'citizen-ivanova'], path: (f) => `/v1/certificates/${f.certificateId}/lines/${f.lineId}/providers` }),
  row('POST /v1/certificates/{id}/bookings', 'certificates', { allowed: ['caseworker-73', 'admin', 'citizen-ivanova'], path: (f) => `/v1/certificates/${f.certificateId}/bookings`, body: (f) => ({ line_id: f.lineId, provider_id: REHAB_ID }) }),
  row('GET /v1/bookings/{id}', 'certificates', { allowed: ['caseworker-73', ...CONTROL, 'citizen-ivanova', ...ZABOTA], path: (f) => `/v1/bookings/${f.bookingId}` }),
  row('POST /v1/bookings/{id}/accept', 'certificates', { allowed: ZABOTA, path: (f) => `/v1/bookings/${f.bookingId}/accept` }),
  row('POST /v1/bookings/{id}/decline', 'certificates', { allowed: ZABOTA, path: (f) => `/v1/bookings/${f.bookingId}/decline`, body: () => ({ code: 'capacity_exhausted', reason: 'Нет мест' }) }),
  row('POST /v1/bookings/{id}/cancel', 'certificates', { allowed: ['caseworker-73', 'admin', 'citizen-ivanova'], path: (f) => `/v1/bookings/${f.bookingId}/cancel`, body: () => ({ reason: 'Передумала' }) }),
  row('GET /v1/providers/{id}/bookings', 'certificates', { allowed: [...ZABOTA, ...CONTROL], scopedList: ['caseworker-73', 'caseworker-77', 'finance-73-a', 'finance-77'], path: () => `/v1/providers/${ZABOTA_ID}/bookings` }),
  row('GET /v1/providers/{id}/inbox', 'certificates', { allowed: [...ZABOTA, ...CONTROL], path: () => `/v1/providers/${ZABOTA_ID}/inbox` }),
  row('GET /v1/providers/{id}/acts', 'certificates', { allowed: [...ZABOTA, ...CONTROL], path: () => `/v1/providers/${ZABOTA_ID}/acts` }),
  row('POST /v1/providers/{id}/act-imports', 'certificates', { allowed: ZABOTA, path: () => `/v1/providers/${ZABOTA_ID}/act-imports`, body: () => ({ id: randomUUID(), csv: 'booking_id;delivered_on;units;staff_name;staff_position\r\n' }) }),
  row('GET /v1/bookings/{id}/deliveries', 'certificates', { allowed: ['caseworker-73', ...CONTROL, 'citizen-ivanova', ...ZABOTA], path: (f) => `/v1/bookings/${f.bookingId}/deliveries` }),
  row('POST /v1/bookings/{id}/deliveries', 'certificates', { allowed: ZABOTA, path: (f) => `/v1/bookings/${f.bookingId}/deliveries`, body: () => ({ delivered_on: '2026-01-15', units: 1, staff: staffBody }) }),
  row('GET /v1/deliveries/{id}', 'certificates', { allowed: ['caseworker-73', ...CONTROL, 'citizen-ivanova', ...ZABOTA], path: (f) => `/v1/deliveries/${f.deliveryId}` }),
  row('POST /v1/deliveries/{id}/confirm', 'certificates', { allowed: ['caseworker-73', 'admin', 'citizen-ivanova'], path: (f) => `/v1/deliveries/${f.deliveryId}/confirm`, body: () => ({}) }),
  row('POST /v1/deliveries/{id}/dispute', 'certificates', { allowed: ['caseworker-73', 'admin', 'citizen-ivanova'], path: (f) => `/v1/deliveries/${f.deliveryId}/dispute`, body: () => ({ reason: 'Не приходили' }) }),
  row('POST /v1/deliveries/{id}/feedback', 'certificates', { allowed: ['caseworker-73', 'admin', 'citizen-ivanova'], path: (f) => `/v1/deliveries/${f.deliveryId}/feedback`, body: () => ({ score: 5 }) }),
  row('POST /v1/bulk-issues', 'certificates', { allowed: ['caseworker-73', 'caseworker-77', 'admin'], body: () => ({}) }),
  row('GET /v1/bulk-issues/{id}', 'certificates', { allowed: ['caseworker-73', ...CONTROL], path: () => `/v1/bulk-issues/${NOBODY}` }),
  row('GET /v1/bulk-issues/{id}/errors', 'certificates', { allowed: ['caseworker-73', ...CONTROL], path: () => `/v1/bulk-issues/${NOBODY}/errors` }),
  row('GET /v1/me/requests', 'certificates', { allowed: ['citizen-ivanova', 'caseworker-73', 'finance-73-a', ...CONTROL], path: (f) => `/v1/me/requests?recipient_id=${f.recipientId}` }),
  row('GET /v1/me/certificates', 'certificates', { allowed: ['citizen-ivanova', 'caseworker-73', 'finance-73-a', ...CONTROL], path: (f) => `/v1/me/certificates?recipient_id=${f.recipientId}` }),
  row('GET /v1/me/deliveries', 'certificates', { allowed: ['citizen-ivanova', 'caseworker-73', 'finance-73-a', ...CONTROL], path: (f) => `/v1/me/deliveries?recipient_id=${f.recipientId}` }),
  row('GET /v1/me/bookings', 'certificates', { allowed: ['citizen-ivanova', 'caseworker-73', 'finance-73-a', ...CONTROL], path: (f) => `/v1/me/bookings?recipient_id=${f.recipientId}` }),
  row('POST /v1/life-events', 'certificates', { allowed: ['svc:life-events-source'], body: () => ({}) }),
  row('GET /health/live', 'certificates', { public: true }),
  row('GET /health/ready', 'certificates', { public: true }),

  // ---- settlement: finance of region 73 changes, auditors and admins read ----
  row('GET /v1/payout-limits', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: () => '/v1/payout-limits?region_code=73' }),
  row('PUT /v1/payout-limits/{budget_programme_id}/{period}', 'settlement', { allowed: ['finance-73-a'], path: (f) => `/v1/payout-limits/${f.budgetProgrammeId}/2031-01`, body: () => ({ region_code: '73', amount: '100.00' }) }),
  row('GET /v1/standing-rules/{region_code}', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: () => '/v1/standing-rules/73' }),
  row('PUT /v1/standing-rules/{region_code}', 'settlement', { allowed: ['finance-73-a', 'admin'], path: () => '/v1/standing-rules/73', body: () => ({ while_suspended: 'hold', when_excluded: 'pay_delivered_before' }) }),
  row('PUT /v1/programmes/{budget_programme_id}/settings', 'settlement', { allowed: ['finance-73-a'], path: (f) => `/v1/programmes/${f.budgetProgrammeId}/settings`, body: () => ({ period_months: 1 }) }),
  row('PUT /v1/assignments/{provider_id}/{service_code}/{period}', 'settlement', { allowed: ['finance-73-a'], path: () => `/v1/assignments/${ZABOTA_ID}/HOME-HOUSEHOLD-HOUR/2031-01`, body: () => ({ region_code: '73', units: 10 }) }),
  row('GET /v1/runs', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: () => '/v1/runs?region_code=73' }),
  row('POST /v1/runs', 'settlement', { allowed: ['finance-73-a'], body: () => ({ region_code: '73', period: '2031-01' }) }),
  row('GET /v1/runs/{id}', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: (f) => `/v1/runs/${f.runId}` }),
  row('GET /v1/runs/{id}/lines', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: (f) => `/v1/runs/${f.runId}/lines` }),
  row('GET /v1/runs/{id}/carryovers', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: (f) => `/v1/runs/${f.runId}/carryovers` }),
  row('GET /v1/runs/{id}/report', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: (f) => `/v1/runs/${f.runId}/report` }),
  row('GET /v1/runs/{id}/batch', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: (f) => `/v1/runs/${f.runId}/batch` }),
  row('GET /v1/batches/{id}/comparison', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: () => `/v1/batches/${NOBODY}/comparison` }),
  row('GET /v1/payouts', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: () => '/v1/payouts?region_code=73&status=in_transit' }),
  row('GET /v1/statements', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: () => '/v1/statements?region_code=73' }),
  row('POST /v1/runs/{id}/batch', 'settlement', { allowed: ['finance-73-a'], path: (f) => `/v1/runs/${f.runId}/batch` }),
  row('GET /v1/batches/{id}', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: () => `/v1/batches/${NOBODY}` }),
  row('GET /v1/batches/{id}/payouts', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: () => `/v1/batches/${NOBODY}/payouts` }),
  row('POST /v1/batches/{id}/approve', 'settlement', { allowed: ['finance-73-a'], path: () => `/v1/batches/${NOBODY}/approve` }),
  row('GET /v1/batches/{id}/export', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: () => `/v1/batches/${NOBODY}/export?format=csv` }),
  row('GET /v1/batches/{id}/reconciliation', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: () => `/v1/batches/${NOBODY}/reconciliation` }),
  row('POST /v1/statements', 'settlement', { allowed: ['finance-73-a', 'finance-77'], body: () => ({ format: '1c', content_base64: Buffer.from('1CClientBankExchange').toString('base64') }) }),
  row('GET /v1/statements/{id}', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: () => `/v1/statements/${NOBODY}` }),
  row('GET /v1/discrepancies', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: () => '/v1/discrepancies?region_code=73' }),
  row('POST /v1/statement-lines/{id}/resolve', 'settlement', { allowed: ['finance-73-a'], path: () => `/v1/statement-lines/${NOBODY}/resolve`, body: () => ({ note: 'Проверено' }) }),
  row('GET /v1/providers/{id}/settlement', 'settlement', { allowed: [...ZABOTA, 'finance-73-a', ...CONTROL], scopedList: ['finance-77'], path: () => `/v1/providers/${ZABOTA_ID}/settlement` }),
  // ---- the cabinets' own reads and acts: the provider's rounds and money, coefficient versions, bulk issues, allocations ----
  row('GET /v1/bulk-issues', 'certificates', { allowed: ['caseworker-73', ...CONTROL], path: () => '/v1/bulk-issues?region_code=73' }),
  row('GET /v1/catalog/coefficients/{code}/versions', 'registry', { public: true, path: () => '/v1/catalog/coefficients/rural/versions' }),
  row('GET /v1/programmes/allocations', 'settlement', { allowed: ['finance-73-a', ...CONTROL], path: () => '/v1/programmes/allocations?region_code=73' }),
  row('GET /v1/providers/{id}/money', 'settlement', { allowed: [...ZABOTA, 'finance-73-a', ...CONTROL], scopedList: ['finance-77'], path: () => `/v1/providers/${ZABOTA_ID}/money` }),
  row('GET /v1/providers/{id}/periods/{period}/statement', 'settlement', { allowed: [...ZABOTA, 'finance-73-a', ...CONTROL], scopedList: ['finance-77'], path: () => `/v1/providers/${ZABOTA_ID}/periods/2026-10/statement` }),
  row('GET /v1/providers/{id}/rounds', 'registry', { allowed: [...ZABOTA, ...CONTROL], path: () => `/v1/providers/${ZABOTA_ID}/rounds` }),
  row('POST /v1/catalog/coefficients/{code}/versions', 'registry', { allowed: ['committee-73', 'committee-77', 'admin'], path: () => '/v1/catalog/coefficients/rural/versions', body: () => ({}) }),
  row('POST /v1/rounds/{id}/applications/{applicationId}/withdraw', 'registry', { allowed: ['zabota-admin'], path: (f) => `/v1/rounds/${f.roundId}/applications/${f.applicationId}/withdraw` }),

  // ---- notifications: every person reads their own inbox (another's notices never in it); only Иванова marks hers ----
  row('GET /v1/notifications', 'notifications', { allowed: ['citizen-ivanova'], scopedList: CALLERS.filter((c) => !c.startsWith('svc:')) }),
  row('GET /v1/notification-settings', 'notifications', { allowed: ['citizen-ivanova', 'citizen-smirnov', 'zabota-admin', 'rehab-admin', 'finance-73-a', 'finance-77'] }),
  row('PUT /v1/notification-settings', 'notifications', { allowed: ['citizen-ivanova', 'citizen-smirnov', 'zabota-admin', 'rehab-admin', 'finance-73-a', 'finance-77'], body: () => ({ email: 'someone@example.ru' }) }),
  row('GET /v1/failed-deliveries', 'notifications', { allowed: ['admin'] }),
  row('POST /v1/notifications/{id}/read', 'notifications', { allowed: ['citizen-ivanova'], path: (f) => `/v1/notifications/${f.notificationId}/read` }),
];

/** A really signed token for the caller: the gateway's for demo users and service clients, forged with its key for the others. */
export async function tokenFor(stack: Stack, caller: Caller): Promise<string> {
  if (caller.startsWith('svc:')) return stack.gateway.serviceToken(caller.slice(4));
  if (caller in FORGED) return stack.forge({ sub: `${caller}:${randomUUID()}`, ...FORGED[caller as keyof typeof FORGED] });
  return stack.gateway.signIn(caller);
}
