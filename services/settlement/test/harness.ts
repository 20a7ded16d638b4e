import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { derivedTransferId, LedgerClient, ledgerAccountIds } from '@esc/ledger-client';
import { createTestDatabase, httpClient, startTestGateway, type HttpClient, type TestDatabase, type TestGateway } from '@esc/testing';
import { createLedgerService, type LedgerService } from 'ledger/src/app';
import { createSettlementService, type SettlementService } from '../src/app';
import { StaticProviderDirectory, type ProviderDetails } from '../src/clients/provider-directory';
import type { SettlementConfig } from '../src/config';

export const ZABOTA_ID = '6e9de740-d447-49a2-a48f-a219e95a9be5';
export const REHAB_ID = 'e655dfb4-3ead-4747-a1c1-0cd94bf43c7b';
export const STATE_ID = '0b7c5a0e-5d1f-4a43-9a43-73c0000000a1';
export const KLEVER_ID = '0b7c5a0e-5d1f-4a43-9a43-73c0000000b2';

export const PROVIDERS: ProviderDetails[] = [
  {
    id: ZABOTA_ID,
    name: 'Автономная некоммерческая организация «Центр социальной помощи „Забота“»',
    inn: '7830002293',
    kpp: '773601001',
    fundingMode: 'compensation',
    bank: { bic: '044525225', account: '40702817300000000001', bankName: 'ПАО Сбербанк', correspondentAccount: '30101810400000000225' },
  },
  {
    id: REHAB_ID,
    name: 'Общество с ограниченной ответственностью «Реабилитация Плюс»',
    inn: '7707083893',
    kpp: '773601001',
    fundingMode: 'compensation',
    bank: { bic: '047308602', account: '40702810969000001234', bankName: 'Ульяновское отделение № 8588 ПАО Сбербанк', correspondentAccount: '30101810000000000602' },
  },
  {
    id: STATE_ID,
    name: 'ОГБУ «Комплексный центр социального обслуживания населения»',
    inn: '7325017810',
    kpp: '732501001',
    fundingMode: 'state_assignment',
    bank: { bic: '017308101', account: '03224643730000006800', bankName: 'ОТДЕЛЕНИЕ УЛЬЯНОВСК БАНКА РОССИИ', correspondentAccount: null },
  },
  {
    id: KLEVER_ID,
    name: 'Индивидуальный предприниматель Клеверова Анна Петровна',
    inn: '732500123456',
    kpp: null,
    fundingMode: 'compensation',
    bank: { bic: '042202824', account: '40802810642000005678', bankName: 'ВОЛГО-ВЯТСКИЙ БАНК ПАО СБЕРБАНК', correspondentAccount: '30101810900000000603' },
  },
];

export interface Delivery {
  providerId: string;
  fundingMode?: 'compensation' | 'state_assignment';
  programmeId: string;
  programmeCode: string;
  serviceCode: string;
  serviceName?: string;
  unit?: string;
  units: number;
  unitCost: string;
  fee?: string;
  deliveredOn: string;
  regionCode?: string;
}

const cents = (s: string) => BigInt(s.replace('.', ''));
const rub = (c: bigint) => `${c < 0n ? '-' : ''}${(c < 0n ? -c : c) / 100n}.${String((c < 0n ? -c : c) % 100n).padStart(2, '0')}`;

export interface SettlementHarness {
  service: SettlementService;
  ledgerService: LedgerService;
  gateway: TestGateway;
  db: TestDatabase;
  url: string;
  ledgerUrl: string;
  config: Partial<SettlementConfig>;
  directory: StaticProviderDirectory;
  as(username: string): Promise<HttpClient>;
  /** Reads the ledger as an auditing tool would. */
  ledgerReader: HttpClient;
  /** The certificates service's side, simulated: ledger postings and redemption.posted events. */
  deliver(d: Delivery, options?: { eventId?: string; redemptionId?: string }): Promise<{ redemptionId: string; eventId: string; payload: Record<string, unknown> }>;
  /** An event into settlement's inbox as a relay adds it; `occurredAt` is when the publisher says it happened (now unless given). */
  publish(eventId: string, payload: unknown, topic?: string, occurredAt?: string): Promise<void>;
  /** A clawback on the provider's payable (certificates reversing a posted redemption). */
  clawback(providerId: string, amount: string): Promise<void>;
  fundTreasuryToPayable(providerId: string, amount: string): Promise<void>;
  balance(accountId: string): Promise<string>;
  account(accountId: string): Promise<any>;
  invariantsOk(): Promise<boolean>;
  consumed(count: number): Promise<void>;
  waitFor<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs?: number): Promise<T>;
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
  stopSettlement(): Promise<void>;
}

