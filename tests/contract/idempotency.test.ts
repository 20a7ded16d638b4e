import { randomUUID } from 'node:crypto';
import { ledgerAccountIds } from '@esc/ledger-client';
import { httpClient, idempotencyViolations, type ClientIdEndpoint, type HttpClient } from '@esc/testing';
import { bookedAndAccepted, fundRegion, issueFor, nextSnils, REGION, startCertificates, ZABOTA_ID, REHAB_ID, type CertificatesHarness } from 'certificates/test/harness';

/**
 * Issue 17: every endpoint where the client chooses the id keeps "one id, one outcome" — the same
 * request again answers the first answer, the same id with another payload is a 409 that changes
 * nothing, and sends of one new id at once all get one answer. One check (packages/testing's
 * idempotencyViolations) drives each of them over HTTP against the real services.
 */

let h: CertificatesHarness;
let budgetProgrammeId: string;
let ledgerWriter: HttpClient;

beforeAll(async () => {
  h = await startCertificates('idempotency');
  budgetProgrammeId = await fundRegion(h, '10000000.00');
  ledgerWriter = httpClient(h.ledgerUrl, await h.gateway.serviceToken('bench'));
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

const STAFF = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };

/** The path of a request whose object is made fresh for it, kept beside its body (the body is what `send` gets). */
function withPaths(make: () => Promise<{ path: string; body: Record<string, unknown> }>) {
  const paths = new Map<unknown, string>();
  return {
    async fresh() {
      const { path, body } = await make();
      paths.set(body.id, path);
      return body;
    },
    pathOf: (body: Record<string, unknown>) => paths.get(body.id)!,
  };
}

async function payableAccount(): Promise<string> {
  const id = randomUUID();
  const res = await ledgerWriter.post('/v1/accounts', { id, ledger: 'RUB', code: 'provider_payable', owner: { type: 'provider', id: randomUUID() }, region_code: REGION });
  if (res.status !== 201) throw new Error(`account: ${res.status} ${JSON.stringify(res.body)}`);
  return id;
}

async function postedTransfer(): Promise<string> {
  const id = randomUUID();
  const res = await ledgerWriter.post('/v1/transfers', { transfers: [{ id, debit_account_id: ledgerAccountIds.treasurySource(REGION), credit_account_id: await payableAccount(), amount: '5.00', code: 'test' }] });
  if (res.status !== 200 || res.body.created !== 1) throw new Error(`transfer: ${res.status} ${JSON.stringify(res.body)}`);
  return id;
}

/** The ledger's answer to a transfer already made is `exists` where the first said `created`: the same transfer. */
const sameTransfer = (body: any) => JSON.parse(JSON.stringify(body).replace(/"status":"(created|exists)"/g, '"status":"done"').replace(/"(created|existed)":\d+,?/g, ''));

const endpoints: Array<() => Promise<ClientIdEndpoint>> = [
  async () => ({
    name: 'ledger POST /v1/accounts',
    send: (body) => ledgerWriter.post('/v1/accounts', body),
    fresh: async () => ({ id: randomUUID(), ledger: 'RUB', code: 'provider_payable', owner: { type: 'provider', id: randomUUID() }, region_code: REGION }),
    altered: (body) => ({ ...body, region_code: '77' }),
  }),
  async () => ({
    name: 'ledger POST /v1/transfers',
    send: (body) => ledgerWriter.post('/v1/transfers', { transfers: [body] }),
    outcome: sameTransfer,
    fresh: async () => ({ id: randomUUID(), debit_account_id: ledgerAccountIds.treasurySource(REGION), credit_account_id: await payableAccount(), amount: '10.00', code: 'test' }),
    altered: (body) => ({ ...body, amount: '10.01' }),
  }),
  async () => {
    const reversals = withPaths(async () => ({ path: `/v1/transfers/${await postedTransfer()}/reverse`, body: { id: randomUUID(), reference: 'Ошибочное зачисление' } }));
    return {
      name: 'ledger POST /v1/transfers/{id}/reverse',
      send: (body) => ledgerWriter.post(reversals.pathOf(body), body),
      outcome: sameTransfer,
      fresh: reversals.fresh,
      altered: (body) => ({ ...body, reference: 'Другое основание' }),
    };
  },
  async () => ({
    name: 'certificates POST /v1/budget-programmes',
    send: async (body) => (await h.as('finance-73-a')).post('/v1/budget-programmes', body),
    fresh: async () => ({ id: randomUUID(), region_code: REGION, code: `ИД-${randomUUID().slice(0, 6)}`, name: 'Проверка идемпотентности', year: 2026 }),
    altered: (body) => ({ ...body, name: 'Другое название' }),
  }),
  async () => ({
    name: 'certificates POST /v1/budget-programmes/{id}/funding',
    send: async (body) => (await h.as('finance-73-a')).post(`/v1/budget-programmes/${budgetProgrammeId}/funding`, body),
    fresh: async () => ({ id: randomUUID(), amount: '100.00' }),
    altered: (body) => ({ ...body, amount: '100.01' }),
  }),
  async () => {
    const issues = withPaths(async () => {
      const drawn = await programmeFor();
      return { path: '/v1/certificates', body: { id: randomUUID(), programme_id: drawn, budget_programme_id: budgetProgrammeId } };
    });
    return {
      name: 'certificates POST /v1/certificates',
      send: async (body) => (await h.as('caseworker-73')).post('/v1/certificates', body),
      fresh: issues.fresh,
      altered: (body) => ({ ...body, valid_from: '2099-01-01' }),
    };
  },
  async () => {
    const bookings = withPaths(async () => {
      const issued = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
      return { path: `/v1/certificates/${issued.certificate.id}/bookings`, body: { id: randomUUID(), line_id: issued.certificate.services[0].line_id, provider_id: ZABOTA_ID, units: 5 } };
    });
    return {
      name: 'certificates POST /v1/certificates/{id}/bookings',
      send: async (body) => (await h.as('caseworker-73')).post(bookings.pathOf(body), body),
      fresh: bookings.fresh,
      altered: (body) => ({ ...body, provider_id: REHAB_ID }),
    };
  },
  async () => {
    const acts = withPaths(async () => {
      const booked = await bookedAndAccepted(h, budgetProgrammeId);
      return { path: `/v1/bookings/${booked.booking.id}/deliveries`, body: { id: randomUUID(), delivered_on: booked.certificate.general.valid_from, units: 2, staff: STAFF } };
    });
    return {
      name: 'certificates POST /v1/bookings/{id}/deliveries',
      send: async (body) => (await h.as('zabota-staff')).post(acts.pathOf(body), body),
      fresh: acts.fresh,
      altered: (body) => ({ ...body, units: 3 }),
    };
  },
  async () => ({
    name: 'certificates POST /v1/life-events',
    send: async (body) => (await h.asService('life-events-source')).post('/v1/life-events', body),
    outcome: (body) => ({ ...(body as object), created: undefined }),
    fresh: async () => ({
      id: randomUUID(),
      kind: 'hospital_discharge_stroke',
      occurred_on: '2026-11-20',
      region_code: REGION,
      person: { snils: nextSnils(), last_name: 'Петров', first_name: 'Иван', birth_date: '1950-05-05', district_code: '73701000', address: 'г. Ульяновск, ул. Ленина, д. 1' },
      circumstances: { lives_alone: true },
    }),
    altered: (body) => ({ ...body, occurred_on: '2026-11-21' }),
  }),
  async () => ({
    name: 'certificates POST /v1/bulk-issues',
    send: async (body) => (await h.as('caseworker-73')).post('/v1/bulk-issues', body),
    fresh: async () => ({ id: randomUUID(), budget_programme_id: budgetProgrammeId, region_code: REGION, file_name: 'получатели.csv', csv: bulkFile(nextSnils()) }),
    altered: (body) => ({ ...body, csv: bulkFile(nextSnils()) }),
  }),
];

const BULK_HEADER = 'snils;last_name;first_name;middle_name;birth_date;district_code;address;own_income;categories;service_code;volume_per_month;months';
const bulkFile = (snils: string) =>
  `${BULK_HEADER}\r\n${[snils, 'Петрова', 'Анна', 'Ивановна', '12.03.1948', '73701000', 'г. Ульяновск, ул. Минаева, д. 10, кв. 5', '14000', '', 'HOME-HOUSEHOLD-HOUR', '20', '6'].join(';')}\r\n`;

/** A recognised person's drawn programme, ready for a certificate. */
async function programmeFor(): Promise<string> {
  const issued = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
  // issueFor issues too: revoking frees the programme for a new certificate.
  const revoked = await (await h.as('caseworker-73')).post(`/v1/certificates/${issued.certificate.id}/revoke`, { reason: 'Проверка идемпотентности' });
  if (revoked.status !== 200) throw new Error(`revoke: ${revoked.status} ${JSON.stringify(revoked.body)}`);
  return issued.programmeId;
}

const NAMES = ['ledger POST /v1/accounts', 'ledger POST /v1/transfers', 'ledger POST /v1/transfers/{id}/reverse', 'certificates POST /v1/budget-programmes', 'certificates POST /v1/budget-programmes/{id}/funding', 'certificates POST /v1/certificates', 'certificates POST /v1/certificates/{id}/bookings', 'certificates POST /v1/bookings/{id}/deliveries', 'certificates POST /v1/life-events', 'certificates POST /v1/bulk-issues'];

test.each(endpoints.map((make, index) => [NAMES[index]!, make] as const))('%s keeps one id, one outcome: replay, conflicting payload, concurrent sends', async (name, make) => {
  const endpoint = await make();
  expect(endpoint.name).toBe(name);
  expect(await idempotencyViolations(endpoint)).toEqual([]);
}, 120_000);
