import { httpClient } from '@esc/testing';
import { computeCurrentMonths } from '../src/domain/deficits';
import { fundRegion, issueFor, nextSnils, REGION, startCertificates, ULYANOVSK, ZABOTA_ID, type CertificatesHarness } from './harness';

/**
 * The register of social deficits: demand from the certificates and programmes of a district against
 * the capacity the registry admitted there, month by month. Радищевский район has recognised demand
 * for home help and no admitted provider; admitting Zabota there through a selection round removes
 * the deficit in the next month's computation, and both months stay readable.
 */
let h: CertificatesHarness;
let budgetProgrammeId: string;
const RADISHCHEVO = '73636000';
const HOME_HELP = 'HOME-HOUSEHOLD-HOUR';
const today = new Date();
const month = (offset: number) => {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + offset, 1));
  return d.toISOString().slice(0, 7);
};
const THIS_MONTH = month(0);
const NEXT_MONTH = month(1);

beforeAll(async () => {
  h = await startCertificates('certificates-deficits');
  budgetProgrammeId = await fundRegion(h, '5000000.00');
}, 90_000);
afterAll(() => h?.stop());

const inRadishchevo = () => ({ snils: nextSnils(), district_code: RADISHCHEVO, address: 'р.п. Радищево, ул. Кооперативная, д. 3' });

/** A programme drawn and no certificate issued yet: the person waits for the certificate. */
async function programmeOnly(volume: number, district = RADISHCHEVO) {
  const caseworker = await h.as('caseworker-73');
  const recipient = await caseworker.post('/v1/recipients', {
    ...inRadishchevo(),
    district_code: district,
    region_code: REGION,
    last_name: 'Петрова',
    first_name: 'Анна',
    birth_date: '1945-05-01',
    own_income: '12000.00',
    categories: ['dementia'],
  });
  expect(recipient.status).toBe(201);
  const assessment = await caseworker.post('/v1/assessments', { recipient_id: recipient.body.id, reason: 'Заявление о социальном обслуживании на дому' });
  await caseworker.post(`/v1/assessments/${assessment.body.id}/decision`, { decision: 'recognised' });
  const programme = await caseworker.post(`/v1/assessments/${assessment.body.id}/programme`, { lines: [{ service_code: HOME_HELP, volume_per_month: volume, months: 6 }] });
  expect(programme.status).toBe(201);
}

async function admitZabotaIn(territory: string) {
  const registry = (user: string) => h.gateway.signIn(user).then((token) => httpClient(h.service.config.REGISTRY_URL, token));
  const asCommittee = await registry('committee-73');
  const opened = await asCommittee.post('/v1/rounds', {
    title: 'Отбор исполнителей услуг на дому, Радищевский район',
    region_code: REGION,
    territory: [territory],
    service_codes: [HOME_HELP],
    applications_open_at: new Date(Date.now() - 3600_000).toISOString(),
    applications_close_at: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    appeal_window_days: 10,
    scored_criteria: [{ code: 'experience_years', name: 'Опыт оказания услуг, лет', weight: '1', max_points: 10, source: 'auto' }],
    threshold: '1',
    sonko_preference_points: '0',
  });
  expect(opened.status).toBe(201);
  // The round admits only providers with a place of service in its territory: Zabota opens one there.
  const zabota = await registry('zabota-admin');
  const own = await zabota.get(`/v1/providers/${ZABOTA_ID}`);
  const located = await zabota.call('PATCH', `/v1/providers/${ZABOTA_ID}`, {
    locations: [...own.body.locations.map(({ address, district_code, lat, lon }: any) => ({ address, district_code, lat, lon })), { address: 'р.п. Радищево, ул. Свободы, д. 8', district_code: territory, lat: 52.8167, lon: 47.8667 }],
  });
  expect(located.status).toBe(200);
  const application = await (await registry('zabota-admin')).post(`/v1/rounds/${opened.body.id}/applications`, { service_codes: [HOME_HELP] });
  expect(application.status).toBe(201);
  if (application.body.status === 'admitted') return;
  const decided = await asCommittee.post(`/v1/rounds/${opened.body.id}/applications/${application.body.id}/decision`, { scores: {} });
  if (decided.body.status !== 'admitted') throw new Error(JSON.stringify([application.body, decided.body]));
}

const rowOf = (body: any, district: string, service = HOME_HELP) => body.items.find((r: any) => r.district_code === district && r.service_code === service);

