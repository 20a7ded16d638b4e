import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, httpClient, startTestGateway, type HttpClient } from '@esc/testing';
import { createRegistryService, type RegistryDeps, type RegistryService } from '../src/app';
import type { RegistryConfig } from '../src/config';

export interface RegistryHarness {
  service: RegistryService;
  url: string;
  /** The gateway that signs the test's tokens (the demo seed signs in there). */
  gatewayUrl: string;
  anonymous: HttpClient;
  /** A client signed in as one of the gateway's demo users (committee-73, zabota-admin, …). */
  as(username: string): Promise<HttpClient>;
  /** A really signed token of a demo user, for raw fetch calls. */
  token(username: string): Promise<string>;
  outbox(topic: string): Promise<Array<{ id: string; payload: any }>>;
  stop(): Promise<void>;
}

/** A real gateway and registry on random ports, against a fresh database. */
export async function startRegistry(label: string, overrides: Partial<RegistryConfig> = {}, deps: RegistryDeps = {}): Promise<RegistryHarness> {
  const db = await createTestDatabase(label);
  const gateway = await startTestGateway();
  const documentsDir = mkdtempSync(join(tmpdir(), 'esc-registry-documents-'));
  const service = await createRegistryService({
    DATABASE_URL: db.url,
    JWKS_URL: gateway.jwksUrl,
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}`,
    OUTBOX_RELAY_ENABLED: false,
    DOCUMENTS_DIR: documentsDir,
    // Test files run side by side on one Redis: each consumes its own inbox.
    INBOX_QUEUE: `registry-inbox-${randomUUID().slice(0, 8)}`,
    ...overrides,
  }, deps);
  const { url } = await service.start(0);
  const clients = new Map<string, HttpClient>();
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    let t = tokens.get(username);
    if (!t) {
      t = await gateway.signIn(username);
      tokens.set(username, t);
    }
    return t;
  };
  return {
    service,
    url,
    gatewayUrl: gateway.url,
    anonymous: httpClient(url),
    async as(username) {
      let client = clients.get(username);
      if (!client) {
        client = httpClient(url, await token(username));
        clients.set(username, client);
      }
      return client;
    },
    token,
    async outbox(topic) {
      return service.orm.em.fork().execute(`select id, payload from registry.outbox where topic = ? order by seq`, [topic]);
    },
    async stop() {
      await service.stop();
      await gateway.stop();
      await db.drop();
      rmSync(documentsDir, { recursive: true, force: true });
    },
  };
}
