import { randomUUID } from 'node:crypto';
import { httpClient } from '@esc/testing';
import { createRegistryService, type RegistryService } from 'registry/src/app';
import { seedRegistryDemo } from '../../../infra/dev/seed-demo';
import { KLEVER_ID, REHAB_ID, STATE_ID, ZABOTA_ID, startSettlement, type SettlementHarness } from './harness';

/**
 * Issue 17, settlement's side: the registry's provider.suspended / provider.excluded /
 * provider.admitted reach settlement's inbox (the registry relay routes them to SETTLEMENT_INBOX_QUEUE,
 * registry/test/events.test.ts) and are kept as the provider's standing. A run holds for review the
 * posted acts the region's rule catches; they stay payable and a later run pays them once the
 * standing or the rule allows.
 */
let h: SettlementHarness;
const HOME = { id: '5f0c8f52-8d1e-4a3c-9d0b-730000000c03', code: 'SOC-HOME-73' };
const SERVICE = 'HOME-HOUSEHOLD-HOUR';
let events = 0;

beforeAll(async () => {
  h = await startSettlement('settlement_standing');
  const finance = await h.as('finance-73-a');
  // Limits well above what is delivered, so only the standing rule leaves acts out.
  for (const period of ['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02']) {
    const set = await finance.call('PUT', `/v1/payout-limits/${HOME.id}/${period}`, { region_code: '73', amount: '1000000.00' });
    expect(set.status).toBe(200);
  }
}, 60_000);
afterAll(() => h?.stop());

async function deliver(providerId: string, deliveredOn: string, units: number) {
  const d = await h.deliver({ providerId, programmeId: HOME.id, programmeCode: HOME.code, serviceCode: SERVICE, units, unitCost: '350.00', deliveredOn });
  events++;
  return d;
}

/** The registry's provider status event as its relay publishes it, dated when the registry changed the status. */
async function standing(providerId: string, status: 'suspended' | 'excluded' | 'admitted', occurredAt: string, reason: string) {
  await h.publish(randomUUID(), { provider_id: providerId, from_status: 'admitted', status, reason, actor: 'committee:73', services: [] }, `provider.${status}`, occurredAt);
  events++;
}

async function run(period: string) {
  const finance = await h.as('finance-73-a');
  await h.consumed(events);
  const started = await finance.post('/v1/runs', { region_code: '73', period });
  expect(started.status).toBe(202);
  const done = await h.waitFor(`run ${period}`, async () => (await finance.get(`/v1/runs/${started.body.id}`)).body, (r) => r.status === 'completed');
  const lines = (await finance.get(`/v1/runs/${done.id}/lines`)).body.items as any[];
  const carried = (await finance.get(`/v1/runs/${done.id}/carryovers`)).body.items as any[];
  const batch = await finance.post(`/v1/runs/${done.id}/batch`);
  expect(batch.status).toBe(201);
  const payouts = (await finance.get(`/v1/batches/${batch.body.id}/payouts`)).body.items as any[];
  return { id: done.id as string, totals: done.totals, lines, carried, batch: batch.body, payouts };
}

const cents = (s: string) => Math.round(Number(s) * 100);
const paidTo = (r: Awaited<ReturnType<typeof run>>, providerId: string) => r.payouts.find((p) => p.provider_id === providerId);

/** What a run paid and held adds up to what was posted for it, and the batch pays what the lines say. */
function expectTiedOut(r: Awaited<ReturnType<typeof run>>, postedCents: number) {
  expect(cents(r.totals.amount) + cents(r.totals.held_amount)).toBe(postedCents);
  expect(cents(r.totals.carried_amount)).toBe(cents(r.totals.held_amount));
  expect(cents(r.batch.total)).toBe(cents(r.totals.compensation_amount));
}

