import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createTestDatabase, httpClient, startTestGateway, type HttpClient, type TestDatabase, type TestGateway } from '@esc/testing';
import { certificatesFastRoutes } from 'certificates/src/api/routes';
import { createCertificatesService, type CertificatesService } from 'certificates/src/app';
import { bookedAndAccepted, fundRegion, type CertificatesHarness } from 'certificates/test/harness';
import { ledgerFastRoutes } from 'ledger/src/api/routes';
import { createLedgerService, type LedgerService } from 'ledger/src/app';
import { registryFastRoutes } from 'registry/src/api/public-search';
import { createRegistryService, type RegistryService } from 'registry/src/app';
import { seedRegistryDemo } from '../../infra/dev/seed-demo';

/**
 * Every route a service serves in front of Express (withFastRoutes) answers exactly as its Express
 * twin: the same request, sent once through each door, gets the same status, content type and body.
 * Each service listens twice on the same state: its usual listener (fast routes, then Express) and
 * its Express app alone. A request that changes state gets its own fixture on each door; the values
 * that differ between the two (fresh ids) and server clock readings are replaced by placeholders
 * before the comparison.
 */

interface Doors {
  fast: string;
  express: string;
}

interface Sent {
  method: 'GET' | 'POST';
  path: string;
  token?: string;
  /** Sent as is; with no content type given, none is sent. */
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

interface Prepared {
  request: Sent;
  /** Values that differ between the doors (fresh fixtures' ids), by the placeholder they become. */
  names?: Record<string, string>;
}

interface DoorCase {
  name: string;
  status: number;
  prepare(): Promise<Prepared>;
}

interface FastRouteCases {
  route: string;
  service: 'ledger' | 'certificates' | 'registry';
  method: string;
  /** A path the fast route matches. */
  samplePath: string;
  doors: () => Doors;
  cases: DoorCase[];
}

interface Answer {
  status: number;
  contentType: string | undefined;
  body: unknown;
}

/** An id no record has. */
const NOBODY = randomUUID();
const json = (value: unknown) => ({ body: JSON.stringify(value), contentType: 'application/json' });
const BOM = '\uFEFF';
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function send(baseUrl: string, sent: Sent): Promise<Answer> {
  const url = new URL(sent.path, baseUrl);
  const headers: Record<string, string | number> = { ...sent.headers };
  if (sent.token) headers.authorization = `Bearer ${sent.token}`;
  if (sent.contentType) headers['content-type'] = sent.contentType;
  if (sent.body !== undefined || sent.method === 'POST') headers['content-length'] = Buffer.byteLength(sent.body ?? '');
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: sent.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // compared as text
        }
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body });
      });
    });
    req.on('error', reject);
    req.end(sent.body);
  });
}

/** Door-specific values and clock readings as placeholders, so the two answers can be compared whole. */
function normalised(answer: Answer, names: Record<string, string> = {}): Answer {
  const entries = Object.entries(names).sort(([a], [b]) => b.length - a.length);
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (ISO_TIME.test(value)) return '<time>';
      return entries.reduce((text, [actual, placeholder]) => text.split(actual).join(`<${placeholder}>`), value);
    }
    if (Array.isArray(value)) return value.map(replace);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  return { ...answer, body: replace(answer.body) };
}

// ---- The services, each listening through both doors ----

let db: TestDatabase;
let gateway: TestGateway;
let ledger: LedgerService;
let registry: RegistryService;
let certificates: CertificatesService;
const doors: Record<'ledger' | 'registry' | 'certificates', Doors> = {} as never;
const expressServers: Server[] = [];
const tokens: Record<string, string> = {};
const token = (name: string) => () => tokens[name]!;
let ledgerWriter: HttpClient;
let harness: CertificatesHarness;
let budgetProgrammeId: string;

