import { OneCFile } from './bank-files';
import { startSettlement, toBase64, type SettlementHarness } from './harness';
import { syntheticProviders } from './seed';

/**
 * What the finance cabinet reads besides the runs and batches themselves: the batch of a run, a batch
 * against the region's previous one per provider, the statements with how their lines matched, and
 * the period report cut to one provider or service in every format.
 */
const PROGRAMME = { id: '5f0c8f52-8d1e-4a3c-9d0b-73000000f001', code: 'SOC-HOME-73' };
const PAYER_ACCOUNT = '03221643730000006800';
const [A, B, C] = syntheticProviders(3, 'finance-views');

let h: SettlementHarness;
beforeAll(async () => {
  h = await startSettlement('finance_views');
  for (const p of [A!, B!, C!]) h.directory.put(p);
}, 60_000);
afterAll(() => h?.stop());

async function settle(period: string, deliveries: Array<{ provider: string; units: number; service?: string }>) {
  for (const d of deliveries) {
    await h.deliver({ providerId: d.provider, programmeId: PROGRAMME.id, programmeCode: PROGRAMME.code, serviceCode: d.service ?? 'HOME-HOUSEHOLD-HOUR', units: d.units, unitCost: '100.00', deliveredOn: `${period}-05` });
  }
  const a = await h.as('finance-73-a');
  await h.consumed(settled + deliveries.length);
  settled += deliveries.length;
  expect((await a.call('PUT', `/v1/payout-limits/${PROGRAMME.id}/${period}`, { region_code: '73', amount: '1000000.00' })).status).toBe(200);
  const run = (await a.post('/v1/runs', { region_code: '73', period })).body;
  await h.waitFor('run completed', async () => (await a.get(`/v1/runs/${run.id}`)).body.status, (s) => s === 'completed');
  return run.id as string;
}
let settled = 0;

test('When a run has no batch yet, then its batch is 404 batch_not_found; once formed, the same batch is answered to finance and control', async () => {
  const a = await h.as('finance-73-a');
  const runId = await settle('2026-08', [
    { provider: A!.id, units: 2 },
    { provider: B!.id, units: 1 },
  ]);
  const none = await a.get(`/v1/runs/${runId}/batch`);
  expect(none.status).toBe(404);
  expect(none.body.code).toBe('batch_not_found');
  const formed = (await a.post(`/v1/runs/${runId}/batch`)).body;
  expect((await a.get(`/v1/runs/${runId}/batch`)).body).toEqual(formed);
  expect((await (await h.as('auditor')).get(`/v1/runs/${runId}/batch`)).body.id).toBe(formed.id);
  expect((await (await h.as('zabota-admin')).get(`/v1/runs/${runId}/batch`)).status).toBe(403);
});

test('When the next period pays one provider more, drops one and adds one, then the comparison names each change against the previous batch', async () => {
  const a = await h.as('finance-73-a');
  const runId = await settle('2026-09', [
    { provider: A!.id, units: 3 },
    { provider: C!.id, units: 1 },
  ]);
  const batch = (await a.post(`/v1/runs/${runId}/batch`)).body;
  const previous = (await a.get(`/v1/runs/${(await a.get('/v1/runs?region_code=73')).body.items.find((r: any) => r.period === '2026-08').id}/batch`)).body;
  const res = await a.get(`/v1/batches/${batch.id}/comparison`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ batch_id: batch.id, period: '2026-09', previous: { batch_id: previous.id, period: '2026-08' }, total: '400.00', previous_total: '300.00', difference: '100.00' });
  const byProvider = Object.fromEntries(res.body.items.map((i: any) => [i.provider_id, i]));
  expect(byProvider[A!.id]).toMatchObject({ amount: '300.00', previous_amount: '200.00', difference: '100.00', change: 'changed', inn: A!.inn });
  expect(byProvider[B!.id]).toMatchObject({ amount: '0.00', previous_amount: '100.00', difference: '-100.00', change: 'gone' });
  expect(byProvider[C!.id]).toMatchObject({ amount: '100.00', previous_amount: '0.00', difference: '100.00', change: 'new' });
  // The region's first batch has nothing to compare with.
  expect((await a.get(`/v1/batches/${previous.id}/comparison`)).body).toMatchObject({ previous: null, previous_total: '0.00', difference: '300.00' });
  expect((await (await h.as('zabota-admin')).get(`/v1/batches/${batch.id}/comparison`)).status).toBe(403);
});

