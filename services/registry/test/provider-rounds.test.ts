import { startRegistry, type RegistryHarness } from './harness';
import { REHAB_ID, rehabRegistration, ZABOTA_ID, zabotaRegistration } from './fixtures';

let registry: RegistryHarness;
const hour = 3600_000;

function roundBody(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Отбор исполнителей социально-бытовых услуг, Ульяновск, 2027',
    region_code: '73',
    territory: ['73701000'],
    service_codes: ['HOME-HOUSEHOLD-HOUR'],
    applications_open_at: new Date(Date.now() - hour).toISOString(),
    applications_close_at: new Date(Date.now() + 24 * hour).toISOString(),
    appeal_window_days: 10,
    scored_criteria: [{ code: 'qualified_staff', name: 'Доля квалифицированного персонала', weight: '3', max_points: 10, source: 'committee' }],
    threshold: '10',
    sonko_preference_points: '5',
    ...overrides,
  };
}

beforeAll(async () => {
  registry = await startRegistry('provider-rounds');
  for (const [user, body] of [
    ['zabota-admin', zabotaRegistration()],
    ['rehab-admin', rehabRegistration()],
  ] as const) {
    const res = await (await registry.as(user)).post('/v1/providers', body);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  }
});
afterAll(async () => {
  await registry?.stop();
});

test('When rounds are open, then a provider sees those that fit its services and territory, then its application in each it entered, and may withdraw one not yet decided', async () => {
  const committee = await registry.as('committee-73');
  const fitting = (await committee.post('/v1/rounds', roundBody())).body;
  const otherService = (await committee.post('/v1/rounds', roundBody({ title: 'Отбор: реабилитация детей', service_codes: ['CHILD-REHAB-COURSE'] }))).body;
  const elsewhere = (await committee.post('/v1/rounds', roundBody({ title: 'Отбор: Барыш', territory: ['73604000'] }))).body;
  const staff = await registry.as('zabota-staff');
  const before = await staff.get(`/v1/providers/${ZABOTA_ID}/rounds`);
  expect(before.status).toBe(200);
  const ids = before.body.items.map((i: any) => i.round.id);
  expect(ids).toContain(fitting.id);
  expect(ids).not.toContain(otherService.id);
  expect(ids).not.toContain(elsewhere.id);
  expect(before.body.items.find((i: any) => i.round.id === fitting.id)).toMatchObject({ fitting_services: ['HOME-HOUSEHOLD-HOUR'], application: null, round: { status: 'open' } });

  const admin = await registry.as('zabota-admin');
  const applied = await admin.post(`/v1/rounds/${fitting.id}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] });
  expect(applied.status).toBe(201);
  const after = (await staff.get(`/v1/providers/${ZABOTA_ID}/rounds`)).body.items.find((i: any) => i.round.id === fitting.id);
  expect(after.application).toMatchObject({ id: applied.body.id, status: 'awaiting_scoring' });

  expect((await staff.post(`/v1/rounds/${fitting.id}/applications/${applied.body.id}/withdraw`)).status).toBe(403);
  expect((await (await registry.as('rehab-admin')).post(`/v1/rounds/${fitting.id}/applications/${applied.body.id}/withdraw`)).body.code).toBe('not_your_application');
  const withdrawn = await admin.post(`/v1/rounds/${fitting.id}/applications/${applied.body.id}/withdraw`);
  expect([withdrawn.status, withdrawn.body.status]).toEqual([200, 'withdrawn']);
  expect((await admin.post(`/v1/rounds/${fitting.id}/applications/${applied.body.id}/withdraw`)).body.status).toBe('withdrawn');
  const decided = await committee.post(`/v1/rounds/${fitting.id}/applications/${applied.body.id}/decision`, { scores: { qualified_staff: 8 } });
  expect(decided.status).toBe(409);
  expect((await staff.get(`/v1/providers/${ZABOTA_ID}/rounds`)).body.items.find((i: any) => i.round.id === fitting.id).application.status).toBe('withdrawn');
});

test('When the committee has decided an application, then it cannot be withdrawn; and another provider cannot read the rounds of this one', async () => {
  const committee = await registry.as('committee-73');
  const round = (await committee.post('/v1/rounds', roundBody({ title: 'Отбор: второй' }))).body;
  const admin = await registry.as('zabota-admin');
  const applied = (await admin.post(`/v1/rounds/${round.id}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] })).body;
  const decided = await committee.post(`/v1/rounds/${round.id}/applications/${applied.id}/decision`, { scores: { qualified_staff: 8 } });
  expect(decided.status).toBe(200);
  const res = await admin.post(`/v1/rounds/${round.id}/applications/${applied.id}/withdraw`);
  expect([res.status, res.body.code, res.body.application_status]).toEqual([409, 'application_not_withdrawable', decided.body.status]);
  const foreign = await (await registry.as('rehab-admin')).get(`/v1/providers/${ZABOTA_ID}/rounds`);
  expect([foreign.status, foreign.body.code]).toEqual([403, 'not_your_provider']);
  expect((await (await registry.as('rehab-admin')).get(`/v1/providers/${REHAB_ID}/rounds`)).status).toBe(200);
});