test('A district with recognised demand and no admitted provider is a deficit of the waiting volume; admitting a provider with enough capacity resolves it next month; both months stay', async () => {
  // Two certificates in Радищево with no provider chosen, one person still without a certificate.
  await issueFor(h, budgetProgrammeId, { recipient: inRadishchevo(), lines: [{ service_code: HOME_HELP, volume_per_month: 20, months: 6 }] });
  await issueFor(h, budgetProgrammeId, { recipient: { ...inRadishchevo(), categories: ['disability-group-1'] }, lines: [{ service_code: HOME_HELP, volume_per_month: 12, months: 6 }] });
  await programmeOnly(8);
  // In Ульяновск the same service waits too, but Zabota's admitted capacity there takes it.
  await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() }, lines: [{ service_code: HOME_HELP, volume_per_month: 10, months: 6 }] });

  const committee = await h.as('committee-73');
  const first = await committee.post(`/v1/regions/${REGION}/deficits/computations`, { month: THIS_MONTH });
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({ region_code: REGION, month: THIS_MONTH, deficits: 1, deficit_volume: 40 });

  const register = await committee.get(`/v1/regions/${REGION}/deficits`);
  expect(register.status).toBe(200);
  expect(register.body).toMatchObject({ month: THIS_MONTH, previous_month: null, months: [THIS_MONTH] });
  expect(rowOf(register.body, RADISHCHEVO)).toMatchObject({
    service_name: expect.any(String),
    service_kind: 'household',
    recognised_people: 3,
    programme_volume: 40,
    lines_without_provider: 2,
    lines_waiting_booking: 0,
    uncertified_volume: 8,
    waiting_people: 3,
    vulnerable_people: 2,
    waiting_volume: 40,
    providers: 0,
    capacity: 0,
    free: 0,
    deficit: 40,
    categories: { dementia: 1, 'disability-group-1': 1 },
    previous_deficit: null,
    change: 'new',
  });
  expect(rowOf(register.body, RADISHCHEVO).waiting_days_max).toBeGreaterThanOrEqual(0);
  // Zabota's 400 hours a month are split over Ульяновск and Димитровград.
  expect(rowOf(register.body, ULYANOVSK)).toMatchObject({ waiting_volume: 10, providers: 1, capacity: 200, deficit: 0, change: 'none' });

  // The waiting list behind the figure: no names, what each line waits for.
  const waiting = await committee.get(`/v1/regions/${REGION}/deficits/waiting?district_code=${RADISHCHEVO}&service_code=${HOME_HELP}`);
  expect(waiting.status).toBe(200);
  expect(waiting.body.truncated).toBe(false);
  expect(waiting.body.items.map((i: any) => i.waits).sort()).toEqual(['certificate', 'provider', 'provider']);
  expect(JSON.stringify(waiting.body)).not.toContain('Петрова');

  await admitZabotaIn(RADISHCHEVO);
  const second = await committee.post(`/v1/regions/${REGION}/deficits/computations`, { month: NEXT_MONTH });
  expect(second.status).toBe(201);
  expect(second.body).toMatchObject({ month: NEXT_MONTH, deficits: 0, deficit_volume: 0 });

  const next = await committee.get(`/v1/regions/${REGION}/deficits?service_code=${HOME_HELP}`);
  expect(next.body).toMatchObject({ month: NEXT_MONTH, previous_month: THIS_MONTH, months: [THIS_MONTH, NEXT_MONTH] });
  // 400 a month over three districts now: 133 in Радищево, more than the 40 waiting.
  expect(rowOf(next.body, RADISHCHEVO)).toMatchObject({ waiting_volume: 40, providers: 1, capacity: 133, free: 133, deficit: 0, previous_deficit: 40, change: 'resolved' });

  // The history keeps the month as it was computed.
  const history = await committee.get(`/v1/regions/${REGION}/deficits?month=${THIS_MONTH}&district_code=${RADISHCHEVO}`);
  expect(history.status).toBe(200);
  expect(history.body.items).toEqual([expect.objectContaining({ district_code: RADISHCHEVO, deficit: 40, change: 'new' })]);
});

