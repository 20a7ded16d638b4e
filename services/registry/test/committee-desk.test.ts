import { Decimal } from 'decimal.js';
import { startRegistry, type RegistryHarness } from './harness';
import { REHAB_ID, zabotaRegistration, rehabRegistration, ZABOTA_ID } from './fixtures';

/**
 * The committee's desk over HTTP: a round's window opened and closed now, the final results
 * published once everything is decided, a reason per criterion kept with the decision, the appeal
 * queue with its deadlines, and the registry of providers of every status.
 */
let registry: RegistryHarness;
const hour = 3600_000;

function roundBody(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Отбор для проверки кабинета комиссии',
    region_code: '73',
    territory: ['73701000', '73705000'],
    service_codes: ['HOME-HOUSEHOLD-HOUR', 'CHILD-REHAB-COURSE'],
    applications_open_at: new Date(Date.now() - hour).toISOString(),
    applications_close_at: new Date(Date.now() + 24 * hour).toISOString(),
    appeal_window_days: 10,
    scored_criteria: [
      { code: 'experience_years', name: 'Опыт оказания услуг, лет', weight: '2', max_points: 10, source: 'auto' },
      { code: 'qualified_staff', name: 'Доля квалифицированного персонала', weight: '3', max_points: 10, source: 'committee' },
    ],
    threshold: '40',
    sonko_preference_points: '5',
    ...overrides,
  };
}

beforeAll(async () => {
  registry = await startRegistry('committee-desk');
  for (const [user, body] of [
    ['zabota-admin', zabotaRegistration()],
    ['rehab-admin', rehabRegistration({ services: [{ service_code: 'HOME-HOUSEHOLD-HOUR', capacity_per_month: 30 }] })],
  ] as const) {
    const res = await (await registry.as(user)).post('/v1/providers', body);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  }
});
afterAll(async () => {
  await registry?.stop();
});

