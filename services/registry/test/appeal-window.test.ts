import { startRegistry, type RegistryHarness } from './harness';
import { REHAB_ID, rehabRegistration } from './fixtures';

const day = 86_400_000;
/** The registry's clock, moved by the tests; tokens are still checked against the real time. */
let now = new Date('2027-03-01T07:00:00.000Z');
let registry: RegistryHarness;

const roundBody = (title: string) => ({
  title,
  region_code: '73',
  territory: ['73705000'],
  service_codes: ['CHILD-REHAB-COURSE'],
  applications_open_at: new Date(now.getTime() - day).toISOString(),
  applications_close_at: new Date(now.getTime() + day).toISOString(),
  appeal_window_days: 10,
  scored_criteria: [{ code: 'experience_years', name: 'Опыт оказания услуг, лет', weight: '1', max_points: 10, source: 'auto' }],
  threshold: '5',
});

/** Two rounds refuse the provider at the same moment: it has no licence for a service that needs one. */
async function refusedTwice(): Promise<Array<{ roundId: string; applicationId: string; deadline: string }>> {
  const committee = await registry.as('committee-73');
  const rehab = await registry.as('rehab-admin');
  const refused = [];
  for (const title of ['Отбор 2027, первая очередь', 'Отбор 2027, вторая очередь']) {
    const round = await committee.post('/v1/rounds', roundBody(title));
    const application = await rehab.post(`/v1/rounds/${round.body.id}/applications`, { service_codes: ['CHILD-REHAB-COURSE'] });
    if (application.body.status !== 'refused') throw new Error(JSON.stringify(application.body));
    refused.push({ roundId: round.body.id, applicationId: application.body.id, deadline: application.body.decision.refusal.appeal_deadline });
  }
  return refused;
}

beforeAll(async () => {
  registry = await startRegistry('appeal_window', {}, { now: () => now });
  const res = await (await registry.as('rehab-admin')).post('/v1/providers', rehabRegistration());
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
});
afterAll(async () => {
  await registry?.stop();
});

describe('The appeal window', () => {
  it('When an appeal is filed a moment after the deadline, then 409 appeal_window_closed with the deadline, and the refusal stands; at the deadline itself it is accepted', async () => {
    const [late, onTime] = await refusedTwice();
    expect(late!.deadline).toBe('2027-03-11T07:00:00.000Z');
    const rehab = await registry.as('rehab-admin');
    const reason = { reason: 'Лицензия получена, прошу пересмотреть решение' };

    now = new Date(new Date(late!.deadline).getTime() + 1);
    const refused = await rehab.post(`/v1/rounds/${late!.roundId}/applications/${late!.applicationId}/appeal`, reason);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'appeal_window_closed', appeal_deadline: late!.deadline });
    // 07:00 UTC is 11:00 in Ulyanovsk (UTC+4), the region's own clock, one hour ahead of Moscow's.
    expect(refused.body.detail).toBe('Срок подачи апелляции истёк 11.03.2027, 11:00 (МСК+1).');
    const stands = await rehab.get(`/v1/rounds/${late!.roundId}/applications/${late!.applicationId}`);
    expect(stands.body).toMatchObject({ provider_id: REHAB_ID, status: 'refused', appeal: null });

    now = new Date(onTime!.deadline);
    const accepted = await rehab.post(`/v1/rounds/${onTime!.roundId}/applications/${onTime!.applicationId}/appeal`, reason);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'appealed', appeal: { filed_at: onTime!.deadline } });
  });

  it('When a provider applies after the application window has closed, then 409 application_window_closed with the window dates', async () => {
    const committee = await registry.as('committee-73');
    const round = await committee.post('/v1/rounds', roundBody('Отбор 2027, третья очередь'));
    now = new Date(new Date(round.body.applications_close_at).getTime() + 1);
    const res = await (await registry.as('rehab-admin')).post(`/v1/rounds/${round.body.id}/applications`, { service_codes: ['CHILD-REHAB-COURSE'] });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'application_window_closed',
      applications_open_at: round.body.applications_open_at,
      applications_close_at: round.body.applications_close_at,
    });
    expect(res.body.detail).toContain('завершён');
  });
});

describe("The region's own date", () => {
  it("When it is already tomorrow in Ulyanovsk but still today in Moscow and UTC, then a cost version from tomorrow is in force and the public provider card shows it", async () => {
    const committee = await registry.as('committee-73');
    const published = await committee.post('/v1/catalog/services/DAYCARE-ELDERLY-DAY/costs', {
      region_code: '73',
      valid_from: '2027-03-16',
      amount: '1700.00',
      reason: 'Индексация нормативов с 16 марта 2027 года',
    });
    expect(published.status).toBe(201);

    // 20:30 UTC on 15 March: 23:30 in Moscow, 00:30 on 16 March in Ulyanovsk (UTC+4).
    now = new Date('2027-03-15T20:30:00.000Z');
    const inForce = await registry.anonymous.get('/v1/catalog/services/DAYCARE-ELDERLY-DAY/cost?region=73');
    expect(inForce.status).toBe(200);
    expect(inForce.body).toMatchObject({ unit_cost: '1700.00', valid_from: '2027-03-16' });

    now = new Date('2027-03-15T19:30:00.000Z');
    const before = await registry.anonymous.get('/v1/catalog/services/DAYCARE-ELDERLY-DAY/cost?region=73');
    expect(before.body.valid_from).not.toBe('2027-03-16');
  });

  it('When a region has no time zone configured, then its "today" is refused with 422 region_time_zone_unknown naming the region, not guessed in Moscow time', async () => {
    const res = await registry.anonymous.get('/v1/catalog/services/DAYCARE-ELDERLY-DAY/cost?region=99');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'region_time_zone_unknown', region_code: '99' });
    expect(res.body.detail).toContain('REGION_TIME_ZONES');
  });
});
