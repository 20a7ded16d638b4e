import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, freePort, startDevIdentityProvider } from '@esc/testing';
import { createGateway } from 'gateway/src/app';
import { createLedgerService } from 'ledger/src/app';
import { createRegistryService } from 'registry/src/app';
import { createCertificatesService } from 'certificates/src/app';
import { createSettlementService } from 'settlement/src/app';
import { createNotificationsService } from 'notifications/src/app';
import { seedDemo } from '../../infra/dev/seed-demo';
import { seedCertificates } from '../../infra/dev/seed-certificates';

export const WEB_DIST_DIR = resolve(__dirname, '../../services/web/dist');

export interface WebStack {
  /** The gateway serving the web app and its /api: what the browser opens. */
  url: string;
  /** The gateway that signs tokens and serves the JWKS the services trust (same key as `url`). */
  tokenGatewayUrl: string;
  registryUrl: string;
  certificatesUrl: string;
  ledgerUrl: string;
  settlementUrl: string;
  notificationsUrl: string;
  /** The development ЕСИА the web app signs in through. */
  identityProviderUrl: string;
  /** The stack's database, for tests that wait on a service's own tables. */
  databaseUrl: string;
  /** A bearer token for a demo user, for acting through the services' APIs (the provider's side). */
  tokenFor(username: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The marketplace as `pnpm start` runs it, on random ports over a fresh database, with the demo data:
 * ledger, registry (events relayed), certificates, and the gateway serving the built web app and
 * proxying /api to them. Two gateway instances share one signing key: the services need the JWKS
 * URL when they start, and the app's gateway needs the services' URLs when it starts.
 */
export async function startWebStack(label: string, options: { certificatesJobs?: boolean } = {}): Promise<WebStack> {
  const db = await createTestDatabase(label);
  const keyFile = join(mkdtempSync(join(tmpdir(), 'esc-web-')), 'signing.pem');
  const silent = (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent';
  const tokenGateway = await createGateway({ JWT_PRIVATE_KEY_FILE: keyFile, LOG_LEVEL: silent } as never);
  const tokenGatewayUrl = (await tokenGateway.start(0)).url;
  const common = { DATABASE_URL: db.url, JWKS_URL: `${tokenGatewayUrl}/.well-known/jwks.json`, LOG_LEVEL: silent, QUEUE_PREFIX: `web-${randomUUID().slice(0, 8)}` } as const;

  const ledger = await createLedgerService({ ...common, JOBS_ENABLED: false });
  const ledgerUrl = (await ledger.start(0)).url;
  const settlementInbox = `settlement-inbox-${common.QUEUE_PREFIX}`;
  const registry = await createRegistryService({ ...common, SEARCH_CACHE_TTL_MS: 0, SETTLEMENT_INBOX_QUEUE: settlementInbox });
  const registryUrl = (await registry.start(0)).url;
  const certificates = await createCertificatesService({
    ...common,
    GATEWAY_URL: tokenGatewayUrl,
    LEDGER_URL: ledgerUrl,
    REGISTRY_URL: registryUrl,
    // Bulk issues run on the certificates job worker; the other pages do without it.
    JOBS_ENABLED: options.certificatesJobs ?? false,
    SETTLEMENT_QUEUE: settlementInbox,
  });
  const certificatesUrl = (await certificates.start(0)).url;
  const settlement = await createSettlementService({
    ...common,
    GATEWAY_URL: tokenGatewayUrl,
    LEDGER_URL: ledgerUrl,
    REGISTRY_URL: registryUrl,
    INBOX_QUEUE: settlementInbox,
    JOBS_QUEUE: `settlement-jobs-${common.QUEUE_PREFIX}`,
  });
  const settlementUrl = (await settlement.start(0)).url;
  // Certificates' relay routes the notices' events to its default queue under this stack's prefix.
  const notifications = await createNotificationsService(common);
  const notificationsUrl = (await notifications.start(0)).url;

  // The development ЕСИА needs the gateway's callback address before either starts.
  const webPort = await freePort();
  const identityProvider = await startDevIdentityProvider({ redirectUris: [`http://127.0.0.1:${webPort}/api/auth/callback`] });
  const web = await createGateway({
    JWT_PRIVATE_KEY_FILE: keyFile,
    DATABASE_URL: db.url,
    OIDC_DISCOVERY_URL: identityProvider.url,
    RATE_LIMIT_PER_ADDRESS: 10_000,
    RATE_LIMIT_PER_ACCOUNT: 10_000,
    LOG_LEVEL: silent,
    WEB_DIST_DIR,
    LEDGER_URL: ledgerUrl,
    REGISTRY_URL: registryUrl,
    CERTIFICATES_URL: certificatesUrl,
    SETTLEMENT_URL: settlementUrl,
    NOTIFICATIONS_URL: notificationsUrl,
    SESSION_PREFIX: `${common.QUEUE_PREFIX}:session:`,
  } as never);
  const url = (await web.start(webPort)).url;

  const quiet = () => undefined;
  await seedDemo({ gatewayUrl: tokenGatewayUrl, ledgerUrl, registryUrl, log: quiet });
  await seedCertificates({ gatewayUrl: tokenGatewayUrl, certificatesUrl, log: quiet });

  return {
    url,
    tokenGatewayUrl,
    registryUrl,
    certificatesUrl,
    ledgerUrl,
    settlementUrl,
    notificationsUrl,
    identityProviderUrl: identityProvider.url,
    databaseUrl: db.url,
    async tokenFor(username) {
      const res = await fetch(`${tokenGatewayUrl}/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
      if (!res.ok) throw new Error(`sign-in ${username}: ${res.status}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async stop() {
      await web.stop();
      await identityProvider.stop();
      await notifications.stop();
      await settlement.stop();
      await certificates.stop();
      await registry.stop();
      await ledger.stop();
      await tokenGateway.stop();
      await db.drop();
    },
  };
}
