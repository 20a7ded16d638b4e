import { startRegistry, type RegistryHarness } from './harness';
import { REHAB_ID, rehabRegistration, ZABOTA_ID, zabotaRegistration } from './fixtures';

let registry: RegistryHarness;

beforeAll(async () => {
  registry = await startRegistry('state_institution');
});
afterAll(async () => {
  await registry?.stop();
});

/** A regional social-service centre; its staff accounts carry ZABOTA_ID as their provider_id. */
const institution = (overrides: Record<string, unknown> = {}) =>
  zabotaRegistration({
    id: ZABOTA_ID,
    name: 'Областное государственное бюджетное учреждение социального обслуживания «Комплексный центр социального обслуживания „Доверие“»',
    short_name: 'ОГБУСО КЦСО «Доверие»',
    legal_form: 'Областное государственное бюджетное учреждение',
    type: 'state_institution',
    funding_mode: 'state_assignment',
    ...overrides,
  });

describe('State institutions in the registry', () => {
  it('When the committee enters an NGO or an institution of another region, then 403 with the reason; a citizen cannot register anything', async () => {
    const committee = await registry.as('committee-73');
    const ngo = await committee.post('/v1/providers', zabotaRegistration());
    expect(ngo.status).toBe(403);
    expect(ngo.body.code).toBe('self_registration_only');
    expect(ngo.body.detail).toContain('регистрируются сами');
    const elsewhere = await committee.post('/v1/providers', institution({ region_code: '77' }));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body).toMatchObject({ code: 'other_region', region_code: '77' });
    expect((await (await registry.as('citizen-ivanova')).post('/v1/providers', institution())).status).toBe(403);
    expect((await committee.get(`/v1/providers/${ZABOTA_ID}`)).status).toBe(404);
  });

  it('When a provider admin names another organisation’s id, then 403 and nothing is registered', async () => {
    const rehab = await registry.as('rehab-admin');
    const res = await rehab.post('/v1/providers', rehabRegistration({ id: ZABOTA_ID }));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('not_your_provider');
    expect((await rehab.get(`/v1/providers/${REHAB_ID}`)).status).toBe(404);
  });

  it('When the committee enters a state institution on its founder’s behalf, then it is an applicant with the committee in its history, its own admin runs it, and after selection citizens find it as state-assignment funded', async () => {
    const committee = await registry.as('committee-73');
    const registered = await committee.post('/v1/providers', institution());
    expect(registered.status).toBe(201);
    expect(registered.headers.get('location')).toBe(`/v1/providers/${ZABOTA_ID}`);
    expect(registered.body).toMatchObject({ id: ZABOTA_ID, type: 'state_institution', funding_mode: 'state_assignment', status: 'applicant' });
    const history = await committee.get(`/v1/providers/${ZABOTA_ID}/status-history`);
    expect(history.body.items).toEqual([
      expect.objectContaining({ from_status: null, to_status: 'applicant', actor: expect.stringMatching(/^committee:/), reason: expect.stringContaining('учредителя') }),
    ]);
    const again = await committee.post('/v1/providers', institution());
    expect(again.status).toBe(409);

    const admin = await registry.as('zabota-admin');
    expect((await admin.call('PATCH', `/v1/providers/${ZABOTA_ID}`, { contacts: { phone: '+78422000009', email: 'doverie@social73.ru' } })).status).toBe(200);
    const round = await committee.post('/v1/rounds', {
      title: 'Отбор исполнителей услуг на дому, 2027',
      region_code: '73',
      territory: ['73701000'],
      service_codes: ['HOME-HOUSEHOLD-HOUR'],
      applications_open_at: new Date(Date.now() - 3600_000).toISOString(),
      applications_close_at: new Date(Date.now() + 3600_000).toISOString(),
      appeal_window_days: 10,
      scored_criteria: [{ code: 'experience_years', name: 'Опыт оказания услуг, лет', weight: '10', max_points: 10, source: 'auto' }],
      threshold: '50',
    });
    const application = await admin.post(`/v1/rounds/${round.body.id}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] });
    expect(application.body.status).toBe('awaiting_scoring');
    const decided = await committee.post(`/v1/rounds/${round.body.id}/applications/${application.body.id}/decision`, { scores: {} });
    expect(decided.body.status).toBe('admitted');

    const found = await registry.anonymous.get('/v1/providers?service=HOME-HOUSEHOLD-HOUR');
    expect(found.body.items).toEqual([
      expect.objectContaining({ id: ZABOTA_ID, type: 'state_institution', funding_mode: 'state_assignment', short_name: 'ОГБУСО КЦСО «Доверие»' }),
    ]);
  });

  it('When a state institution’s own admin registers it, then it is registered like any provider', async () => {
    const rehab = await registry.as('rehab-admin');
    const res = await rehab.post(
      '/v1/providers',
      rehabRegistration({ name: 'Областное государственное казённое учреждение «Реабилитационный центр»', type: 'state_institution', funding_mode: 'state_assignment' }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: REHAB_ID, type: 'state_institution', funding_mode: 'state_assignment', status: 'applicant' });
  });
});