test('When the period report is cut to one provider or one service, then every format holds exactly those rows and their totals', async () => {
  const a = await h.as('finance-73-a');
  const runId = await settle('2026-10', [
    { provider: A!.id, units: 1 },
    { provider: A!.id, units: 2, service: 'HOME-PSYCH-VISIT' },
    { provider: B!.id, units: 4 },
  ]);
  const whole = (await a.get(`/v1/runs/${runId}/report`)).body;
  expect(whole.rows).toHaveLength(3);
  expect(whole.filtered).toBeUndefined();

  const ofA = (await a.get(`/v1/runs/${runId}/report?provider_id=${A!.id}`)).body;
  expect(ofA.filtered).toBe(true);
  expect(ofA.rows.map((r: any) => r.provider_id)).toEqual([A!.id, A!.id]);
  expect(ofA.totals).toMatchObject({ units: 3, gross_amount: '300.00', amount: '300.00' });
  expect(ofA.tie_out).toEqual(whole.tie_out);

  const psych = (await a.get(`/v1/runs/${runId}/report?service_code=HOME-PSYCH-VISIT`)).body;
  expect(psych.rows).toHaveLength(1);
  expect(psych.totals).toMatchObject({ units: 2, amount: '200.00' });

  const csv = await a.get(`/v1/runs/${runId}/report?format=csv&provider_id=${B!.id}`);
  expect(csv.status).toBe(200);
  const text = String(csv.body);
  const dataLines = text.split('\r\n').filter((l) => l.startsWith('2026-10;'));
  expect(dataLines).toHaveLength(1);
  expect(dataLines[0]).toContain(B!.inn);
  expect(text).toContain('Итого');

  const xlsx = await a.get(`/v1/runs/${runId}/report?format=xlsx&service_code=HOME-PSYCH-VISIT`);
  expect(xlsx.status).toBe(200);
  expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');

  const bad = await a.get(`/v1/runs/${runId}/report?provider_id=nope`);
  expect(bad.status).toBe(400);
  expect(bad.body.code).toBe('validation_failed');
});

test('When a statement is imported, then the region’s statement list counts its paid, returned and unmatched lines and the open discrepancies', async () => {
  const a = await h.as('finance-73-a');
  expect((await a.get('/v1/statements?region_code=73')).body.items).toEqual([]);
  const file = OneCFile.read('onec/donkombank-kl_to_1c.orig.txt').replace('40702810400000004583', PAYER_ACCOUNT);
  const imported = await a.post('/v1/statements', { format: '1c', file_name: 'kl_to_1c.txt', content_base64: toBase64(file.bytes()) });
  expect(imported.status).toBe(201);
  const list = (await a.get('/v1/statements?region_code=73')).body.items;
  expect(list).toHaveLength(1);
  const discrepancies = imported.body.lines.filter((l: any) => l.outcome === 'discrepancy').length;
  expect(list[0]).toMatchObject({ id: imported.body.id, format: '1c', file_name: 'kl_to_1c.txt', account: PAYER_ACCOUNT, lines: imported.body.lines.length, discrepancies, open_discrepancies: discrepancies });
  expect(discrepancies).toBeGreaterThan(0);
  const otherRegion = await a.get('/v1/statements?region_code=77');
  expect(otherRegion.status).toBe(403);
  expect(otherRegion.body.code).toBe('other_region');
  expect((await a.get('/v1/statements?region_code=7')).status).toBe(400);
});

test('When batches are approved, then the region’s payouts in transit are listed for matching by hand, and another region’s are refused', async () => {
  const a = await h.as('finance-73-a');
  const b = await h.as('finance-73-b');
  expect((await a.get('/v1/payouts?region_code=73&status=in_transit')).body.items).toEqual([]);
  const batch = (await a.get(`/v1/runs/${(await a.get('/v1/runs?region_code=73')).body.items.find((r: any) => r.period === '2026-08').id}/batch`)).body;
  expect((await b.post(`/v1/batches/${batch.id}/approve`)).status).toBe(202);
  await h.waitFor('batch approved', async () => (await a.get(`/v1/batches/${batch.id}`)).body.status, (s) => s === 'approved');
  const inTransit = (await a.get('/v1/payouts?region_code=73&status=in_transit')).body.items;
  expect(inTransit.map((p: any) => [p.provider_id, p.amount, p.batch_id]).sort()).toEqual(
    [
      [A!.id, '200.00', batch.id],
      [B!.id, '100.00', batch.id],
    ].sort(),
  );
  expect((await a.get('/v1/payouts?region_code=73&status=pending')).body.items.every((p: any) => p.status === 'pending')).toBe(true);
  expect((await a.get('/v1/payouts?region_code=77&status=in_transit')).status).toBe(403);
  expect((await a.get('/v1/payouts?region_code=73&status=lost')).status).toBe(400);
});

test('When some periods are settled, one batch is in transit and a line waits for its run, then the programme allocations say so per programme and period', async () => {
  const a = await h.as('finance-73-a');
  await h.deliver({ providerId: A!.id, programmeId: PROGRAMME.id, programmeCode: PROGRAMME.code, serviceCode: 'HOME-HOUSEHOLD-HOUR', units: 1, unitCost: '100.00', deliveredOn: '2026-11-05' });
  await h.consumed(settled + 1);
  settled += 1;
  const res = await a.get('/v1/programmes/allocations?region_code=73');
  expect(res.status).toBe(200);
  expect(res.body.programmes).toEqual([{ budget_programme_id: PROGRAMME.id, budget_programme_code: PROGRAMME.code, redeemed: '1500.00', settled: '1400.00', waiting: '100.00' }]);
  const byPeriod = Object.fromEntries(res.body.periods.map((p: any) => [p.period, p]));
  expect(byPeriod['2026-08']).toMatchObject({ budget_programme_id: PROGRAMME.id, settled: '300.00', carried: '0.00', in_transit: '300.00', paid: '0.00', returned: '0.00' });
  expect(byPeriod['2026-09']).toMatchObject({ settled: '400.00', in_transit: '0.00', paid: '0.00' });
  expect(byPeriod['2026-10']).toMatchObject({ settled: '700.00' });
  expect((await a.get('/v1/programmes/allocations?region_code=77')).status).toBe(403);
});
