import { startRegistry, type RegistryHarness } from './harness';
import { REHAB_ID, rehabRegistration, ZABOTA_ID, zabotaRegistration } from './fixtures';

let registry: RegistryHarness;
const hour = 3600_000;

function roundBody(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Отбор исполнителей услуг по социальному сертификату, Ульяновск и Димитровград, 2027',
    region_code: '73',
    territory: ['73701000', '73705000'],
    service_codes: ['HOME-HOUSEHOLD-HOUR', 'CHILD-REHAB-COURSE'],
    applications_open_at: new Date(Date.now() - hour).toISOString(),
    applications_close_at: new Date(Date.now() + 24 * hour).toISOString(),
    appeal_window_days: 10,
    scored_criteria: [
      { code: 'experience_years', name: 'Опыт оказания услуг, лет', weight: '2', max_points: 10, source: 'auto' },
      { code: 'accessibility', name: 'Условия доступности для инвалидов', weight: '1', max_points: 5, source: 'auto' },
      { code: 'qualified_staff', name: 'Доля квалифицированного персонала', weight: '3', max_points: 10, source: 'committee' },
    ],
    threshold: '40',
    sonko_preference_points: '5',
    ...overrides,
  };
}

beforeAll(async () => {
  registry = await startRegistry('rounds');
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

describe('A full selection round', () => {
  let roundId: string;
  let zabotaApplication: string;
  let rehabApplication: string;

  it('When the committee opens a round, then it is readable with its criteria, window and threshold', async () => {
    const committee = await registry.as('committee-73');
    const res = await committee.post('/v1/rounds', roundBody());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ threshold: '40', sonko_preference_points: '5', appeal_window_days: 10 });
    expect(res.body.formal_criteria).toContain('licence_present');
    roundId = res.body.id;
    expect((await (await registry.as('zabota-admin')).get(`/v1/rounds/${roundId}`)).body.id).toBe(roundId);
  });

  it('When a provider that meets every formal criterion applies, then the checks pass, it awaits scoring and goes under review', async () => {
    const zabota = await registry.as('zabota-admin');
    const res = await zabota.post(`/v1/rounds/${roundId}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('awaiting_scoring');
    expect(res.body.formal_results.map((c: any) => [c.code, c.result])).toEqual([
      ['identifiers_valid', 'pass'],
      ['registered_one_year', 'pass'],
      ['licence_present', 'pass'],
      ['location_in_territory', 'pass'],
      ['no_tax_arrears', 'pass'],
      ['not_bankrupt', 'pass'],
      ['not_liquidating', 'pass'],
      ['not_unscrupulous_supplier', 'pass'],
    ]);
    zabotaApplication = res.body.id;
    expect((await zabota.get(`/v1/providers/${ZABOTA_ID}`)).body.status).toBe('under_review');
    const again = await zabota.post(`/v1/rounds/${roundId}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_applied');
  });

  it('When a provider without the licence a service needs applies, then it is refused at once with the reason, what to fix and the appeal deadline', async () => {
    const rehab = await registry.as('rehab-admin');
    const res = await rehab.post(`/v1/rounds/${roundId}/applications`, { service_codes: ['CHILD-REHAB-COURSE'] });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('refused');
    const licence = res.body.decision.criteria.find((c: any) => c.code === 'licence_present');
    expect(licence).toMatchObject({ result: 'fail', detail: expect.stringContaining('CHILD-REHAB-COURSE') });
    const refusal = res.body.decision.refusal;
    expect(refusal).toMatchObject({ code: 'formal_criteria_failed', what_to_fix: [expect.stringContaining('лицензию')] });
    expect(refusal.reason).toContain('Лицензия на услуги');
    const deadline = new Date(refusal.appeal_deadline).getTime();
    expect(Math.abs(deadline - (Date.now() + 10 * 24 * hour))).toBeLessThan(60_000);
    rehabApplication = res.body.id;
  });

  it('When the committee scores without a committee criterion, then 400 names it; another provider cannot read the application', async () => {
    const committee = await registry.as('committee-73');
    const res = await committee.post(`/v1/rounds/${roundId}/applications/${zabotaApplication}/decision`, { scores: {} });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'scores_missing', errors: [{ field: 'scores.qualified_staff' }] });
    const rehab = await registry.as('rehab-admin');
    expect((await rehab.get(`/v1/rounds/${roundId}/applications/${zabotaApplication}`)).status).toBe(403);
    const own = await rehab.get(`/v1/rounds/${roundId}/applications`);
    expect(own.body.items.map((a: any) => a.provider_id)).toEqual([REHAB_ID]);
  });

  it('When the committee scores, then the decision lists every criterion with points and admission makes the provider admitted with an event', async () => {
    const committee = await registry.as('committee-73');
    const res = await committee.post(`/v1/rounds/${roundId}/applications/${zabotaApplication}/decision`, { scores: { qualified_staff: 6 } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('admitted');
    const scored = res.body.decision.criteria.filter((c: any) => c.kind !== 'formal');
    // experience: 24 full years capped at 10 × 2 = 20; accessibility: 2 features × 1 = 2; staff: 6 × 3 = 18; SONKO: +5
    expect(scored.map((c: any) => [c.code, c.points, c.weighted_points])).toEqual([
      ['experience_years', 10, '20'],
      ['accessibility', 2, '2'],
      ['qualified_staff', 6, '18'],
      ['sonko_preference', null, '5'],
    ]);
    expect(res.body.decision).toMatchObject({ outcome: 'admitted', total_points: '45', threshold: '40' });
    expect(res.body.decision.criteria).toHaveLength(8 + 4);

    const provider = await committee.get(`/v1/providers/${ZABOTA_ID}`);
    expect(provider.body.status).toBe('admitted');
    expect(provider.body.services.find((s: any) => s.service_code === 'HOME-HOUSEHOLD-HOUR')).toMatchObject({
      admitted: true,
      admitted_territory: ['73701000', '73705000'],
    });
    expect(provider.body.services.find((s: any) => s.service_code === 'HOME-PSYCH-VISIT').admitted).toBe(false);
    const events = await registry.outbox('provider.admitted');
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({ provider_id: ZABOTA_ID, status: 'admitted', services: [{ service_code: 'HOME-HOUSEHOLD-HOUR', admitted_territory: ['73701000', '73705000'] }] }),
    ]);
    const twice = await committee.post(`/v1/rounds/${roundId}/applications/${zabotaApplication}/decision`, { scores: { qualified_staff: 6 } });
    expect(twice.status).toBe(409);
    // The provider's people are told, once, in the decision's transaction.
    expect((await registry.outbox('round.application_decided')).map((e) => e.payload)).toEqual([
      expect.objectContaining({ application_id: zabotaApplication, provider_id: ZABOTA_ID, round_id: roundId, region_code: '73', outcome: 'admitted', total_points: '45', threshold: '40', refusal: null }),
    ]);
  });

  it('When the refused provider adds the licence and appeals in the window, then the committee decides again with a reason and admits it', async () => {
    const rehab = await registry.as('rehab-admin');
    const patched = await rehab.call('PATCH', `/v1/providers/${REHAB_ID}`, {
      licences: [
        {
          number: 'Л041-01187-73/00345678',
          issued_by: 'Министерство здравоохранения Ульяновской области',
          issued_at: '2024-02-01',
          service_codes: ['CHILD-REHAB-COURSE'],
        },
      ],
    });
    expect(patched.status).toBe(200);
    const appeal = await rehab.post(`/v1/rounds/${roundId}/applications/${rehabApplication}/appeal`, {
      reason: 'Лицензия на медицинскую деятельность получена 01.02.2024 и внесена в сведения о поставщике',
    });
    expect(appeal.status).toBe(200);
    expect(appeal.body.status).toBe('appealed');
    const second = await rehab.post(`/v1/rounds/${roundId}/applications/${rehabApplication}/appeal`, { reason: 'Повторная апелляция по тому же отказу' });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('appeal_not_allowed');

    const committee = await registry.as('committee-73');
    const decided = await committee.post(`/v1/rounds/${roundId}/applications/${rehabApplication}/appeal/decision`, {
      reason: 'Лицензия представлена, формальные требования выполнены',
      scores: { qualified_staff: 8 },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.decision.criteria.filter((c: any) => c.result === 'fail')).toEqual([expect.objectContaining({ code: 'sonko_preference' })]);
    expect(decided.body.status).toBe('admitted');
    // experience 10 × 2 = 20; accessibility 3 × 1 = 3; staff 8 × 3 = 24; not SONKO: 0
    expect(decided.body.decision).toMatchObject({ outcome: 'admitted', total_points: '47', reason: 'Лицензия представлена, формальные требования выполнены' });
    expect(decided.body.decision.criteria.find((c: any) => c.code === 'licence_present').result).toBe('pass');
    expect(decided.body.decision.criteria.find((c: any) => c.code === 'sonko_preference')).toMatchObject({ result: 'fail', weighted_points: '0' });
    expect(decided.body.appeal.previous_decision.refusal.code).toBe('formal_criteria_failed');
    const events = await registry.outbox('provider.admitted');
    expect(events.map((e) => e.payload.provider_id)).toEqual([ZABOTA_ID, REHAB_ID]);
    expect((await registry.outbox('round.appeal_decided')).map((e) => e.payload)).toEqual([
      expect.objectContaining({ application_id: rehabApplication, provider_id: REHAB_ID, outcome: 'admitted', reason: 'Лицензия представлена, формальные требования выполнены' }),
    ]);
  });

  it('When results are published, then anyone sees each provider’s outcome and points', async () => {
    const res = await registry.anonymous.get(`/v1/rounds/${roundId}/results`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => [i.provider_id, i.outcome, i.total_points])).toEqual([
      [ZABOTA_ID, 'admitted', '45'],
      [REHAB_ID, 'admitted', '47'],
    ]);
  });

  it('When an admitted provider scores below the threshold in another round, then the refusal says below_threshold with the points', async () => {
    const committee = await registry.as('committee-73');
    const round = await committee.post('/v1/rounds', roundBody({ title: 'Дополнительный отбор', service_codes: ['HOME-PSYCH-VISIT'] }));
    const zabota = await registry.as('zabota-admin');
    const application = await zabota.post(`/v1/rounds/${round.body.id}/applications`, { service_codes: ['HOME-PSYCH-VISIT'] });
    expect(application.body.status).toBe('awaiting_scoring');
    const res = await committee.post(`/v1/rounds/${round.body.id}/applications/${application.body.id}/decision`, { scores: { qualified_staff: 0 } });
    expect(res.body.status).toBe('refused');
    expect(res.body.decision.refusal).toMatchObject({ code: 'below_threshold', reason: 'Набрано 27 баллов при проходном значении 40.' });
    const notice = (await registry.outbox('round.application_decided')).find((e) => e.payload.application_id === application.body.id)!.payload;
    expect(notice).toMatchObject({ outcome: 'refused', round_title: 'Дополнительный отбор', refusal: { reason: 'Набрано 27 баллов при проходном значении 40.', appeal_deadline: res.body.decision.refusal.appeal_deadline } });
    expect(notice.refusal.what_to_fix.length).toBeGreaterThan(0);
    expect(notice.refusal.how_to_appeal).toEqual(expect.any(String));
    expect((await committee.get(`/v1/providers/${ZABOTA_ID}`)).body.status).toBe('admitted');
  });
});

