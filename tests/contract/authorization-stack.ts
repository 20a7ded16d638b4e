import { generateKeyPairSync, randomUUID, sign as rsaSign, type KeyObject, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerAccountIds } from '@esc/ledger-client';
import { createTestDatabase, freePort, httpClient, startDevIdentityProvider, type HttpClient, type TestDatabase, type TestGateway } from '@esc/testing';
import { createCertificatesService, type CertificatesService } from 'certificates/src/app';
import { bookedAndAccepted, fundRegion, IVANOVA_SNILS, REHAB_ID, ZABOTA_ID, type CertificatesHarness } from 'certificates/test/harness';
import { createGateway } from 'gateway/src/app';
import { createLedgerService, type LedgerService } from 'ledger/src/app';
import { createRegistryService, type RegistryService } from 'registry/src/app';
import { createSettlementService, type SettlementService } from 'settlement/src/app';
import { createNotificationsService, type NotificationsService } from 'notifications/src/app';
import { createRedis, Queue, sqlOf } from '@esc/service-kit';
import { seedRegistryDemo } from '../../infra/dev/seed-demo';

/**
 * The five services on one fresh database, with the demo registry and one citizen's certificate
 * (Иванова's), booked with Zabota in region 73 and an act recorded on it: the objects every other
 * caller must be refused. Tokens are really signed — by the running gateway for demo users and
 * service clients, and with the gateway's own key (read from its key file) for the claims no demo
 * user has (another region's finance officer, an expired token, another audience…).
 */

export type Service = 'ledger' | 'registry' | 'certificates' | 'settlement' | 'notifications';

export const ISSUER = 'esc-gateway';
export const AUDIENCE = 'esc-marketplace';
export { REHAB_ID, ZABOTA_ID };

export interface Fixtures {
  budgetProgrammeId: string;
  recipientId: string;
  assessmentId: string;
  programmeId: string;
  certificateId: string;
  lineId: string;
  bookingId: string;
  deliveryId: string;
  roundId: string;
  applicationId: string;
  runId: string;
  period: string;
  payableAccountId: string;
  transferId: string;
  /** Иванова's notice of the act recorded on her certificate. */
  notificationId: string;
}

export interface Answer {
  status: number;
  contentType: string | null;
  body: any;
  text: string;
}