describe('the region\'s rule', () => {
  test('When nobody has set it, then the defaults answer; finance of the region sets it, bad values and other regions are refused, and the change is in the audit log', async () => {
    const finance = await h.as('finance-73-a');
    const initial = await finance.get('/v1/standing-rules/73');
    expect(initial.status).toBe(200);
    expect(initial.body).toEqual({ region_code: '73', while_suspended: 'hold', when_excluded: 'pay_delivered_before', updated_by: null, updated_at: null });

    const bad = await finance.call('PUT', '/v1/standing-rules/7', { while_suspended: 'later', when_excluded: 'pay' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['region_code', 'when_excluded', 'while_suspended']);
    const otherRegion = await finance.call('PUT', '/v1/standing-rules/77', { while_suspended: 'pay', when_excluded: 'hold' });
    expect(otherRegion.status).toBe(403);
    expect(otherRegion.body).toMatchObject({ code: 'other_region', detail: expect.stringContaining('региону 77') });
    const auditor = await h.as('auditor');
    const notFinance = await auditor.call('PUT', '/v1/standing-rules/73', { while_suspended: 'pay', when_excluded: 'hold' });
    expect(notFinance.status).toBe(403);
    expect(notFinance.body.code).toBe('finance_only');
    expect((await (await h.as('zabota-admin')).get('/v1/standing-rules/73')).status).toBe(403);

    const set = await finance.call('PUT', '/v1/standing-rules/73', { while_suspended: 'hold', when_excluded: 'pay_delivered_before' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ region_code: '73', while_suspended: 'hold', when_excluded: 'pay_delivered_before', updated_by: expect.stringMatching(/^finance:/) });
    expect((await auditor.get('/v1/standing-rules/73')).body).toEqual(set.body);
    const log: any[] = (await auditor.get('/v1/audit-log?limit=1000')).body.items;
    expect(log.filter((r) => r.action === 'standing_rule.set')).toEqual([
      expect.objectContaining({ object_id: '73', before: { while_suspended: 'hold', when_excluded: 'pay_delivered_before' }, after: { while_suspended: 'hold', when_excluded: 'pay_delivered_before' } }),
    ]);
  });
});

describe('runs and a provider\'s standing', () => {
  const held: string[] = [];

  test('When a provider is suspended, then its posted acts are left out of the run and its batch and kept as held for review with the reason; the others are paid', async () => {
    const z1 = await deliver(ZABOTA_ID, '2026-09-05', 2); // 700.00
    const z2 = await deliver(ZABOTA_ID, '2026-09-20', 3); // 1050.00
    await deliver(KLEVER_ID, '2026-09-10', 1); // 350.00
    await deliver(STATE_ID, '2026-09-11', 1); // 350.00, state assignment: reported, never paid, so never held
    await standing(ZABOTA_ID, 'suspended', '2026-09-25T08:00:00Z', 'Проверка выявила нарушения стандарта ухода');
    await standing(STATE_ID, 'suspended', '2026-09-25T08:00:00Z', 'Проверка');

    const r = await run('2026-09');
    expect(r.totals).toMatchObject({ redemptions: 2, amount: '700.00', compensation_amount: '350.00', held_redemptions: 2, held_amount: '1750.00', carried_redemptions: 2 });
    expectTiedOut(r, 245000);
    expect(r.lines.map((l) => l.provider_id).sort()).toEqual([KLEVER_ID, STATE_ID].sort());
    expect(r.carried.map((c) => c.redemption_id).sort()).toEqual([z1.redemptionId, z2.redemptionId].sort());
    for (const c of r.carried) {
      expect(c).toMatchObject({ provider_id: ZABOTA_ID, reason_code: 'provider_suspended' });
      expect(c.reason).toContain('приостановлено с 25.09.2026 (Проверка выявила нарушения стандарта ухода)');
      expect(c.reason).toContain('после восстановления допуска');
    }
    expect(paidTo(r, ZABOTA_ID)).toBeUndefined();
    expect(paidTo(r, KLEVER_ID)).toMatchObject({ earned: '350.00', amount: '350.00' });
    held.push(z1.redemptionId, z2.redemptionId);

    // The provider's money page says how much is held and why.
    const money = await (await h.as('zabota-admin')).get(`/v1/providers/${ZABOTA_ID}/money`);
    expect(money.status).toBe(200);
    expect(money.body.unsettled).toMatchObject({ acts: 2, amount: '1750.00' });
    expect(money.body.held).toMatchObject({ acts: 2, amount: '1750.00', reason_code: 'provider_suspended' });
    expect(money.body.held.reason).toBe(
      'Участие в системе сертификатов приостановлено с 25.09.2026 (Проверка выявила нарушения стандарта ухода): акты ждут проверки и будут оплачены в расчёте после восстановления допуска.',
    );
    expect((await (await h.as('rehab-admin')).get(`/v1/providers/${KLEVER_ID}/money`)).status).toBe(403);

    const log: any[] = (await (await h.as('auditor')).get('/v1/audit-log?limit=1000')).body.items;
    expect(log.filter((e) => e.action === 'provider_standing.recorded' && e.object_id === ZABOTA_ID)).toEqual([
      expect.objectContaining({ actor: 'registry', after: expect.objectContaining({ status: 'suspended', reason: 'Проверка выявила нарушения стандарта ухода', changed_at: '2026-09-25T08:00:00Z' }) }),
    ]);
    expect(log.filter((e) => e.action === 'run.held_for_review')).toEqual([
      expect.objectContaining({ object_id: r.id, after: { rule: { while_suspended: 'hold', when_excluded: 'pay_delivered_before' }, held_redemptions: 2, held_amount: '1750.00' } }),
    ]);
  });

  test('When the provider is re-admitted, then the next run pays the held acts with the new ones', async () => {
    // An event older than the standing recorded (late or out of order) changes nothing.
    await standing(ZABOTA_ID, 'admitted', '2026-09-01T08:00:00Z', 'Допущен по итогам отбора');
    await standing(ZABOTA_ID, 'admitted', '2026-10-02T08:00:00Z', 'Нарушения устранены');
    await deliver(ZABOTA_ID, '2026-10-06', 1); // 350.00
    await h.consumed(events);
    const provider = await h.as('zabota-admin');
    const before = (await provider.get(`/v1/providers/${ZABOTA_ID}/money`)).body.held;
    expect(before).toMatchObject({ acts: 2, amount: '1750.00', reason_code: 'provider_suspended' });
    expect(before.reason).toContain('допуск восстановлен 02.10.2026, они будут оплачены в следующем расчёте');

    const r = await run('2026-10');
    expect(r.totals).toMatchObject({ redemptions: 3, amount: '2100.00', held_redemptions: 0, carried_redemptions: 0 });
    expectTiedOut(r, 210000);
    expect(paidTo(r, ZABOTA_ID)).toMatchObject({ earned: '2100.00', amount: '2100.00', status: 'pending' });
    const members: any[] = await h.service.orm.em.fork().execute(`select redemption_id from settlement.run_members where run_id = ?`, [r.id]);
    expect(members.map((m) => m.redemption_id)).toEqual(expect.arrayContaining(held));
    expect((await provider.get(`/v1/providers/${ZABOTA_ID}/money`)).body.held).toEqual({ acts: 0, amount: '0.00', reason_code: null, reason: null });
  });

  test('When the region\'s rule says pay while suspended, then a suspended provider\'s acts are paid', async () => {
    const finance = await h.as('finance-73-a');
    expect((await finance.call('PUT', '/v1/standing-rules/73', { while_suspended: 'pay', when_excluded: 'pay_delivered_before' })).status).toBe(200);
    await deliver(KLEVER_ID, '2026-11-03', 2); // 700.00
    await standing(KLEVER_ID, 'suspended', '2026-11-10T08:00:00Z', 'Плановая проверка');

    const r = await run('2026-11');
    expect(r.totals).toMatchObject({ redemptions: 1, amount: '700.00', held_redemptions: 0 });
    expectTiedOut(r, 70000);
    expect(paidTo(r, KLEVER_ID)).toMatchObject({ earned: '700.00', amount: '700.00' });
    expect((await finance.call('PUT', '/v1/standing-rules/73', { while_suspended: 'hold', when_excluded: 'pay_delivered_before' })).status).toBe(200);
  });

  test('When a provider is excluded, then acts delivered up to the exclusion date (the region\'s business date) are paid and later ones held for review', async () => {
    await deliver(REHAB_ID, '2026-12-01', 1); // 350.00
    await deliver(REHAB_ID, '2026-12-05', 2); // 700.00, the day of exclusion
    const late = await deliver(REHAB_ID, '2026-12-09', 4); // 1400.00
    // 21:30 UTC on the 4th is 01:30 on 5 December in Ulyanovsk (UTC+4): the exclusion date is the 5th.
    await standing(REHAB_ID, 'excluded', '2026-12-04T21:30:00Z', 'Исключён по итогам проверки');

    const r = await run('2026-12');
    expect(r.totals).toMatchObject({ redemptions: 2, amount: '1050.00', held_redemptions: 1, held_amount: '1400.00' });
    expectTiedOut(r, 245000);
    expect(r.carried).toEqual([expect.objectContaining({ redemption_id: late.redemptionId, provider_id: REHAB_ID, reason_code: 'provider_excluded', delivered_on: '2026-12-09', amount: '1400.00' })]);
    expect(r.carried[0].reason).toContain('исключён из реестра 05.12.2026 (Исключён по итогам проверки)');
    expect(r.carried[0].reason).toContain('оказана 09.12.2026, после даты исключения');
    expect(paidTo(r, REHAB_ID)).toMatchObject({ earned: '1050.00' });
    const money = (await (await h.as('rehab-admin')).get(`/v1/providers/${REHAB_ID}/money`)).body;
    expect(money.held).toMatchObject({ acts: 1, amount: '1400.00', reason_code: 'provider_excluded' });
    expect(money.held.reason).toContain('исключён из реестра 05.12.2026 (Исключён по итогам проверки): акты ждут проверки');
  });

  test('When the rule holds every act of an excluded provider, then an act delivered before the exclusion is held too, and the one held before stays held', async () => {
    const finance = await h.as('finance-73-a');
    expect((await finance.call('PUT', '/v1/standing-rules/73', { while_suspended: 'hold', when_excluded: 'hold' })).status).toBe(200);
    const early = await deliver(REHAB_ID, '2026-12-02', 1); // 350.00, posted late

    const r = await run('2027-01');
    expect(r.totals).toMatchObject({ redemptions: 0, amount: '0.00', held_redemptions: 2, held_amount: '1750.00' });
    expectTiedOut(r, 175000);
    expect(r.carried.map((c) => c.redemption_id)).toContain(early.redemptionId);
    for (const c of r.carried) expect(c.reason).toContain('все его неоплаченные акты ждут проверки');
    expect(r.payouts).toEqual([]);
  });
});

describe('the registry\'s own event', () => {
  let registry: RegistryService | undefined;
  afterAll(() => registry?.stop());

  test('When the committee suspends a provider in the real registry, then its relay brings the event to settlement\'s inbox and the next run holds the provider\'s act with the registry\'s reason', async () => {
    // Runs last: the demo seed admits the demo providers again (REHAB's exclusion above is overtaken).
    registry = await createRegistryService({
      DATABASE_URL: h.db.url,
      JWKS_URL: h.gateway.jwksUrl,
      LOG_LEVEL: 'silent',
      QUEUE_PREFIX: h.config.QUEUE_PREFIX,
      OUTBOX_RELAY_ENABLED: true,
      CONSUMERS_ENABLED: false,
      SETTLEMENT_INBOX_QUEUE: h.config.INBOX_QUEUE,
      CERTIFICATES_INBOX_QUEUE: `unused-certificates-inbox-${randomUUID().slice(0, 8)}`,
      NOTIFICATIONS_QUEUE: `unused-notifications-inbox-${randomUUID().slice(0, 8)}`,
    });
    const registryUrl = (await registry.start(0)).url;
    await seedRegistryDemo(h.gateway.url, registryUrl);
    const committee = httpClient(registryUrl, await h.gateway.signIn('committee-73'));
    const suspended = await committee.post(`/v1/providers/${ZABOTA_ID}/status`, { status: 'suspended', reason: 'Жалобы получателей на качество услуг' });
    expect(suspended.status).toBe(200);

    const em = () => h.service.orm.em.fork();
    await h.waitFor(
      'the suspension in settlement',
      async () => (await em().execute(`select status, reason from settlement.provider_standing where provider_id = ?`, [ZABOTA_ID]))[0],
      (row: any) => row?.status === 'suspended',
    );
    const act = await deliver(ZABOTA_ID, '2027-02-03', 1);
    await h.waitFor('the act in settlement', async () => (await em().execute(`select count(*)::int as n from settlement.unsettled where redemption_id = ?`, [act.redemptionId]))[0]!.n, (n: number) => n === 1);

    const r = await run('2027-02');
    expect(r.carried).toEqual(expect.arrayContaining([expect.objectContaining({ redemption_id: act.redemptionId, reason_code: 'provider_suspended', reason: expect.stringContaining('(Жалобы получателей на качество услуг)') })]));
    expect(r.lines.find((l) => l.provider_id === ZABOTA_ID)).toBeUndefined();
  }, 90_000);
});