describe('Windows and access', () => {
  it('When a provider applies before the window opens, then 409 application_window_closed with the window dates', async () => {
    const committee = await registry.as('committee-73');
    const open = new Date(Date.now() + 48 * hour).toISOString();
    const close = new Date(Date.now() + 96 * hour).toISOString();
    const round = await committee.post('/v1/rounds', roundBody({ applications_open_at: open, applications_close_at: close }));
    const zabota = await registry.as('zabota-admin');
    const res = await zabota.post(`/v1/rounds/${round.body.id}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'application_window_closed', applications_open_at: open, applications_close_at: close });
    expect(res.body.detail).toContain('ещё не начался');
    expect(res.body.detail).toContain(`${new Date(open).toLocaleString('ru-RU', { timeZone: 'Europe/Ulyanovsk' }).slice(0, 17)} (МСК+1)`);
  });

  it('When a round closes before it opens, has an unknown auto criterion or a provider opens one, then 400/403', async () => {
    const committee = await registry.as('committee-73');
    const bad = await committee.post(
      '/v1/rounds',
      roundBody({
        applications_close_at: new Date(Date.now() - 2 * hour).toISOString(),
        scored_criteria: [{ code: 'charm', name: 'Обаяние', weight: '1', max_points: 5, source: 'auto' }],
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['applications_close_at', 'scored_criteria[0].source']);
    const zabota = await registry.as('zabota-admin');
    expect((await zabota.post('/v1/rounds', roundBody())).status).toBe(403);
  });

  it('When a provider applies for a service outside the round, then 422 services_not_applicable explains which', async () => {
    const committee = await registry.as('committee-73');
    const round = await committee.post('/v1/rounds', roundBody({ service_codes: ['DAYCARE-ELDERLY-DAY'] }));
    const zabota = await registry.as('zabota-admin');
    const res = await zabota.post(`/v1/rounds/${round.body.id}/applications`, { service_codes: ['DAYCARE-ELDERLY-DAY'] });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'services_not_applicable', not_in_round: [], not_offered: ['DAYCARE-ELDERLY-DAY'] });
  });
});