/** The service's usual listener, and its Express app alone on another port. */
async function bothDoors(service: { app: unknown; start(port: number): Promise<{ url: string }> }): Promise<Doors> {
  const fast = (await service.start(0)).url;
  const server = createServer(service.app as RequestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  expressServers.push(server);
  return { fast, express: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  db = await createTestDatabase('fast_routes_doors');
  gateway = await startTestGateway();
  const common = { DATABASE_URL: db.url, JWKS_URL: gateway.jwksUrl, LOG_LEVEL: 'silent', QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}` } as const;
  ledger = await createLedgerService({ ...common, JOBS_ENABLED: false });
  doors.ledger = await bothDoors(ledger);
  registry = await createRegistryService({ ...common, OUTBOX_RELAY_ENABLED: false, CONSUMERS_ENABLED: false, SEARCH_CACHE_TTL_MS: 0 });
  doors.registry = await bothDoors(registry);
  await seedRegistryDemo(gateway.url, doors.registry.fast);
  certificates = await createCertificatesService({
    ...common,
    GATEWAY_URL: gateway.url,
    LEDGER_URL: doors.ledger.fast,
    REGISTRY_URL: doors.registry.fast,
    OUTBOX_RELAY_ENABLED: false,
    JOBS_ENABLED: false,
  });
  doors.certificates = await bothDoors(certificates);

  for (const user of ['citizen-ivanova', 'zabota-staff', 'rehab-staff', 'caseworker-73']) tokens[user] = await gateway.signIn(user);
  tokens.writer = await gateway.serviceToken('bench');
  tokens.reader = await gateway.serviceToken('audit-tool');
  ledgerWriter = httpClient(doors.ledger.fast, tokens.writer);

  const clients = new Map<string, HttpClient>();
  harness = {
    service: certificates,
    gateway,
    url: doors.certificates.fast,
    ledgerUrl: doors.ledger.fast,
    async as(username) {
      if (!clients.has(username)) clients.set(username, httpClient(doors.certificates.fast, await gateway.signIn(username)));
      return clients.get(username)!;
    },
    asService: async (clientId, baseUrl = doors.certificates.fast) => httpClient(baseUrl, await gateway.serviceToken(clientId)),
    ledger: async () => httpClient(doors.ledger.fast, tokens.reader),
    outbox: async () => [],
    stop: async () => undefined,
  };
  budgetProgrammeId = await fundRegion(harness);
}, 180_000);

afterAll(async () => {
  for (const server of expressServers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await certificates?.stop();
  await registry?.stop();
  await ledger?.stop();
  await gateway?.stop();
  await db?.drop();
});

// ---- Fixtures: fresh on each door, so a write through one does not change what the other sees ----

/** A funded certificate account and a provider's payable account in the ledger. */
async function ledgerAccounts(funding = '100.00') {
  const open = async (code: string) => {
    const id = randomUUID();
    const res = await ledgerWriter.post('/v1/accounts', { id, ledger: 'RUB', code, owner: { type: code, id: id.slice(0, 8) }, region_code: '73' });
    if (res.status !== 201) throw new Error(`open ${code}: ${res.status} ${JSON.stringify(res.body)}`);
    return id;
  };
  const treasury = await open('treasury_source');
  const certificate = await open('certificate');
  const provider = await open('provider_payable');
  const funded = await ledgerWriter.post('/v1/transfers', { transfers: [{ id: randomUUID(), debit_account_id: treasury, credit_account_id: certificate, amount: funding, code: 'fund' }] });
  if (funded.body.created !== 1) throw new Error(`fund: ${JSON.stringify(funded.body)}`);
  return { certificate, provider, names: { [treasury]: 'treasury', [certificate]: 'certificate', [provider]: 'provider' } };
}

const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };

/** A booking with Zabota, accepted, for a new recipient's certificate. */
async function acceptedBooking() {
  // A few units a month each, so that every case's booking fits the provider's capacity.
  const { certificate, booking } = await bookedAndAccepted(harness, budgetProgrammeId, { lines: [{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 4, months: 1 }] });
  const names: Record<string, string> = { [booking.id]: 'booking', [certificate.id]: 'certificate', [certificate.number]: 'certificate_number' };
  for (const [key, value] of Object.entries(booking as Record<string, unknown>)) if (typeof value === 'string' && key.endsWith('_id') && !(value in names)) names[value] = `booking.${key}`;
  return { certificate, booking, names };
}

/** An act Zabota recorded on an accepted booking, held in the ledger and waiting for confirmation. */
async function recordedAct() {
  const { certificate, booking, names } = await acceptedBooking();
  const res = await httpClient(doors.certificates.express, tokens['zabota-staff']).post(`/v1/bookings/${booking.id}/deliveries`, {
    delivered_on: certificate.general.valid_from,
    units: 2,
    staff,
  });
  if (res.status !== 201) throw new Error(`record: ${res.status} ${JSON.stringify(res.body)}`);
  return { act: res.body, names: { ...names, [res.body.id]: 'act' } };
}

// ---- The fast routes the services register, and what is sent to each ----

const ledgerTransfers: FastRouteCases = {
  route: 'ledger POST /v1/transfers',
  service: 'ledger',
  method: 'POST',
  samplePath: '/v1/transfers',
  doors: () => doors.ledger,
  cases: [
    {
      name: 'a transfer that applies',
      status: 200,
      async prepare() {
        const { certificate, provider, names } = await ledgerAccounts();
        const id = randomUUID();
        return { request: { method: 'POST', path: '/v1/transfers', token: tokens.writer!, ...json({ transfers: [{ id, debit_account_id: certificate, credit_account_id: provider, amount: '30.00', code: 'redeem' }] }) }, names: { ...names, [id]: 'transfer' } };
      },
    },
    {
      name: 'a batch with a hold, a repeat and a refusal (outcome per transfer, with counts)',
      status: 200,
      async prepare() {
        const { certificate, provider, names } = await ledgerAccounts();
        const [hold, again, over] = [randomUUID(), randomUUID(), randomUUID()];
        const first = { id: again, debit_account_id: certificate, credit_account_id: provider, amount: '1.00', code: 'redeem' };
        await ledgerWriter.post('/v1/transfers', { transfers: [first] });
        const transfers = [
          { id: hold, debit_account_id: certificate, credit_account_id: provider, amount: '10.00', code: 'redeem', flags: { pending: true }, timeout_seconds: 600 },
          first,
          { id: over, debit_account_id: certificate, credit_account_id: provider, amount: '500.00', code: 'redeem' },
        ];
        return { request: { method: 'POST', path: '/v1/transfers', token: tokens.writer!, ...json({ transfers }) }, names: { ...names, [hold]: 'hold', [again]: 'again', [over]: 'over' } };
      },
    },
    {
      name: 'a lone transfer the balance does not cover (problem with the outcome)',
      status: 422,
      async prepare() {
        const { certificate, provider, names } = await ledgerAccounts('5.00');
        const id = randomUUID();
        return { request: { method: 'POST', path: '/v1/transfers', token: tokens.writer!, ...json({ transfers: [{ id, debit_account_id: certificate, credit_account_id: provider, amount: '5.01', code: 'redeem' }] }) }, names: { ...names, [id]: 'transfer' } };
      },
    },
    {
      name: 'a lone transfer to an account that does not exist',
      status: 404,
      async prepare() {
        const { certificate, names } = await ledgerAccounts();
        const [id, nobody] = [randomUUID(), randomUUID()];
        return { request: { method: 'POST', path: '/v1/transfers', token: tokens.writer!, ...json({ transfers: [{ id, debit_account_id: certificate, credit_account_id: nobody, amount: '1.00', code: 'redeem' }] }) }, names: { ...names, [id]: 'transfer', [nobody]: 'nobody' } };
      },
    },
    {
      name: 'a body that breaks the schema',
      status: 400,
      prepare: async () => ({ request: { method: 'POST', path: '/v1/transfers', token: tokens.writer!, ...json({ transfers: [{ id: 'x', amount: '1.001', flags: { pending: true, post_pending: true } }], extra: 1 }) } }),
    },
    {
      name: 'a body that is not JSON',
      status: 400,
      prepare: async () => ({ request: { method: 'POST', path: '/v1/transfers', token: tokens.writer!, body: '{"transfers": [', contentType: 'application/json' } }),
    },
    {
      name: 'JSON with a byte order mark',
      status: 400,
      prepare: async () => ({ request: { method: 'POST', path: '/v1/transfers', token: tokens.writer!, body: `${BOM}{"transfers": []}`, contentType: 'application/json' } }),
    },
    {
      name: 'an empty JSON body',
      status: 400,
      prepare: async () => ({ request: { method: 'POST', path: '/v1/transfers', token: tokens.writer!, body: '', contentType: 'application/json' } }),
    },
    {
      name: 'a gzip-compressed JSON body',
      status: 200,
      async prepare() {
        const { certificate, provider, names } = await ledgerAccounts();
        const id = randomUUID();
        const body = gzipSync(JSON.stringify({ transfers: [{ id, debit_account_id: certificate, credit_account_id: provider, amount: '1.00', code: 'redeem' }] }));
        return { request: { method: 'POST', path: '/v1/transfers', token: tokens.writer!, body, contentType: 'application/json', headers: { 'content-encoding': 'gzip' } }, names: { ...names, [id]: 'transfer' } };
      },
    },
    {
      name: 'an empty body said to be text',
      status: 415,
      prepare: async () => ({ request: { method: 'POST', path: '/v1/transfers', token: tokens.writer!, body: '', contentType: 'text/plain' } }),
    },
    {
      name: 'JSON said to be text',
      status: 415,
      prepare: async () => ({ request: { method: 'POST', path: '/v1/transfers', token: tokens.writer!, body: '{"transfers": []}', contentType: 'text/plain' } }),
    },
    {
      name: 'JSON in a charset other than UTF-8',
      status: 400,
      prepare: async () => ({ request: { method: 'POST', path: '/v1/transfers', token: tokens.writer!, body: '{"transfers": []}', contentType: 'application/json; charset=koi8-r' } }),
    },
    {
      name: 'no body and no content type',
      status: 400,
      prepare: async () => ({ request: { method: 'POST', path: '/v1/transfers', token: tokens.writer! } }),
    },
    {
      name: 'no token',
      status: 401,
      prepare: async () => ({ request: { method: 'POST', path: '/v1/transfers', ...json({ transfers: [] }) } }),
    },
    {
      name: 'a token that is not a JWT',
      status: 401,
      prepare: async () => ({ request: { method: 'POST', path: '/v1/transfers', token: 'not-a-token', ...json({ transfers: [] }) } }),
    },
    {
      name: 'a service token with ledger:read only',
      status: 403,
      prepare: async () => ({ request: { method: 'POST', path: '/v1/transfers', token: tokens.reader!, ...json({ transfers: [] }) } }),
    },
    {
      name: 'a person’s token',
      status: 403,
      prepare: async () => ({ request: { method: 'POST', path: '/v1/transfers', token: tokens['citizen-ivanova']!, ...json({ transfers: [] }) } }),
    },
  ],
};

const recordAct = (token: () => string, bookingPath: (booking: { id: string }) => string, body: (certificate: any) => unknown, status: number, name: string): DoorCase => ({
  name,
  status,
  async prepare() {
    const { certificate, booking, names } = await acceptedBooking();
    const act = randomUUID();
    return {
      request: { method: 'POST', path: bookingPath(booking), token: token(), ...json({ id: act, ...(body(certificate) as object) }) },
      names: { ...names, [act]: 'act' },
    };
  },
});
const actBody = (certificate: any) => ({ delivered_on: certificate.general.valid_from, units: 2, staff });

const certificatesDeliveries: FastRouteCases = {
  route: 'certificates POST /v1/bookings/:id/deliveries',
  service: 'certificates',
  method: 'POST',
  samplePath: `/v1/bookings/${NOBODY}/deliveries`,
  doors: () => doors.certificates,
  cases: [
    recordAct(token('zabota-staff'), (b) => `/v1/bookings/${b.id}/deliveries`, actBody, 201, 'the provider’s staff record an act'),
    recordAct(token('zabota-staff'), (b) => `/v1/bookings/${b.id}/deliveries`, (c) => ({ ...actBody(c), units: 100_000 }), 400, 'more units than the schema allows'),
    recordAct(token('zabota-staff'), (b) => `/v1/bookings/${b.id}/deliveries`, (c) => ({ ...actBody(c), units: 500 }), 422, 'more units than the booking has left'),
    recordAct(token('rehab-staff'), (b) => `/v1/bookings/${b.id}/deliveries`, actBody, 403, 'another provider’s staff'),
    recordAct(token('caseworker-73'), (b) => `/v1/bookings/${b.id}/deliveries`, actBody, 403, 'a case worker (not a provider role)'),
    recordAct(token('zabota-staff'), () => `/v1/bookings/${NOBODY}/deliveries`, actBody, 404, 'a booking that does not exist'),
    recordAct(token('zabota-staff'), () => '/v1/bookings/not-a-uuid/deliveries', actBody, 400, 'a booking id that is not a UUID'),
    recordAct(token('zabota-staff'), (b) => `/v1/bookings/%zz${b.id.slice(3)}/deliveries`, actBody, 400, 'a booking id with broken percent-encoding'),
    recordAct(token('zabota-staff'), (b) => `/v1/bookings/%${b.id.charCodeAt(0).toString(16)}${b.id.slice(1)}/deliveries`, actBody, 201, 'a booking id with a percent-encoded character'),
    {
      name: 'no token',
      status: 401,
      prepare: async () => ({ request: { method: 'POST', path: `/v1/bookings/${randomUUID()}/deliveries`, ...json({ units: 1 }) } }),
    },
    {
      name: 'a body that is not JSON',
      status: 400,
      prepare: async () => ({ request: { method: 'POST', path: `/v1/bookings/${randomUUID()}/deliveries`, token: tokens['zabota-staff']!, body: '{"units":', contentType: 'application/json' } }),
    },
  ],
};

const confirm = (token: () => string, path: (act: { id: string }) => string, sent: Pick<Sent, 'body' | 'contentType'>, status: number, name: string, before?: (act: { id: string }) => Promise<unknown>): DoorCase => ({
  name,
  status,
  async prepare() {
    const { act, names } = await recordedAct();
    await before?.(act);
    return { request: { method: 'POST', path: path(act), token: token(), ...sent }, names };
  },
});
const confirmPath = (act: { id: string }) => `/v1/deliveries/${act.id}/confirm`;

const certificatesConfirm: FastRouteCases = {
  route: 'certificates POST /v1/deliveries/:id/confirm',
  service: 'certificates',
  method: 'POST',
  samplePath: `/v1/deliveries/${NOBODY}/confirm`,
  doors: () => doors.certificates,
  cases: [
    confirm(token('caseworker-73'), confirmPath, json({}), 200, 'the case worker confirms the whole act'),
    confirm(token('caseworker-73'), confirmPath, json({ units: 1, dispute_reason: 'Пришли на час вместо двух' }), 200, 'a partial confirmation'),
    confirm(token('caseworker-73'), confirmPath, {}, 200, 'no body at all (confirms the whole act)'),
    confirm(token('caseworker-73'), confirmPath, { body: 'null', contentType: 'application/json' }, 200, 'a JSON null body'),
    confirm(token('caseworker-73'), confirmPath, json({ units: 0 }), 400, 'zero units (a dispute belongs to /dispute)'),
    confirm(token('caseworker-73'), confirmPath, json({ units: 'two' }), 400, 'a body that breaks the schema'),
    confirm(token('caseworker-73'), confirmPath, { body: `${BOM}{}`, contentType: 'application/json' }, 200, 'JSON with a byte order mark'),
    confirm(token('zabota-staff'), confirmPath, json({}), 403, 'the provider that recorded it'),
    confirm(token('citizen-ivanova'), confirmPath, json({}), 403, 'a citizen whose act it is not'),
    confirm(token('caseworker-73'), () => `/v1/deliveries/${NOBODY}/confirm`, json({}), 404, 'an act that does not exist'),
    confirm(token('caseworker-73'), (act) => `/v1/deliveries/${act.id}x/confirm`, json({}), 400, 'an act id that is not a UUID'),
    confirm(token('caseworker-73'), (act) => `/v1/deliveries/%zz${act.id.slice(3)}/confirm`, json({}), 400, 'an act id with broken percent-encoding'),
    confirm(
      token('caseworker-73'),
      confirmPath,
      json({}),
      409,
      'an act already confirmed',
      (act) => httpClient(doors.certificates.express, tokens['caseworker-73']).post(`/v1/deliveries/${act.id}/confirm`, {}),
    ),
    {
      name: 'no token',
      status: 401,
      prepare: async () => ({ request: { method: 'POST', path: `/v1/deliveries/${randomUUID()}/confirm`, ...json({}) } }),
    },
  ],
};

const search = (query: string, status: number, name: string, extra: Partial<Sent> = {}): DoorCase => ({
  name,
  status,
  prepare: async () => ({ request: { method: 'GET', path: `/v1/providers${query}`, ...extra } }),
});

const registrySearch: FastRouteCases = {
  route: 'registry GET /v1/providers',
  service: 'registry',
  method: 'GET',
  samplePath: '/v1/providers',
  doors: () => doors.registry,
  cases: [
    search('', 200, 'the first page'),
    search('?service=HOME-HOUSEHOLD-HOUR&sort=name&per_page=1&page=2', 200, 'a service, sorted by name, one a page'),
    search('?type=nko,sonko&accessibility=ramp', 200, 'lists in the query'),
    search('?lat=54.3&lon=48.4&sort=distance', 200, 'by distance from a point'),
    search('?type=nko&type=sonko', 400, 'a parameter repeated'),
    search('?per_page=0&sort=distance', 400, 'values out of range'),
    search('?color=red', 400, 'a parameter the search does not know'),
    search('?service=%zz', 400, 'broken percent-encoding in the query'),
    search('', 200, 'with a token that is not valid (the search is public)', { token: 'not-a-token' }),
    search('', 200, 'with an empty JSON body', { body: '', contentType: 'application/json' }),
  ],
};

const ROUTES = [ledgerTransfers, certificatesDeliveries, certificatesConfirm, registrySearch];

test('Every fast route a service registers has its cases here', () => {
  // Building the route lists touches none of their dependencies.
  const registered = {
    ledger: ledgerFastRoutes({} as never),
    certificates: certificatesFastRoutes({} as never),
    registry: registryFastRoutes(() => Promise.resolve('')),
  };
  for (const [service, routes] of Object.entries(registered)) {
    const tables = ROUTES.filter((t) => t.service === service);
    expect(tables).toHaveLength(routes.length);
    for (const route of routes) expect(tables.filter((t) => t.method === route.method && route.path.test(t.samplePath))).toHaveLength(1);
  }
});

describe.each(ROUTES)('$route', ({ doors: doorsOf, cases }) => {
  test.each(cases)('$name: both doors answer alike', async ({ status, prepare }) => {
    const { fast, express } = doorsOf();
    const throughFast = await prepare();
    const fastAnswer = normalised(await send(fast, throughFast.request), throughFast.names);
    const throughExpress = await prepare();
    const expressAnswer = normalised(await send(express, throughExpress.request), throughExpress.names);
    expect(fastAnswer).toEqual(expressAnswer);
    expect(fastAnswer.status).toBe(status);
  });
});
