import { randomUUID } from 'node:crypto';
import { httpClient } from '@esc/testing';
import { createLedgerService, type LedgerService } from '../src/app';
import { startLedger, transfer, type LedgerHarness } from './harness';

let ledger: LedgerHarness;
let second: LedgerService;
let secondUrl: string;

beforeAll(async () => {
  ledger = await startLedger('processes', { JOBS_ENABLED: true, HOLD_EXPIRY_EVERY_MS: 200 });
  second = await createLedgerService({ ...ledger.service.config, RUN_MIGRATIONS: false, JOBS_ENABLED: false });
  secondUrl = (await second.start(0)).url;
});
afterAll(async () => {
  await second?.stop();
  await ledger?.stop();
});

describe('Across processes and jobs', () => {
  it('When two ledger instances on one database take 200 racing requests for 100.00, then exactly 100 succeed', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '100.00');
    const token = await ledger.tokenFor('certificates');
    const clients = [httpClient(ledger.url, token), httpClient(secondUrl, token)];
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => clients[i % 2]!.post('/v1/transfers', { transfers: [transfer(certificate, payable, '1.00')] })),
    );
    const created = responses.filter((r) => r.status === 200 && r.body.results[0].status === 'created').length;
    const refused = responses.filter((r) => r.status === 422 && r.body.code === 'insufficient_funds').length;
    expect([created, refused]).toEqual([100, 100]);
    expect((await ledger.balances(certificate)).balance.available).toBe('0.00');
    expect(await ledger.invariantsOk()).toBe(true);
  });

  it('When a hold times out, then the scheduled BullMQ job voids it without anyone asking', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '15.00');
    const hold = transfer(certificate, payable, '15.00', { flags: { pending: true }, timeout_seconds: 1 });
    await ledger.writer.post('/v1/transfers', { transfers: [hold] });
    expect((await ledger.balances(certificate)).balance.available).toBe('0.00');

    let status = 'pending';
    for (let i = 0; i < 50 && status !== 'expired'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await ledger.reader.get(`/v1/transfers/${hold.id}`)).body.pending_status;
    }
    expect(status).toBe('expired');
    expect((await ledger.balances(certificate)).balance.available).toBe('15.00');
    expect(await ledger.invariantsOk()).toBe(true);
  });

  it('When the same reversal id is sent to both instances at once, then one reversal exists', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '9.00');
    const t = transfer(certificate, payable, '9.00');
    await ledger.writer.post('/v1/transfers', { transfers: [t] });
    const reversalId = randomUUID();
    const token = await ledger.tokenFor('certificates');
    const answers = await Promise.all(
      [ledger.url, secondUrl, ledger.url, secondUrl].map((url) => httpClient(url, token).post(`/v1/transfers/${t.id}/reverse`, { id: reversalId })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
    expect((await ledger.balances(payable)).credits_posted).toBe('9.00');
    expect((await ledger.balances(payable)).debits_posted).toBe('9.00');
  });
});
