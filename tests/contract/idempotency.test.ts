import { randomUUID } from 'node:crypto';
import { ledgerAccountIds } from '@esc/ledger-client';
import { httpClient, idempotencyViolations, refusalViolations, type ClientIdEndpoint, type HttpClient, type JsonResponse } from '@esc/testing';
import { bookedAndAccepted, fundRegion, issueFor, ledgerAccount, nextSnils, REGION, startCertificates, ZABOTA_ID, REHAB_ID, type CertificatesHarness } from 'certificates/test/harness';

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
    register: (id: string, path: string) => void paths.set(id, path),
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

/** A budget programme's allocation account: it may not go below zero. */
async function allocationAccount(): Promise<string> {
  const id = randomUUID();
  const res = await ledgerWriter.post('/v1/accounts', { id, ledger: 'RUB', code: 'budget_allocation', owner: { type: 'budget_programme', id: randomUUID() }, region_code: REGION });
  if (res.status !== 201) throw new Error(`account: ${res.status} ${JSON.stringify(res.body)}`);
  return id;
}

async function ledgerTransfer(debit: string, credit: string, amount: string): Promise<string> {
  const id = randomUUID();
  const res = await ledgerWriter.post('/v1/transfers', { transfers: [{ id, debit_account_id: debit, credit_account_id: credit, amount, code: 'test' }] });
  if (res.status !== 200 || res.body.created !== 1) throw new Error(`transfer: ${res.status} ${JSON.stringify(res.body)}`);
  return id;
}

async function balancesOf(...accounts: string[]) {
  const auditor = await h.ledger();
  return Promise.all(accounts.map(async (id) => (await auditor.get(`/v1/accounts/${id}`)).body));
}

async function expectStatus(answer: Promise<JsonResponse>, status: number): Promise<void> {
  const res = await answer;
  if (res.status !== status) throw new Error(`expected ${status}: ${res.status} ${JSON.stringify(res.body)}`);
}

const fundProgramme = async (id: string, amount: string) =>
  expectStatus((await h.as('finance-73-a')).post(`/v1/budget-programmes/${id}/funding`, { id: randomUUID(), amount }), 200);
const budgetOf = async (id: string) => (await (await h.as('finance-73-a')).get(`/v1/budget-programmes/${id}`)).body;
const revoke = async (certificateId: string) =>
  expectStatus((await h.as('caseworker-73')).post(`/v1/certificates/${certificateId}/revoke`, { reason: 'Проверка идемпотентности' }), 200);

/** Books the certificate's first line whole with Zabota; the booking's id. */
async function book(certificate: any): Promise<string> {
  const res = await (await h.as('caseworker-73')).post(`/v1/certificates/${certificate.id}/bookings`, { line_id: certificate.services[0].line_id, provider_id: ZABOTA_ID });
  if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}
const cancel = async (bookingId: string) => expectStatus((await h.as('caseworker-73')).post(`/v1/bookings/${bookingId}/cancel`, {}), 200);

/** Zabota's psychological visits a month not yet booked here. */
async function freePsychPlaces(): Promise<number> {
  const rows = await h.service.orm.em.fork().execute(`select capacity_per_month - reserved_per_month as free from certificates.provider_capacity where provider_id = ? and service_code = 'HOME-PSYCH-VISIT'`, [ZABOTA_ID]);
  return rows[0]?.free ?? 60;
}

/** A booking of the certificate's first line with Zabota, refused now; `removeCause` takes the refusal's cause away. */
function refusedBooking(bookings: { register(id: string, path: string): void }, certificate: any, removeCause: () => Promise<void>) {
  const path = `/v1/certificates/${certificate.id}/bookings`;
  const body = { id: randomUUID(), line_id: certificate.services[0].line_id, provider_id: ZABOTA_ID };
  const renewed = { ...body, id: randomUUID() };
  bookings.register(body.id, path);
  bookings.register(renewed.id, path);
  return {
    body,
    renewed,
    removeCause,
    state: async () => {
      const caseworker = await h.as('caseworker-73');
      const booking = await caseworker.get(`/v1/bookings/${body.id}`);
      const capacity = await h.service.orm.em.fork().execute(`select service_code, reserved_per_month from certificates.provider_capacity where provider_id = ? order by service_code`, [ZABOTA_ID]);
      const line = await h.service.orm.em.fork().execute(`select units_booked from certificates.certificate_lines where id = ?`, [body.line_id]);
      return { booking: booking.status, capacity, line };
    },
  };
}

/** The ledger's answer to a transfer already made is `exists` where the first said `created`: the same transfer. */
const sameTransfer = (body: any) => JSON.parse(JSON.stringify(body).replace(/"status":"(created|exists)"/g, '"status":"done"').replace(/"(created|existed)":\d+,?/g, ''));