test('Clusters by district and problem carry the categories affected and the four criteria; the ranking follows the weights the region sets', async () => {
  // Барыш: three people recognised, no certificate yet (many people, nothing funded). Инза: one certificate waiting (few people, funded).
  const BARYSH = '73604000';
  const INZA = '73609000';
  for (let i = 0; i < 3; i++) await programmeOnly(4, BARYSH);
  await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils(), district_code: INZA, address: 'г. Инза, ул. Заводская, д. 2' }, lines: [{ service_code: HOME_HELP, volume_per_month: 6, months: 6 }] });
  const LATER = month(2);
  const committee = await h.as('committee-73');
  expect((await committee.post(`/v1/regions/${REGION}/deficits/computations`, { month: LATER })).status).toBe(201);

  const setWeights = async (weights: Record<string, string>) => {
    const res = await committee.call('PUT', `/v1/regions/${REGION}/deficits/weights`, weights);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ...weights, set_by: expect.stringContaining('committee') });
  };
  const ranking = async () => {
    const res = await committee.get(`/v1/regions/${REGION}/deficits/clusters?month=${LATER}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  const equal = await ranking();
  expect(equal.weights).toEqual({ relevance: '1', achievability: '1', budget_coverage: '1', social_effectiveness: '1' });
  const baryshCluster = equal.items.find((c: any) => c.district_code === BARYSH);
  expect(baryshCluster).toMatchObject({
    key: `${BARYSH}:household`,
    service_kind: 'household',
    services: [expect.objectContaining({ code: HOME_HELP, deficit: 12 })],
    deficit: 12,
    waiting_people: 3,
    categories: { dementia: 3 },
    criteria: { relevance: 1, budget_coverage: 0, social_effectiveness: 1 },
  });
  // Zabota's free hours in Ульяновск, Димитровград and Радищево exceed the 12 missing in Барыш.
  expect(baryshCluster.criteria.achievability).toBe(1);
  expect(equal.items.find((c: any) => c.district_code === INZA)).toMatchObject({ deficit: 6, waiting_people: 1, criteria: { relevance: 0.333, budget_coverage: 1, social_effectiveness: 0 } });

  await setWeights({ relevance: '1', achievability: '0', budget_coverage: '0', social_effectiveness: '0' });
  expect((await ranking()).items.map((c: any) => c.district_code)).toEqual([BARYSH, INZA]);

  await setWeights({ relevance: '0', achievability: '0', budget_coverage: '2.5', social_effectiveness: '0' });
  const byBudget = await ranking();
  expect(byBudget.weights).toEqual({ relevance: '0', achievability: '0', budget_coverage: '2.5', social_effectiveness: '0' });
  expect(byBudget.items.map((c: any) => [c.district_code, c.rank, c.score])).toEqual([
    [INZA, 1, 1],
    [BARYSH, 2, 0],
  ]);

  const allZero = await committee.call('PUT', `/v1/regions/${REGION}/deficits/weights`, { relevance: '0', achievability: '0', budget_coverage: '0', social_effectiveness: '0' });
  expect(allZero.status).toBe(400);
  expect(allZero.body.code).toBe('validation_failed');
  const caseworker = await (await h.as('caseworker-73')).call('PUT', `/v1/regions/${REGION}/deficits/weights`, { relevance: '1', achievability: '1', budget_coverage: '1', social_effectiveness: '1' });
  expect(caseworker.status).toBe(403);
});

test('The register is read by the committee and finance of the region, admins and auditors; computed by the committee, finance or admin; others are refused', async () => {
  const path = `/v1/regions/${REGION}/deficits`;
  for (const user of ['finance-73-a', 'auditor', 'admin']) expect((await (await h.as(user)).get(path)).status).toBe(200);
  for (const user of ['caseworker-73', 'citizen-ivanova', 'zabota-admin']) {
    const res = await (await h.as(user)).get(path);
    expect(res.status).toBe(403);
  }
  const auditorComputes = await (await h.as('auditor')).post(`${path}/computations`, {});
  expect(auditorComputes.status).toBe(403);
  expect(auditorComputes.body.code).toBe('outside_your_region');

  const badMonth = await (await h.as('committee-73')).get(`${path}?month=2026-13`);
  expect(badMonth.status).toBe(400);
  expect(badMonth.body.errors).toEqual([expect.objectContaining({ field: 'month' })]);
  // There is no year 0000 in PostgreSQL: refused as input, not failed in the query.
  const yearZero = await (await h.as('committee-73')).post(`${path}/computations`, { month: '0000-01' });
  expect(yearZero.status).toBe(400);
  expect(yearZero.body.errors).toEqual([expect.objectContaining({ field: 'month' })]);

  const notComputed = await (await h.as('committee-73')).get(`${path}?month=2020-01`);
  expect(notComputed.status).toBe(404);
  expect(notComputed.body).toMatchObject({ code: 'deficits_not_computed', detail: expect.stringContaining('2020-01') });
});

test('Two computations of the same month at once both succeed and leave one computation', async () => {
  const committee = await h.as('committee-73');
  const both = await Promise.all([0, 1].map(() => committee.post(`/v1/regions/${REGION}/deficits/computations`, { month: NEXT_MONTH })));
  expect(both.map((r) => r.status)).toEqual([201, 201]);
  const rows = await h.service.orm.em.fork().execute(`select count(*)::int as n from certificates.deficit_computations where month = ?`, [`${NEXT_MONTH}-01`]);
  expect(rows).toEqual([{ n: 1 }]);
});

test('The scheduled job computes the current month of every funded region', async () => {
  expect(await computeCurrentMonths(h.service.deps)).toBe(1);
  const register = await (await h.as('auditor')).get(`/v1/regions/${REGION}/deficits?month=${THIS_MONTH}`);
  expect(register.status).toBe(200);
  expect(register.body.months).toContain(THIS_MONTH);
  // Recomputed now, after the admission: Радищево's deficit of this month is gone too.
  expect(rowOf(register.body, RADISHCHEVO)).toMatchObject({ deficit: 0 });
});
