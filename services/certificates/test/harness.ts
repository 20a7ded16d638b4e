import { randomUUID } from 'node:crypto';
import { createTestDatabase, httpClient, startTestGateway, type HttpClient, type TestGateway } from '@esc/testing';
import { createLedgerService } from 'ledger/src/app';
import { createRegistryService } from 'registry/src/app';
import { seedRegistryDemo } from '../../../infra/dev/seed-demo';
import { createCertificatesService, type CertificatesService } from '../src/app';
import type { CertificatesConfig } from '../src/config';

export const REGION = '73';
export const ULYANOVSK = '73701000';
export const ZABOTA_ID = '6e9de740-d447-49a2-a48f-a219e95a9be5';
export const REHAB_ID = 'e655dfb4-3ead-4747-a1c1-0cd94bf43c7b';
/** The demo citizens' SNILS, as their gateway tokens carry it. */
export const IVANOVA_SNILS = '11223344595';
export const SMIRNOV_SNILS = '12345678964';

export interface CertificatesHarness {
  service: CertificatesService;
  gateway: TestGateway;
  url: string;
  ledgerUrl: string;
  as(username: string): Promise<HttpClient>;
  /** A client with a service token (e.g. life-events-source, audit-tool for the ledger). */
  asService(clientId: string, baseUrl?: string): Promise<HttpClient>;
  ledger(): Promise<HttpClient>;
  outbox(topic: string): Promise<Array<{ id: string; payload: any }>>;
  stop(): Promise<void>;
}

/**
 * The real gateway, ledger, registry (with the demo providers admitted through a selection round)
 * and certificates on random ports, sharing one fresh database in their own schemas.
 */