describe("A round's window and its final results", () => {
  it('When the committee opens an upcoming round now, then it takes applications at once and keeps its end; opening again is 409 round_not_upcoming', async () => {
    const committee = await registry.as('committee-73');
    const close = new Date(Date.now() + 48 * hour).toISOString();
    const round = (await committee.post('/v1/rounds', roundBody({ applications_open_at: new Date(Date.now() + 24 * hour).toISOString(), applications_close_at: close }))).body;
    expect(round.results_published_at).toBeNull();
    const opened = await committee.post(`/v1/rounds/${round.id}/open`);
    expect(opened.status).toBe(200);
    expect(Date.parse(opened.body.applications_open_at)).toBeLessThanOrEqual(Date.now());
    expect(opened.body.applications_close_at).toBe(close);
    const again = await committee.post(`/v1/rounds/${round.id}/open`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('round_not_upcoming');
    const provider = await (await registry.as('zabota-admin')).post(`/v1/rounds/${round.id}/open`);
    expect(provider.status).toBe(403);
  });

  it('When the committee closes an open round, then applications are refused with application_window_closed, and the results are published once every application is decided', async () => {
    const committee = await registry.as('committee-73');
    const round = (await committee.post('/v1/rounds', roundBody({ title: 'Отбор, закрытый досрочно' }))).body;
    const applied = await (await registry.as('zabota-admin')).post(`/v1/rounds/${round.id}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] });
    expect(applied.body.status).toBe('awaiting_scoring');

    const early = await committee.post(`/v1/rounds/${round.id}/publish`);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('round_not_decided');

    const closed = await committee.post(`/v1/rounds/${round.id}/close`);
    expect(closed.status).toBe(200);
    expect(Date.parse(closed.body.applications_close_at)).toBeLessThanOrEqual(Date.now());
    expect((await committee.post(`/v1/rounds/${round.id}/close`)).body.code).toBe('round_not_open');
    const late = await (await registry.as('rehab-admin')).post(`/v1/rounds/${round.id}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('application_window_closed');

    const pending = await committee.post(`/v1/rounds/${round.id}/publish`);
    expect(pending.status).toBe(409);
    expect(pending.body).toMatchObject({ code: 'round_not_decided', pending: 1 });

    const decided = await committee.post(`/v1/rounds/${round.id}/applications/${applied.body.id}/decision`, { scores: { qualified_staff: 8 } });
    expect(decided.body.status).toBe('admitted');
    const published = await committee.post(`/v1/rounds/${round.id}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.results_published_at).toEqual(expect.any(String));
    const replay = await committee.post(`/v1/rounds/${round.id}/publish`);
    expect(replay.body.results_published_at).toBe(published.body.results_published_at);
    expect((await committee.get(`/v1/rounds/${round.id}`)).body.results_published_at).toBe(published.body.results_published_at);
  });
});

describe('A decision with a reason per criterion, and the appeal queue', () => {
  let roundId: string;
  let rehabApplication: string;

  it('When the committee gives a reason per criterion, then each reason is kept beside the criterion; a reason for a criterion the round lacks is 400 unknown_criterion', async () => {
    const committee = await registry.as('committee-73');
    roundId = (await committee.post('/v1/rounds', roundBody({ title: 'Отбор с апелляцией' }))).body.id;
    rehabApplication = (await (await registry.as('rehab-admin')).post(`/v1/rounds/${roundId}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] })).body.id;

    const unknown = await committee.post(`/v1/rounds/${roundId}/applications/${rehabApplication}/decision`, { scores: { qualified_staff: 1 }, comments: { no_such: 'Причина' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('unknown_criterion');
    expect(unknown.body.errors).toEqual([{ field: 'comments.no_such', message: 'нет такого критерия в отборе' }]);

    const res = await committee.post(`/v1/rounds/${roundId}/applications/${rehabApplication}/decision`, {
      scores: { qualified_staff: 1 },
      comments: { qualified_staff: 'В штате один специалист с профильным образованием', experience_years: 'Опыт подтверждён выпиской ЕГРЮЛ' },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('refused');
    const byCode = Object.fromEntries(res.body.decision.criteria.map((c: any) => [c.code, c]));
    expect(byCode.qualified_staff.comment).toBe('В штате один специалист с профильным образованием');
    expect(byCode.experience_years.comment).toBe('Опыт подтверждён выпиской ЕГРЮЛ');
    expect(byCode.identifiers_valid.comment).toBeUndefined();
  });

  it('When the refused provider appeals, then the appeal waits in the queue with its deadline and the decision appealed against, and leaves it once decided', async () => {
    const committee = await registry.as('committee-73');
    expect((await committee.get('/v1/appeals')).body.items).toEqual([]);
    const filed = await (await registry.as('rehab-admin')).post(`/v1/rounds/${roundId}/applications/${rehabApplication}/appeal`, { reason: 'Квалификация персонала подтверждена дипломами' });
    expect(filed.status).toBe(200);

    const queue = (await committee.get('/v1/appeals')).body.items;
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ application_id: rehabApplication, round_id: roundId, round_title: 'Отбор с апелляцией', provider_id: REHAB_ID, provider_name: 'ООО «Реабилитация Плюс»', status: 'appealed', overdue: false, decision: null });
    expect(Date.parse(queue[0].respond_by) - Date.parse(queue[0].appeal.filed_at)).toBe(10 * 24 * hour);
    expect(queue[0].appealed_decision).toMatchObject({ outcome: 'refused', refusal: { code: 'below_threshold' } });

    const decided = await committee.post(`/v1/rounds/${roundId}/applications/${rehabApplication}/appeal/decision`, {
      reason: 'Дипломы подтверждают квалификацию персонала',
      scores: { qualified_staff: 9 },
      comments: { qualified_staff: 'Представлены дипломы пяти специалистов' },
    });
    expect(decided.body.status).toBe('admitted');
    expect((await committee.get('/v1/appeals')).body.items).toEqual([]);
    const done = (await committee.get('/v1/appeals?state=decided')).body.items;
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ status: 'admitted', decision: { outcome: 'admitted', reason: 'Дипломы подтверждают квалификацию персонала' }, appealed_decision: { outcome: 'refused' } });

    expect((await (await registry.as('rehab-admin')).get('/v1/appeals')).status).toBe(403);
    expect((await committee.get('/v1/appeals?state=later')).status).toBe(400);
  });
});

