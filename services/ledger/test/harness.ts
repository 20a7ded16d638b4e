import { randomUUID } from 'node:crypto';
import { createTestDatabase, httpClient, startTestGateway, type HttpClient } from '@esc/testing';
import { createLedgerService, type LedgerService } from '../src/app';
import type { LedgerConfig } from '../src/config';

export interface LedgerHarness {
  service: LedgerService;
  url: string;
  /** Service token with ledger:write and ledger:read. */
  writer: HttpClient;
  /** Service token with ledger:read only. */
  reader: HttpClient;
  anonymous: HttpClient;
  tokenFor(clientId: string): Promise<string>;
  signIn(username: string): Promise<string>;
  openAccount(overrides?: Record<string, unknown>): Promise<string>;
  fund(accountId: string, amount: string): Promise<void>;
  balances(accountId: string): Promise<Record<string, any>>;
  invariantsOk(): Promise<boolean>;
  stop(): Promise<void>;
}

/** Starts a real gateway and ledger on random ports against a fresh database and Redis. */
export async function startLedger(label: string, overrides: Partial<LedgerConfig> = {}): Promise<LedgerHarness> {
  const db = await createTestDatabase(label);
  const gateway = await startTestGateway();
  const service = await createLedgerService({
    DATABASE_URL: db.url,
    JWKS_URL: gateway.jwksUrl,
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}`,
    JOBS_ENABLED: false,
    ...overrides,
  });
  const { url } = await service.start(0);
  const writer = httpClient(url, await gateway.serviceToken('bench'));
  const reader = httpClient(url, await gateway.serviceToken('audit-tool'));
  const treasury = randomUUID();
  await writer.post('/v1/accounts', {
    id: treasury,
    ledger: 'RUB',
    code: 'treasury_source',
    owner: { type: 'region', id: '73' },
    region_code: '73',
  });

  const harness: LedgerHarness = {
    service,
    url,
    writer,
    reader,
    anonymous: httpClient(url),
    tokenFor: (clientId) => gateway.serviceToken(clientId),
    signIn: (username) => gateway.signIn(username),
    async openAccount(fields = {}) {
      const id = randomUUID();
      const res = await writer.post('/v1/accounts', {
        id,
        ledger: 'RUB',
        code: 'certificate',
        owner: { type: 'certificate', id: id.slice(0, 8) },
        region_code: '73',
        ...fields,
      });
      if (res.status !== 201) throw new Error(`open account: ${res.status} ${JSON.stringify(res.body)}`);
      return id;
    },
    async fund(accountId, amount) {
      const res = await writer.post('/v1/transfers', {
        transfers: [{ id: randomUUID(), debit_account_id: treasury, credit_account_id: accountId, amount, code: 'fund' }],
      });
      if (res.status !== 200 || res.body.created !== 1) throw new Error(`fund: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async balances(accountId) {
      const res = await reader.get(`/v1/accounts/${accountId}`);
      return res.body;
    },
    async invariantsOk() {
      const res = await reader.get('/v1/audit/invariants');
      if (!res.body.ok) console.error(JSON.stringify(res.body, null, 2));
      return res.status === 200 && res.body.ok === true;
    },
    async stop() {
      await service.stop();
      await gateway.stop();
      await db.drop();
    },
  };
  return harness;
}

export const transfer = (debit: string, credit: string, amount: string, extra: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  debit_account_id: debit,
  credit_account_id: credit,
  amount,
  code: 'test',
  ...extra,
});
