import { randomUUID } from 'node:crypto';
import { ledgerAccountIds } from '@esc/ledger-client';
import { httpClient, type HttpClient } from '@esc/testing';
import { createSettlementService, type SettlementService } from 'settlement/src/app';
import { fundRegion, issueFor, ledgerAccount, nextSnils, startCertificates, ZABOTA_ID, type CertificatesHarness } from '../../services/certificates/test/harness';

/**
 * Money from the budget to the provider across all five services: certificates publishes
 * redemption.posted through its outbox relay, settlement consumes it from its inbox, a finance
 * officer runs the period, a second one approves the payout batch, and the ledger shows each step.
 */
let h: CertificatesHarness;
let settlement: SettlementService;
let finance: HttpClient;
let financeSecond: HttpClient;
const inbox = `settlement-inbox-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  h = await startCertificates('e2e-money-path', { OUTBOX_RELAY_ENABLED: true, SETTLEMENT_QUEUE: inbox });
  const config = h.service.config;
  settlement = await createSettlementService({
    DATABASE_URL: config.DATABASE_URL,
    REDIS_URL: config.REDIS_URL,
    JWKS_URL: config.JWKS_URL,
    GATEWAY_URL: config.GATEWAY_URL,
    LEDGER_URL: config.LEDGER_URL,
    REGISTRY_URL: config.REGISTRY_URL,
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: config.QUEUE_PREFIX,
    INBOX_QUEUE: inbox,
    JOBS_QUEUE: `settlement-jobs-${randomUUID().slice(0, 8)}`,
    RECOVERY_EVERY_MS: 300,
  });
  const { url } = await settlement.start(0);
  finance = httpClient(url, await h.gateway.signIn('finance-73-a'));
  financeSecond = httpClient(url, await h.gateway.signIn('finance-73-b'));
}, 90_000);
afterAll(async () => {
  await settlement?.stop();
  await h?.stop();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('When confirmed acts reach settlement, then the approved batch moves exactly their value from the provider payable to payouts in transit', async () => {
  const budgetProgrammeId = await fundRegion(h, '500000.00');
  const { certificate } = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
  const citizenSide = await h.as('caseworker-73');
  const booking = await citizenSide.post(`/v1/certificates/${certificate.id}/bookings`, { line_id: certificate.services[0].line_id, provider_id: ZABOTA_ID });
  await (await h.as('zabota-admin')).post(`/v1/bookings/${booking.body.id}/accept`);
  const provider = await h.as('zabota-staff');
  const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };
  const deliveredOn = certificate.general.valid_from as string;
  const first = await provider.post(`/v1/bookings/${booking.body.id}/deliveries`, { delivered_on: deliveredOn, units: 5, staff });
  const second = await provider.post(`/v1/bookings/${booking.body.id}/deliveries`, { delivered_on: deliveredOn, units: 3, staff });
  await citizenSide.post(`/v1/deliveries/${first.body.id}/confirm`, {});
  await citizenSide.post(`/v1/deliveries/${second.body.id}/confirm`, { units: 2, dispute_reason: 'Один час не оказан' });
  const earned = '2186.80'; // 312.40 × (5 + 2)
  const payable = ledgerAccountIds.providerPayable(ZABOTA_ID);
  expect(await ledgerAccount(h, payable)).toMatchObject({ credits_posted: earned, debits_posted: '0.00' });

  const period = deliveredOn.slice(0, 7);
  expect((await finance.call('PUT', `/v1/payout-limits/${budgetProgrammeId}/${period}`, { region_code: '73', amount: '1000000.00' })).status).toBe(200);
  // The certificates relay and the settlement consumer run on their own: wait until settlement holds both redemptions.
  await until('settlement to receive both redemptions', async () => {
    const received = await settlement.orm.em.fork().execute(`select count(*)::int as n from settlement.redemptions where redemption_id in (?, ?)`, [first.body.id, second.body.id]);
    return received[0]!.n === 2 ? true : undefined;
  });
  const requested = await finance.post('/v1/runs', { region_code: '73', period });
  expect(requested.status).toBe(202);
  const run = await until('the run to complete', async () => {
    const current = await finance.get(`/v1/runs/${requested.body.id}`);
    return current.body.status === 'completed' ? current.body : undefined;
  });
  const lines = await finance.get(`/v1/runs/${run.id}/lines`);
  expect(lines.status).toBe(200);
  expect(JSON.stringify(lines.body)).toContain(earned);

  const batch = await finance.post(`/v1/runs/${run.id}/batch`);
  expect(batch.status).toBe(201);
  const selfApproval = await finance.post(`/v1/batches/${batch.body.id}/approve`);
  expect(selfApproval.status).toBe(403);
  expect((await financeSecond.post(`/v1/batches/${batch.body.id}/approve`)).status).toBeLessThan(300);
  await until('the batch to be approved', async () => {
    const current = await finance.get(`/v1/batches/${batch.body.id}`);
    return current.body.status === 'approved' ? current.body : undefined;
  });

  expect(await ledgerAccount(h, payable)).toMatchObject({ credits_posted: earned, debits_posted: earned });
  expect(await ledgerAccount(h, ledgerAccountIds.payoutsInTransit(batch.body.id))).toMatchObject({ credits_posted: earned });
  const exported = await finance.get(`/v1/batches/${batch.body.id}/export?format=csv`);
  expect(exported.status).toBe(200);
  const invariants = await (await h.ledger()).get('/v1/audit/invariants');
  expect(invariants.body.ok).toBe(true);
});