describe('The registry of every status', () => {
  it('When the committee lists providers, then it sees every status, filters by status and finds by name or INN; a provider is 403', async () => {
    const committee = await registry.as('committee-73');
    const suspended = await committee.post(`/v1/providers/${ZABOTA_ID}/status`, { status: 'suspended', reason: 'Проверка жалобы получателя' });
    expect(suspended.status).toBe(200);

    const all = (await committee.get('/v1/registry/providers')).body.items;
    expect(all.map((p: any) => [p.id, p.status])).toEqual(
      expect.arrayContaining([
        [ZABOTA_ID, 'suspended'],
        [REHAB_ID, 'admitted'],
      ]),
    );
    expect(all.find((p: any) => p.id === ZABOTA_ID)).toMatchObject({ name: expect.stringContaining('Забота'), short_name: 'АНО «Забота»', inn: '7830002293', type: 'sonko', region_code: '73' });
    expect((await committee.get('/v1/registry/providers?status=suspended')).body.items.map((p: any) => p.id)).toEqual([ZABOTA_ID]);
    expect((await committee.get('/v1/registry/providers?q=реабилит')).body.items.map((p: any) => p.id)).toEqual([REHAB_ID]);
    expect((await committee.get('/v1/registry/providers?q=7830002293')).body.items.map((p: any) => p.id)).toEqual([ZABOTA_ID]);
    expect((await committee.get('/v1/registry/providers?q=%25')).body.items).toEqual([]);
    expect((await committee.get('/v1/registry/providers?status=asleep')).status).toBe(400);
    expect((await (await registry.as('zabota-admin')).get('/v1/registry/providers')).status).toBe(403);
  });
});

describe("A coefficient's versions", () => {
  const later = new Date(Date.now() + 40 * 24 * hour).toISOString().slice(0, 10);
  const reason = 'Постановление правительства области от 01.12.2026 № 45-П';

  it('When the committee publishes a new factor from a date with its reason, then unit costs from that date use it, earlier dates and today keep the old one, and the history lists it', async () => {
    const committee = await registry.as('committee-73');
    const before = (await registry.anonymous.get('/v1/catalog/coefficients/rural/versions')).body;
    expect(before).toMatchObject({ code: 'rural', base_factor: '1.15', items: [] });

    const res = await committee.post('/v1/catalog/coefficients/rural/versions', { valid_from: later, factor: '1.20', reason });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code: 'rural', valid_from: later, factor: '1.2', reason, created_by: expect.stringMatching(/^committee:/) });
    const replay = await committee.post('/v1/catalog/coefficients/rural/versions', { valid_from: later, factor: '1.2', reason });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(res.body);
    const other = await committee.post('/v1/catalog/coefficients/rural/versions', { valid_from: later, factor: '1.3', reason });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('coefficient_version_exists');

    const onDate = (await registry.anonymous.get(`/v1/catalog/services/HOME-HOUSEHOLD-HOUR/cost?region=73&date=${later}&coefficients=rural`)).body;
    expect(onDate.coefficients).toEqual([{ code: 'rural', kind: 'territory', factor: '1.2' }]);
    expect(onDate.unit_cost).toBe(new Decimal(onDate.base).times('1.2').toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2));
    const today = (await registry.anonymous.get('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/cost?region=73&coefficients=rural')).body;
    expect(today.coefficients).toEqual([{ code: 'rural', kind: 'territory', factor: '1.15' }]);
    expect((await registry.anonymous.get('/v1/catalog/coefficients')).body.items.find((c: any) => c.code === 'rural').factor).toBe('1.15');
    expect((await registry.anonymous.get('/v1/catalog/coefficients/rural/versions')).body.items).toEqual([res.body]);
  });

  it('When the coefficient is unknown, the body is invalid or the caller is a provider, then nothing is published', async () => {
    const committee = await registry.as('committee-73');
    const unknown = await committee.post('/v1/catalog/coefficients/no-such/versions', { valid_from: later, factor: '1.2', reason });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('coefficient_not_found');
    expect((await registry.anonymous.get('/v1/catalog/coefficients/no-such/versions')).status).toBe(404);
    const invalid = await committee.post('/v1/catalog/coefficients/rural/versions', { valid_from: later, factor: '0', reason: 'коротко' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: any) => e.field).sort()).toEqual(['factor', 'reason']);
    expect((await (await registry.as('zabota-admin')).post('/v1/catalog/coefficients/rural/versions', { valid_from: later, factor: '1.2', reason })).status).toBe(403);
  });
});
