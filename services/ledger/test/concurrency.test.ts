import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { startLedger, transfer, type LedgerHarness } from './harness';

let ledger: LedgerHarness;

beforeAll(async () => {
  ledger = await startLedger('concurrency', { DB_POOL_MAX: 20, TRANSFER_BATCHES_IN_FLIGHT: 4 });
});
afterAll(async () => {
  await ledger?.stop();
});

const post = (...transfers: unknown[]) => ledger.writer.post('/v1/transfers', { transfers });

/** Deterministic pseudo-random numbers so a failing run can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('Under concurrency', () => {
  it('When 200 requests of 1.00 race for an account funded with 100.00, then exactly 100 succeed and the rest are insufficient_funds', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '100.00');

    const responses = await Promise.all(Array.from({ length: 200 }, () => post(transfer(certificate, payable, '1.00'))));
    const codes = responses.map((r) => (r.status === 200 ? r.body.results[0].status : r.body.code));
    expect(codes.filter((c) => c === 'created')).toHaveLength(100);
    expect(codes.filter((c) => c === 'insufficient_funds')).toHaveLength(100);
    expect(await ledger.balances(certificate)).toMatchObject({ debits_posted: '100.00', balance: { posted: '0.00', available: '0.00' } });
    expect((await ledger.balances(payable)).credits_posted).toBe('100.00');
    expect(await ledger.invariantsOk()).toBe(true);
  });

  it('When the same transfer id is sent 20 times at once, then it is created once and every other answer is exists', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '100.00');
    const t = transfer(certificate, payable, '7.00');
    const responses = await Promise.all(Array.from({ length: 20 }, () => post(t)));
    const statuses = responses.map((r) => r.body.results[0].status);
    expect(statuses.filter((s) => s === 'created')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'exists')).toHaveLength(19);
    expect((await ledger.balances(payable)).credits_posted).toBe('7.00');
  });

  it('When a hold is posted and voided at the same moment many times, then exactly one resolution wins', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '10.00');
    const hold = transfer(certificate, payable, '10.00', { flags: { pending: true } });
    await post(hold);
    const attempts = Array.from({ length: 30 }, (_, i) =>
      post({ id: randomUUID(), pending_id: hold.id, flags: i % 2 ? { post_pending: true } : { void_pending: true } }),
    );
    const codes = (await Promise.all(attempts)).map((r) => (r.status === 200 ? r.body.results[0].status : r.body.code));
    expect(codes.filter((c) => c === 'created')).toHaveLength(1);
    expect(codes.filter((c) => c === 'pending_already_resolved')).toHaveLength(29);
    expect(await ledger.invariantsOk()).toBe(true);
  });

  it('When many clients run random transfers, holds, posts, voids and linked chains over shared accounts, then balances match the accepted operations and every invariant holds', async () => {
    const random = rng(20261123);
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
    const amount = () => Money.fromKopecks(BigInt(1 + Math.floor(random() * 5000))).toString();

    const allocations = await Promise.all(Array.from({ length: 3 }, () => ledger.openAccount({ code: 'budget_allocation' })));
    const certificates = await Promise.all(Array.from({ length: 12 }, () => ledger.openAccount()));
    const payables = await Promise.all(Array.from({ length: 4 }, () => ledger.openAccount({ code: 'provider_payable' })));
    for (const a of allocations) await ledger.fund(a, '3000.00');
    const constrained = new Set([...allocations, ...certificates]);

    type Effect = { debit: string; credit: string; postedDelta: Money; pendingDelta: Money };
    const effects: Effect[] = [];
    const holds = new Map<string, { debit: string; credit: string; amount: Money }>();
    const openHolds: string[] = [];

    const record = (t: any, status: string) => {
      if (status !== 'created') return;
      const flags = t.flags ?? {};
      if (flags.post_pending || flags.void_pending) {
        const h = holds.get(t.pending_id)!;
        const posted = flags.post_pending ? (t.amount ? Money.parse(t.amount) : h.amount) : Money.zero();
        effects.push({ debit: h.debit, credit: h.credit, postedDelta: posted, pendingDelta: h.amount.negate() });
      } else {
        const amt = Money.parse(t.amount);
        if (flags.pending) {
          holds.set(t.id, { debit: t.debit_account_id, credit: t.credit_account_id, amount: amt });
          openHolds.push(t.id);
        }
        effects.push({ debit: t.debit_account_id, credit: t.credit_account_id, postedDelta: flags.pending ? Money.zero() : amt, pendingDelta: flags.pending ? amt : Money.zero() });
      }
    };

    const nextBatch = (): any[] => {
      const kind = random();
      if (kind < 0.3) return [transfer(pick(allocations), pick(certificates), amount())];
      if (kind < 0.5) return [transfer(pick(certificates), pick(payables), amount(), { flags: { pending: true }, timeout_seconds: 3600 })];
      if (kind < 0.7 && openHolds.length) {
        const holdId = openHolds.splice(Math.floor(random() * openHolds.length), 1)[0]!;
        const h = holds.get(holdId)!;
        if (random() < 0.5) return [{ id: randomUUID(), pending_id: holdId, flags: { void_pending: true } }];
        const partial = random() < 0.5 ? Money.fromKopecks(1n + BigInt(Math.floor(random() * Number(h.amount.toKopecks())))).toString() : undefined;
        return [{ id: randomUUID(), pending_id: holdId, flags: { post_pending: true }, ...(partial ? { amount: partial } : {}) }];
      }
      if (kind < 0.85) {
        const cert = pick(certificates);
        return [
          transfer(pick(allocations), cert, amount(), { flags: { linked: true } }),
          transfer(cert, pick(payables), amount(), { flags: { linked: true } }),
          transfer(cert, pick(payables), amount()),
        ];
      }
      return [transfer(pick(certificates), pick(payables), amount())];
    };

    let accepted = 0;
    let rejected = 0;
    const client = async () => {
      for (let i = 0; i < 40; i++) {
        const batch = nextBatch();
        const res = await post(...batch);
        const results = res.status === 200 ? res.body.results : res.body.results;
        expect(results).toHaveLength(batch.length);
        batch.forEach((t, k) => {
          record(t, results[k].status);
          if (results[k].status === 'created') accepted++;
          else rejected++;
        });
      }
    };
    await Promise.all(Array.from({ length: 16 }, client));
    expect(accepted).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(10);

    const expected = new Map<string, { dp: Money; cp: Money; dpe: Money; cpe: Money }>();
    const get = (id: string) => {
      if (!expected.has(id)) expected.set(id, { dp: Money.zero(), cp: Money.zero(), dpe: Money.zero(), cpe: Money.zero() });
      return expected.get(id)!;
    };
    for (const e of effects) {
      const d = get(e.debit);
      d.dp = d.dp.add(e.postedDelta);
      d.dpe = d.dpe.add(e.pendingDelta);
      const c = get(e.credit);
      c.cp = c.cp.add(e.postedDelta);
      c.cpe = c.cpe.add(e.pendingDelta);
    }
    for (const id of [...certificates, ...payables]) {
      const actual = await ledger.balances(id);
      const want = get(id);
      expect([actual.debits_posted, actual.credits_posted, actual.debits_pending, actual.credits_pending]).toEqual([
        want.dp.toString(),
        want.cp.toString(),
        want.dpe.toString(),
        want.cpe.toString(),
      ]);
      if (constrained.has(id)) expect(Money.parse(actual.balance.available).isNegative()).toBe(false);
    }
    expect(await ledger.invariantsOk()).toBe(true);
  });
});