export async function startCertificates(
  label: string,
  overrides: Partial<CertificatesConfig> = {},
  registryOverrides: Parameters<typeof createRegistryService>[0] = {},
  options: { clock?: () => Date } = {},
): Promise<CertificatesHarness> {
  const db = await createTestDatabase(label);
  const gateway = await startTestGateway();
  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const common = { DATABASE_URL: db.url, JWKS_URL: gateway.jwksUrl, LOG_LEVEL: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent', QUEUE_PREFIX: prefix } as const;
  const ledger = await createLedgerService({ ...common, JOBS_ENABLED: false });
  const ledgerUrl = (await ledger.start(0)).url;
  const registry = await createRegistryService({ ...common, OUTBOX_RELAY_ENABLED: false, CONSUMERS_ENABLED: false, SEARCH_CACHE_TTL_MS: 0, ...registryOverrides });
  const registryUrl = (await registry.start(0)).url;
  await seedRegistryDemo(gateway.url, registryUrl);
  const service = await createCertificatesService({
    ...common,
    GATEWAY_URL: gateway.url,
    LEDGER_URL: ledgerUrl,
    REGISTRY_URL: registryUrl,
    OUTBOX_RELAY_ENABLED: false,
    JOBS_ENABLED: false,
    CONSUMERS_ENABLED: false,
    ...overrides,
  }, { clock: options.clock });
  const { url } = await service.start(0);
  const clients = new Map<string, HttpClient>();
  const as = async (username: string) => {
    if (!clients.has(username)) clients.set(username, httpClient(url, await gateway.signIn(username)));
    return clients.get(username)!;
  };
  return {
    service,
    gateway,
    url,
    ledgerUrl,
    as,
    async asService(clientId, baseUrl = url) {
      return httpClient(baseUrl, await gateway.serviceToken(clientId));
    },
    async ledger() {
      return httpClient(ledgerUrl, await gateway.serviceToken('audit-tool'));
    },
    async outbox(topic) {
      return service.orm.em.fork().execute(`select id, payload from certificates.outbox where topic = ? order by seq`, [topic]);
    },
    async stop() {
      await service.stop();
      await registry.stop();
      await ledger.stop();
      await gateway.stop();
      await db.drop();
    },
  };
}

export interface IssuedFixture {
  budgetProgrammeId: string;
  recipientId: string;
  assessmentId: string;
  programmeId: string;
  certificate: any;
}

/** Regional parameters and a funded budget programme for region 73, set by finance. */
export async function fundRegion(h: Pick<CertificatesHarness, 'as'>, amount = '1000000.00', parameters = { valid_from: '2026-01-01', subsistence_minimum: '15000.00', limit_coefficient: '1.5' }) {
  const finance = await h.as('finance-73-a');
  const params = await finance.post(`/v1/regions/${REGION}/parameters`, parameters);
  if (params.status !== 201 && params.body?.code !== 'parameters_version_exists') throw new Error(`parameters: ${params.status} ${JSON.stringify(params.body)}`);
  const programme = await finance.post('/v1/budget-programmes', { region_code: REGION, code: `ДУ-${randomUUID().slice(0, 6)}`, name: 'Долговременный уход', year: 2026 });
  if (programme.status !== 201) throw new Error(`budget programme: ${programme.status} ${JSON.stringify(programme.body)}`);
  const funded = await finance.post(`/v1/budget-programmes/${programme.body.id}/funding`, { id: randomUUID(), amount });
  if (funded.status !== 200) throw new Error(`funding: ${funded.status} ${JSON.stringify(funded.body)}`);
  return programme.body.id as string;
}

export function recipientBody(overrides: Record<string, unknown> = {}) {
  return {
    snils: IVANOVA_SNILS,
    region_code: REGION,
    last_name: 'Иванова',
    first_name: 'Мария',
    middle_name: 'Петровна',
    birth_date: '1948-03-12',
    district_code: ULYANOVSK,
    address: 'г. Ульяновск, ул. Минаева, д. 10, кв. 5',
    own_income: '14000.00',
    household: [],
    ...overrides,
  };
}

/** A case worker takes a person from registration to an issued certificate. */
export async function issueFor(
  h: CertificatesHarness,
  budgetProgrammeId: string,
  options: { recipient?: Record<string, unknown>; lines?: Array<{ service_code: string; volume_per_month: number; months: number }> } = {},
): Promise<IssuedFixture> {
  const caseworker = await h.as('caseworker-73');
  const recipient = await caseworker.post('/v1/recipients', recipientBody(options.recipient));
  if (recipient.status !== 201) throw new Error(`recipient: ${recipient.status} ${JSON.stringify(recipient.body)}`);
  const assessment = await caseworker.post('/v1/assessments', { recipient_id: recipient.body.id, reason: 'Заявление о предоставлении социальных услуг на дому' });
  if (assessment.status !== 201) throw new Error(`assessment: ${assessment.status} ${JSON.stringify(assessment.body)}`);
  const decided = await caseworker.post(`/v1/assessments/${assessment.body.id}/decision`, { decision: 'recognised' });
  if (decided.status !== 200) throw new Error(`decision: ${decided.status} ${JSON.stringify(decided.body)}`);
  const programme = await caseworker.post(`/v1/assessments/${assessment.body.id}/programme`, {
    lines: options.lines ?? [{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 20, months: 6 }],
  });
  if (programme.status !== 201) throw new Error(`programme: ${programme.status} ${JSON.stringify(programme.body)}`);
  const certificate = await caseworker.post('/v1/certificates', { programme_id: programme.body.id, budget_programme_id: budgetProgrammeId });
  if (certificate.status !== 201) throw new Error(`certificate: ${certificate.status} ${JSON.stringify(certificate.body)}`);
  return { budgetProgrammeId, recipientId: recipient.body.id, assessmentId: assessment.body.id, programmeId: programme.body.id, certificate: certificate.body };
}

/** A certificate issued for a new recipient, its first line booked with Zabota and accepted. */
export async function bookedAndAccepted(h: CertificatesHarness, budgetProgrammeId: string, options: Parameters<typeof issueFor>[2] = {}) {
  const fixture = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils(), ...options.recipient }, lines: options.lines });
  const caseworker = await h.as('caseworker-73');
  const line = fixture.certificate.services[0];
  const booking = await caseworker.post(`/v1/certificates/${fixture.certificate.id}/bookings`, { line_id: line.line_id, provider_id: ZABOTA_ID });
  if (booking.status !== 201) throw new Error(`booking: ${booking.status} ${JSON.stringify(booking.body)}`);
  const accepted = await (await h.as('zabota-admin')).post(`/v1/bookings/${booking.body.id}/accept`);
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return { ...fixture, line, booking: booking.body };
}

export async function ledgerAccount(h: CertificatesHarness, id: string) {
  const res = await (await h.ledger()).get(`/v1/accounts/${id}`);
  if (res.status !== 200) throw new Error(`ledger account ${id}: ${res.status}`);
  return res.body as { debits_posted: string; credits_posted: string; debits_pending: string; credits_pending: string };
}

/** A SNILS with a valid check number, unique per call within a test file. */
let snilsCounter = 2_000_000 + Math.floor(Math.random() * 5_000_000);
export function nextSnils(): string {
  const body = String(++snilsCounter * 100 + 7).padStart(9, '0').slice(-9);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (9 - i);
  let check = sum < 100 ? sum : sum % 101;
  if (check === 100) check = 0;
  return body + String(check).padStart(2, '0');
}