export interface Stack {
  urls: Record<Service, string>;
  gateway: TestGateway;
  fixtures: Fixtures;
  /** A token the gateway signs with its own key, with these claims over the usual ones. */
  forge(claims: Record<string, unknown>, options?: { key?: KeyObject; alg?: 'RS256' | 'none'; kid?: string }): string;
  send(service: Service, method: string, path: string, token?: string, body?: unknown): Promise<Answer>;
  stop(): Promise<void>;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function startStack(label: string): Promise<Stack> {
  const db: TestDatabase = await createTestDatabase(label);
  const keyDir = mkdtempSync(join(tmpdir(), 'esc-authz-'));
  const keyFile = join(keyDir, 'signing.pem');
  // The gateway with its accounts and the development ЕСИА, so its sign-in and admin operations answer as in production.
  const gatewayPort = await freePort();
  const identityProvider = await startDevIdentityProvider({ redirectUris: [`http://127.0.0.1:${gatewayPort}/api/auth/callback`] });
  const gatewayApp = await createGateway({
    JWT_PRIVATE_KEY_FILE: keyFile,
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.url,
    OIDC_DISCOVERY_URL: identityProvider.url,
    SESSION_PREFIX: `esc:authz:${randomUUID()}:`,
  } as never);
  const gatewayUrl = (await gatewayApp.start(gatewayPort)).url;
  const postGateway = async (path: string, body: unknown) => {
    const res = await fetch(`${gatewayUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const gateway: TestGateway = {
    url: gatewayUrl,
    jwksUrl: `${gatewayUrl}/.well-known/jwks.json`,
    serviceToken: (clientId, scope) => postGateway('/v1/auth/service-token', { client_id: clientId, client_secret: `dev-secret-${clientId}`, ...(scope ? { scope } : {}) }),
    signIn: (username) => postGateway('/v1/auth/sign-in', { username, password: 'demo' }),
    stop: async () => {
      await gatewayApp.stop();
      await identityProvider.stop();
    },
  };
  const gatewayKey = createPrivateKey(readFileSync(keyFile));
  const jwks = (await (await fetch(gateway.jwksUrl)).json()) as { keys: Array<{ kid: string }> };
  const gatewayKid = jwks.keys[0]!.kid;

  const forge: Stack['forge'] = (claims, options = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600, jti: randomUUID(), typ: 'user', roles: [], ...claims };
    if (options.alg === 'none') return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
    const signingInput = `${b64({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? gatewayKid })}.${b64(payload)}`;
    return `${signingInput}.${rsaSign('RSA-SHA256', Buffer.from(signingInput), options.key ?? gatewayKey).toString('base64url')}`;
  };

  const prefix = `test-${randomUUID().slice(0, 8)}`;
  const common = { DATABASE_URL: db.url, JWKS_URL: gateway.jwksUrl, LOG_LEVEL: (process.env.STACK_LOG_LEVEL ?? 'silent') as 'silent', QUEUE_PREFIX: prefix } as const;
  const ledger: LedgerService = await createLedgerService({ ...common, JOBS_ENABLED: false });
  const ledgerUrl = (await ledger.start(0)).url;
  const registry: RegistryService = await createRegistryService({ ...common, OUTBOX_RELAY_ENABLED: false, CONSUMERS_ENABLED: false, SEARCH_CACHE_TTL_MS: 0 });
  const registryUrl = (await registry.start(0)).url;
  await seedRegistryDemo(gateway.url, registryUrl);
  const certificates: CertificatesService = await createCertificatesService({
    ...common,
    GATEWAY_URL: gateway.url,
    LEDGER_URL: ledgerUrl,
    REGISTRY_URL: registryUrl,
    OUTBOX_RELAY_ENABLED: false,
    JOBS_ENABLED: false,
  });
  const certificatesUrl = (await certificates.start(0)).url;
  const tag = randomUUID().slice(0, 8);
  const settlement: SettlementService = await createSettlementService({
    ...common,
    GATEWAY_URL: gateway.url,
    LEDGER_URL: ledgerUrl,
    REGISTRY_URL: registryUrl,
    INBOX_QUEUE: `settlement-inbox-${tag}`,
    JOBS_QUEUE: `settlement-jobs-${tag}`,
  });
  const settlementUrl = (await settlement.start(0)).url;
  const notifications: NotificationsService = await createNotificationsService({ ...common, INBOX_QUEUE: `notifications-inbox-${tag}` });
  const notificationsUrl = (await notifications.start(0)).url;
  const urls: Record<Service, string> = { ledger: ledgerUrl, registry: registryUrl, certificates: certificatesUrl, settlement: settlementUrl, notifications: notificationsUrl };

  // ---- Иванова's certificate, booked with Zabota and accepted, an act recorded on it ----
  const clients = new Map<string, HttpClient>();
  const as = async (username: string, baseUrl = certificatesUrl) => {
    const key = `${username} ${baseUrl}`;
    if (!clients.has(key)) clients.set(key, httpClient(baseUrl, await gateway.signIn(username)));
    return clients.get(key)!;
  };
  const harness = {
    service: certificates,
    gateway,
    url: certificatesUrl,
    ledgerUrl,
    as: (username: string) => as(username),
    asService: async (clientId: string, baseUrl = certificatesUrl) => httpClient(baseUrl, await gateway.serviceToken(clientId)),
    ledger: async () => httpClient(ledgerUrl, await gateway.serviceToken('audit-tool')),
    outbox: async () => [],
    stop: async () => undefined,
  } as CertificatesHarness;
  const budgetProgrammeId = await fundRegion(harness);
  const booked = await bookedAndAccepted(harness, budgetProgrammeId, {
    recipient: { snils: IVANOVA_SNILS },
    lines: [{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 8, months: 2 }],
  });
  const act = await (await as('zabota-staff')).post(`/v1/bookings/${booked.booking.id}/deliveries`, {
    delivered_on: booked.certificate.general.valid_from,
    units: 2,
    staff: { name: 'Попова Анна Сергеевна', position: 'социальный работник' },
  });
  if (act.status !== 201) throw new Error(`act: ${act.status} ${JSON.stringify(act.body)}`);
  const notificationId = await noticeOfAct(certificates, notifications, act.body.id);

  const committee = await as('committee-73', registryUrl);
  const rounds = await committee.get('/v1/rounds');
  const roundId = rounds.body.items[0].id as string;
  const applications = await (await as('zabota-admin', registryUrl)).get(`/v1/rounds/${roundId}/applications`);
  const applicationId = applications.body.items[0].id as string;

  const period = String(booked.certificate.general.valid_from).slice(0, 7);
  const settlementFinance = await as('finance-73-a', settlementUrl);
  // The region's finance sets the programme's payout limit, as before a run: settlement knows its region from then on.
  const limit = await settlementFinance.call('PUT', `/v1/payout-limits/${budgetProgrammeId}/${period}`, { region_code: '73', amount: '100000.00' });
  if (limit.status !== 200) throw new Error(`payout limit: ${limit.status} ${JSON.stringify(limit.body)}`);
  const run = await settlementFinance.post('/v1/runs', { region_code: '73', period });
  if (run.status !== 202 && run.status !== 200) throw new Error(`run: ${run.status} ${JSON.stringify(run.body)}`);

  const fixtures: Fixtures = {
    budgetProgrammeId,
    recipientId: booked.recipientId,
    assessmentId: booked.assessmentId,
    programmeId: booked.programmeId,
    certificateId: booked.certificate.id,
    lineId: booked.line.line_id,
    bookingId: booked.booking.id,
    deliveryId: act.body.id,
    roundId,
    applicationId,
    runId: run.body.id,
    period,
    payableAccountId: ledgerAccountIds.providerPayable(ZABOTA_ID),
    transferId: randomUUID(),
    notificationId,
  };

  const send: Stack['send'] = async (service, method, path, token, body) => {
    const res = await fetch(`${urls[service]}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, contentType: res.headers.get('content-type'), body: parsed, text };
  };

  return {
    urls,
    gateway,
    fixtures,
    forge,
    send,
    async stop() {
      await notifications.stop();
      await settlement.stop();
      await certificates.stop();
      await registry.stop();
      await ledger.stop();
      await gateway.stop();
      await db.drop();
    },
  };
}

/** Hands the act's act.recorded event from the certificates outbox to the notifications queue, as the relay does, and answers the citizen's notice. */
async function noticeOfAct(certificates: CertificatesService, notifications: NotificationsService, deliveryId: string): Promise<string> {
  const event = await sqlOf(certificates.orm.em.fork()).one<{ id: string; topic: string; payload: unknown; occurred_at: string }>(
    `select id, topic, payload, occurred_at from certificates.outbox where topic = 'act.recorded' and payload ->> 'delivery_id' = $1`,
    [deliveryId],
  );
  if (!event) throw new Error(`no act.recorded event for ${deliveryId}`);
  const redis = createRedis(notifications.config.REDIS_URL);
  const queue = new Queue(notifications.config.INBOX_QUEUE, { connection: redis, prefix: notifications.config.QUEUE_PREFIX });
  await queue.add(event.topic, event, { jobId: event.id });
  await queue.close();
  redis.disconnect();
  const deadline = Date.now() + 15_000;
  for (;;) {
    const notice = await sqlOf(notifications.orm.em.fork()).one<{ id: string }>(`select id from notifications.notifications where subject_id = $1`, [deliveryId]);
    if (notice) return notice.id;
    if (Date.now() > deadline) throw new Error(`the notice of act ${deliveryId} did not arrive`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A key the gateway never published. */
export const strangerKey = (): KeyObject => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