const endpoints: Array<() => Promise<ClientIdEndpoint>> = [
  async () => ({
    name: 'ledger POST /v1/accounts',
    send: (body) => ledgerWriter.post('/v1/accounts', body),
    fresh: async () => ({ id: randomUUID(), ledger: 'RUB', code: 'provider_payable', owner: { type: 'provider', id: randomUUID() }, region_code: REGION }),
    altered: (body) => ({ ...body, region_code: '77' }),
    refusals: { none: 'an account is refused only for its own fields (the chart, the owner, the region) or for an id already open with other fields; nothing that changes later makes it acceptable' },
  }),
  async () => ({
    name: 'ledger POST /v1/transfers',
    send: (body) => ledgerWriter.post('/v1/transfers', { transfers: [body] }),
    outcome: sameTransfer,
    fresh: async () => ({ id: randomUUID(), debit_account_id: ledgerAccountIds.treasurySource(REGION), credit_account_id: await payableAccount(), amount: '10.00', code: 'test' }),
    altered: (body) => ({ ...body, amount: '10.01' }),
    refusals: [
      {
        name: 'insufficient funds, then funded',
        async refused() {
          const allocation = await allocationAccount();
          const payable = await payableAccount();
          return {
            body: { id: randomUUID(), debit_account_id: allocation, credit_account_id: payable, amount: '10.00', code: 'test' },
            removeCause: async () => void (await ledgerTransfer(ledgerAccountIds.treasurySource(REGION), allocation, '20.00')),
            state: () => balancesOf(allocation, payable),
          };
        },
      },
    ],
  }),
  async () => {
    const reversals = withPaths(async () => ({ path: `/v1/transfers/${await postedTransfer()}/reverse`, body: { id: randomUUID(), reference: 'Ошибочное зачисление' } }));
    return {
      name: 'ledger POST /v1/transfers/{id}/reverse',
      send: (body) => ledgerWriter.post(reversals.pathOf(body), body),
      outcome: sameTransfer,
      fresh: reversals.fresh,
      altered: (body) => ({ ...body, reference: 'Другое основание' }),
      refusals: [
        {
          name: 'the money already moved on (insufficient funds), then it came back',
          async refused() {
            // Funded 10.00, then spent: reversing the funding would take the allocation below zero.
            const allocation = await allocationAccount();
            const funding = await ledgerTransfer(ledgerAccountIds.treasurySource(REGION), allocation, '10.00');
            await ledgerTransfer(allocation, await payableAccount(), '10.00');
            const body = { id: randomUUID(), reference: 'Ошибочное зачисление' };
            const renewed = { id: randomUUID(), reference: 'Ошибочное зачисление' };
            reversals.register(body.id, `/v1/transfers/${funding}/reverse`);
            reversals.register(renewed.id, `/v1/transfers/${funding}/reverse`);
            return {
              body,
              renewed,
              removeCause: async () => void (await ledgerTransfer(ledgerAccountIds.treasurySource(REGION), allocation, '10.00')),
              state: () => balancesOf(allocation),
            };
          },
        },
      ],
    };
  },
  async () => ({
    name: 'certificates POST /v1/budget-programmes',
    send: async (body) => (await h.as('finance-73-a')).post('/v1/budget-programmes', body),
    fresh: async () => ({ id: randomUUID(), region_code: REGION, code: `ИД-${randomUUID().slice(0, 6)}`, name: 'Проверка идемпотентности', year: 2026 }),
    altered: (body) => ({ ...body, name: 'Другое название' }),
    refusals: { none: 'its one refusal about something other than its fields, budget_programme_exists, names a code another programme holds for good (programmes are never deleted)' },
  }),
  async () => ({
    name: 'certificates POST /v1/budget-programmes/{id}/funding',
    send: async (body) => (await h.as('finance-73-a')).post(`/v1/budget-programmes/${budgetProgrammeId}/funding`, body),
    fresh: async () => ({ id: randomUUID(), amount: '100.00' }),
    altered: (body) => ({ ...body, amount: '100.01' }),
    refusals: { none: 'the treasury source it draws on has no lower limit (it is the budget’s side of the books), so a funding is refused only for its own fields; its ledger transfer, id derived from the funding id, keeps any rejection' },
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
      refusals: [
        {
          name: 'budget exhausted, then funded',
          async refused() {
            const poor = await fundRegion(h, '1.00');
            const drawn = await programmeFor();
            const body = { id: randomUUID(), programme_id: drawn, budget_programme_id: poor };
            return {
              body,
              removeCause: async () => void (await fundProgramme(poor, '1000000.00')),
              state: async () => [await budgetOf(poor), (await (await h.as('caseworker-73')).get(`/v1/certificates/${body.id}`)).body.status],
            };
          },
        },
        {
          name: 'the programme already certified, then that certificate revoked',
          async refused() {
            const issued = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
            const body = { id: randomUUID(), programme_id: issued.programmeId, budget_programme_id: budgetProgrammeId };
            return {
              body,
              removeCause: () => revoke(issued.certificate.id),
              state: async () => [await budgetOf(budgetProgrammeId), (await (await h.as('caseworker-73')).get(`/v1/certificates/${body.id}`)).status],
            };
          },
        },
      ],
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
      refusals: [
        {
          name: 'no free capacity at the provider, then a place freed',
          async refused() {
            // Zabota has 60 psychological visits a month; each certificate books 8 of them.
            const psych = { lines: [{ service_code: 'HOME-PSYCH-VISIT', volume_per_month: 8, months: 2 }] };
            const fillers: string[] = [];
            for (let free = await freePsychPlaces(); free >= 8; free -= 8) {
              const filler = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() }, ...psych });
              fillers.push(await book(filler.certificate));
            }
            const issued = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() }, ...psych });
            return refusedBooking(bookings, issued.certificate, () => cancel(fillers[0]!));
          },
        },
        {
          name: 'the line fully booked, then that booking cancelled',
          async refused() {
            const issued = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
            const whole = await book(issued.certificate);
            return refusedBooking(bookings, issued.certificate, () => cancel(whole));
          },
        },
        {
          name: 'the certificate suspended, then resumed',
          async refused() {
            const issued = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
            const caseworker = await h.as('caseworker-73');
            await expectStatus(caseworker.post(`/v1/certificates/${issued.certificate.id}/suspend`, { reason: 'Проверка сведений о доходах' }), 200);
            return refusedBooking(bookings, issued.certificate, () => expectStatus(caseworker.post(`/v1/certificates/${issued.certificate.id}/resume`, {}), 200));
          },
        },
      ],
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
      refusals: [
        {
          name: 'units beyond the booking, then a dispute frees them',
          async refused() {
            const booked = await bookedAndAccepted(h, budgetProgrammeId, { lines: [{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 2, months: 1 }] });
            const provider = await h.as('zabota-staff');
            const path = `/v1/bookings/${booked.booking.id}/deliveries`;
            const whole = await provider.post(path, { id: randomUUID(), delivered_on: booked.certificate.general.valid_from, units: 2, staff: STAFF });
            if (whole.status !== 201) throw new Error(`act: ${whole.status} ${JSON.stringify(whole.body)}`);
            const body = { id: randomUUID(), delivered_on: booked.certificate.general.valid_from, units: 1, staff: STAFF };
            const renewed = { ...body, id: randomUUID() };
            acts.register(body.id, path);
            acts.register(renewed.id, path);
            return {
              body,
              renewed,
              removeCause: () => expectStatus((async () => (await h.as('caseworker-73')).post(`/v1/deliveries/${whole.body.id}/dispute`, { reason: 'Услуга не оказывалась' }))(), 200),
              state: async () => [await ledgerAccount(h, booked.certificate.id), (await provider.get(`/v1/deliveries/${body.id}`)).body?.status],
            };
          },
        },
      ],
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
    refusals: { none: 'an event is refused only for its own fields (an invalid SNILS, the schema); every valid event is accepted' },
  }),
  async () => ({
    name: 'certificates POST /v1/bulk-issues',
    send: async (body) => (await h.as('caseworker-73')).post('/v1/bulk-issues', body),
    fresh: async () => ({ id: randomUUID(), budget_programme_id: budgetProgrammeId, region_code: REGION, file_name: 'получатели.csv', csv: bulkFile(nextSnils()) }),
    altered: (body) => ({ ...body, csv: bulkFile(nextSnils()) }),
    refusals: {
      none: 'a file is refused as a whole only for its own fields (header, size, the budget programme’s region) or for a missing configuration (the region’s parameters, an unconnected queue) that the answer asks to fix; the refusals that change with the budget (budget_exhausted) are made per row by the job and kept with the accepted bulk issue',
    },
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

test.each(endpoints.map((make, index) => [NAMES[index]!, make] as const))('%s: a refused id stays refused and answers its first refusal once the cause is gone', async (name, make) => {
  const endpoint = await make();
  if ('none' in endpoint.refusals) {
    // No refusal of this endpoint can later turn into success; the reason is stated with the endpoint.
    expect(endpoint.refusals.none.length).toBeGreaterThan(20);
    return;
  }
  const violations: string[] = [];
  for (const refusal of endpoint.refusals) violations.push(...(await refusalViolations(endpoint, refusal)));
  expect(violations).toEqual([]);
}, 300_000);
