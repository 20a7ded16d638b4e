import { fundRegion, REGION, startCertificates, type CertificatesHarness } from './harness';

/** The finance cabinet lists a region's budget programmes with what the ledger holds on each allocation. */
let h: CertificatesHarness;
beforeAll(async () => {
  h = await startCertificates('certificates-budget-list');
}, 60_000);
afterAll(() => h?.stop());

test('When finance lists its region’s programmes, then each comes with funded, committed and available as the ledger holds them; another region and other roles are refused', async () => {
  const programmeId = await fundRegion(h, '1500.00');
  const finance = await h.as('finance-73-a');
  const res = await finance.get(`/v1/budget-programmes?region_code=${REGION}`);
  expect(res.status).toBe(200);
  expect(res.body.items.find((p: { id: string }) => p.id === programmeId)).toMatchObject({ id: programmeId, region_code: REGION, funded: '1500.00', committed: '0.00', available: '1500.00', held: '0.00', redeemed: '0.00', ledger_balance: '1500.00' });

  const auditor = await h.as('auditor');
  expect((await auditor.get(`/v1/budget-programmes?region_code=${REGION}`)).status).toBe(200);
  const other = await finance.get('/v1/budget-programmes?region_code=77');
  expect(other.status).toBe(403);
  expect(other.body.code).toBe('outside_your_region');
  expect((await (await h.as('citizen-ivanova')).get(`/v1/budget-programmes?region_code=${REGION}`)).status).toBe(403);
  const invalid = await finance.get('/v1/budget-programmes?region_code=7');
  expect(invalid.status).toBe(400);
  expect(invalid.body.code).toBe('validation_failed');
});