/** A real gateway, ledger and settlement on random ports against a fresh database and Redis. */
export async function startSettlement(
  label: string,
  overrides: Partial<SettlementConfig> = {},
  options: { clock?: () => Date } = {},
): Promise<SettlementHarness> {
  const db = await createTestDatabase(label);
  const gateway = await startTestGateway();
  const tag = randomUUID().slice(0, 8);
  const redisUrl = overrides.REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const ledgerService = await createLedgerService({
    DATABASE_URL: db.url,
    JWKS_URL: gateway.jwksUrl,
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: `test-ledger-${tag}`,
    JOBS_ENABLED: false,
  });
  const ledgerUrl = (await ledgerService.start(0)).url;
  const directory = new StaticProviderDirectory(PROVIDERS);
  const config: Partial<SettlementConfig> = {
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    JWKS_URL: gateway.jwksUrl,
    GATEWAY_URL: gateway.url,
    LEDGER_URL: ledgerUrl,
    LOG_LEVEL: (process.env.TEST_LOG_LEVEL as SettlementConfig['LOG_LEVEL']) ?? 'silent',
    QUEUE_PREFIX: `test-${tag}`,
    INBOX_QUEUE: `settlement-inbox-${tag}`,
    JOBS_QUEUE: `settlement-jobs-${tag}`,
    RECOVERY_EVERY_MS: 300,
    JOB_LOCK_MS: 3000,
    ...overrides,
  };
  const service = await createSettlementService(config, { providerDirectory: directory, clock: options.clock });
  const { url } = await service.start(0);
  let settlementStopped = false;

  const certificates = new LedgerClient({ baseUrl: ledgerUrl, token: () => gateway.serviceToken('certificates') });
  const ledgerReader = httpClient(ledgerUrl, await gateway.serviceToken('audit-tool'));
  const publisherConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const inbox = new Queue(config.INBOX_QUEUE!, { connection: publisherConnection, prefix: config.QUEUE_PREFIX });
  inbox.on('error', () => undefined); // the fault tests stop Redis under it on purpose
  const opened = new Set<string>();
  const clients = new Map<string, HttpClient>();

  const open = async (id: string, code: string, owner: { type: string; id: string }, regionCode = '73') => {
    if (opened.has(id)) return;
    await certificates.createAccount({ id, ledger: 'RUB', code: code as never, owner, region_code: regionCode });
    opened.add(id);
  };
  const post = async (transfers: Array<{ id: string; debit_account_id: string; credit_account_id: string; amount: string; code: string }>) => {
    const results = await certificates.submitTransfers(transfers);
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length) throw new Error(`ledger refused: ${JSON.stringify(failed)}`);
  };
  const treasury = ledgerAccountIds.treasurySource('73');

  const harness: SettlementHarness = {
    service,
    ledgerService,
    gateway,
    db,
    url,
    ledgerUrl,
    config,
    directory,
    ledgerReader,
    async as(username) {
      let client = clients.get(username);
      if (!client) {
        client = httpClient(url, await gateway.signIn(username));
        clients.set(username, client);
      }
      return client;
    },
    async deliver(d, options = {}) {
      const regionCode = d.regionCode ?? '73';
      const fee = d.fee ?? '0.00';
      const gross = rub(cents(d.unitCost) * BigInt(d.units));
      const amount = rub(cents(gross) - cents(fee));
      const certificateId = randomUUID();
      const allocation = ledgerAccountIds.budgetAllocation(d.programmeId);
      const payable = ledgerAccountIds.providerPayable(d.providerId);
      await open(treasury, 'treasury_source', { type: 'region', id: regionCode }, regionCode);
      await open(allocation, 'budget_allocation', { type: 'budget_programme', id: d.programmeId }, regionCode);
      await open(payable, 'provider_payable', { type: 'provider', id: d.providerId }, regionCode);
      await open(certificateId, 'certificate', { type: 'certificate', id: certificateId }, regionCode);
      const postId = randomUUID();
      await post([
        { id: randomUUID(), debit_account_id: treasury, credit_account_id: allocation, amount: gross, code: 'fund_programme' },
        { id: randomUUID(), debit_account_id: allocation, credit_account_id: certificateId, amount: gross, code: 'issue_certificate' },
        ...(cents(amount) > 0n ? [{ id: postId, debit_account_id: certificateId, credit_account_id: payable, amount, code: 'redeem' }] : []),
      ]);
      const redemptionId = options.redemptionId ?? randomUUID();
      const eventId = options.eventId ?? randomUUID();
      const payload = {
        redemption_id: redemptionId,
        certificate_id: certificateId,
        certificate_number: `73-${certificateId.slice(0, 8)}`,
        certificate_line_id: randomUUID(),
        booking_id: randomUUID(),
        provider_id: d.providerId,
        provider_funding_mode: d.fundingMode ?? PROVIDERS.find((p) => p.id === d.providerId)?.fundingMode ?? 'compensation',
        region_code: regionCode,
        budget_programme_id: d.programmeId,
        budget_programme_code: d.programmeCode,
        service_code: d.serviceCode,
        service_name: d.serviceName ?? 'Социально-бытовые услуги на дому',
        unit: d.unit ?? 'hour',
        units: d.units,
        unit_cost: d.unitCost,
        gross_amount: gross,
        fee_amount: fee,
        amount,
        delivered_on: d.deliveredOn,
        posted_at: new Date().toISOString(),
        ledger_transfer_id: postId,
        payable_account_id: payable,
      };
      await harness.publish(eventId, payload);
      return { redemptionId, eventId, payload };
    },
    async publish(eventId, payload, topic = 'redemption.posted', occurredAt = new Date().toISOString()) {
      // Exactly as the certificates (or registry) outbox relay adds it.
      await inbox.add(topic, { id: eventId, topic, occurred_at: occurredAt, payload }, {
        jobId: eventId,
        attempts: 10,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: false,
      });
    },
    async clawback(providerId, amount) {
      const certificateId = randomUUID();
      await open(certificateId, 'certificate', { type: 'certificate', id: certificateId });
      await post([
        { id: randomUUID(), debit_account_id: ledgerAccountIds.providerPayable(providerId), credit_account_id: certificateId, amount, code: 'reverse_redemption' },
      ]);
    },
    async fundTreasuryToPayable(providerId, amount) {
      const payable = ledgerAccountIds.providerPayable(providerId);
      await open(treasury, 'treasury_source', { type: 'region', id: '73' });
      await open(payable, 'provider_payable', { type: 'provider', id: providerId });
      await post([{ id: derivedTransferId(providerId, 'test-funding'), debit_account_id: treasury, credit_account_id: payable, amount, code: 'redeem' }]);
    },
    async balance(accountId) {
      const res = await ledgerReader.get(`/v1/accounts/${accountId}`);
      if (res.status === 404) return '0.00';
      return res.body.balance.posted;
    },
    async account(accountId) {
      return (await ledgerReader.get(`/v1/accounts/${accountId}`)).body;
    },
    async invariantsOk() {
      const res = await ledgerReader.get('/v1/audit/invariants');
      if (!res.body.ok) console.error(JSON.stringify(res.body, null, 2));
      return res.status === 200 && res.body.ok === true;
    },
    async consumed(count) {
      await harness.waitFor(
        `${count} events consumed`,
        async () => {
          const rows: Array<{ n: number }> = await service.orm.em
            .fork()
            .execute(`select count(*)::int as n from settlement.processed_events where consumer = 'settlement-redemptions'`);
          return rows[0]!.n;
        },
        (n) => n >= count,
      );
    },
    async waitFor(what, probe, done, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      while (Date.now() < deadline) {
        const value = await probe();
        last = value;
        if (done(value)) return value;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    },
    async stopSettlement() {
      if (settlementStopped) return;
      settlementStopped = true;
      await service.stop();
    },
    async stop(options = {}) {
      await inbox.close();
      publisherConnection.disconnect();
      await harness.stopSettlement();
      await ledgerService.stop();
      await gateway.stop();
      if (!options.keepDatabase) await db.drop();
    },
  };
  return harness;
}

export const fromBase64 = (s: string) => Buffer.from(s, 'base64');
export const toBase64 = (b: Buffer | string) => Buffer.from(b).toString('base64');
