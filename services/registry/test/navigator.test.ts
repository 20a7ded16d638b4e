import { startRegistry, type RegistryHarness } from './harness';
import { REHAB_ID, rehabRegistration, ZABOTA_ID, zabotaRegistration } from './fixtures';

let registry: RegistryHarness;
const hour = 3600_000;
const day = 24 * hour;
/** The registry's "now"; tests move it to see a round close or a future cost come into force. */
let shift = 0;
const now = () => new Date(Date.now() + shift);

const KCSON = {
  ...zabotaRegistration({
    inn: '7325012347',
    ogrn: '1027300001233',
    kpp: '732501001',
    name: 'Областное государственное бюджетное учреждение социального обслуживания «Комплексный центр социального обслуживания „Доверие“»',
    short_name: 'ОГБУСО КЦСОН «Доверие»',
    legal_form: 'Областное государственное бюджетное учреждение',
    type: 'state_institution',
    funding_mode: 'state_assignment',
  }),
};

function round(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Отбор исполнителей услуг по социальному сертификату, Ульяновск и Димитровград, 2027',
    region_code: '73',
    territory: ['73701000', '73705000'],
    service_codes: ['HOME-HOUSEHOLD-HOUR', 'HOME-PSYCH-VISIT', 'CHILD-REHAB-COURSE'],
    applications_open_at: new Date(Date.now() - hour).toISOString(),
    applications_close_at: new Date(Date.now() + hour).toISOString(),
    appeal_window_days: 10,
    scored_criteria: [{ code: 'experience_years', name: 'Опыт', weight: '10', max_points: 10, source: 'auto' }],
    threshold: '50',
    ...overrides,
  };
}

let admissionRound: string;
let kcsonId: string;

/** Zabota (SONKO) and Rehab (social enterprise) are admitted through one round; a state institution stays an applicant. */
beforeAll(async () => {
  registry = await startRegistry('navigator', {}, { now });
  const zabota = await registry.as('zabota-admin');
  const rehab = await registry.as('rehab-admin');
  const committee = await registry.as('committee-73');
  const licences = [{ number: 'Л041-73/1', issued_by: 'Минздрав Ульяновской области', issued_at: '2024-02-01', service_codes: ['CHILD-REHAB-COURSE'] }];
  for (const [client, body] of [
    [zabota, zabotaRegistration({ contacts: { phone: '+78422000001', email: 'info@zabota73.ru', website: 'https://zabota73.ru', contact_person: 'Кузнецова Ольга Викторовна' } })],
    [rehab, rehabRegistration({ licences })],
    [committee, KCSON],
  ] as const) {
    const res = await client.post('/v1/providers', body);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    if (body === KCSON) kcsonId = res.body.id;
  }
  const opened = await committee.post('/v1/rounds', round());
  admissionRound = opened.body.id;
  for (const [client, services] of [
    [zabota, ['HOME-HOUSEHOLD-HOUR', 'HOME-PSYCH-VISIT']],
    [rehab, ['CHILD-REHAB-COURSE']],
  ] as const) {
    const application = await client.post(`/v1/rounds/${admissionRound}/applications`, { service_codes: services });
    const decided = await committee.post(`/v1/rounds/${admissionRound}/applications/${application.body.id}/decision`, { scores: {} });
    if (decided.body.status !== 'admitted') throw new Error(JSON.stringify(decided.body));
  }
});
afterAll(async () => {
  await registry?.stop();
});
afterEach(() => {
  shift = 0;
});

const cyrillic = /[А-Яа-яЁё]/;

describe('Catalog for the navigator', () => {
  it('When anyone lists the catalog, then every service has its description, eligibility, documents, procedure and the 442-FZ deadlines in Russian', async () => {
    const res = await registry.anonymous.get('/v1/catalog/services');
    expect(res.status).toBe(200);
    expect(res.body.items.map((s: any) => s.code).sort()).toEqual(['CHILD-REHAB-COURSE', 'DAYCARE-ELDERLY-DAY', 'HOME-HOUSEHOLD-HOUR', 'HOME-PSYCH-VISIT']);
    for (const s of res.body.items) {
      for (const field of ['description', 'eligibility', 'procedure']) {
        expect([s.code, field, typeof s[field]]).toEqual([s.code, field, 'string']);
        expect(s[field].length).toBeGreaterThan(80);
        expect(s[field]).toMatch(cyrillic);
      }
      expect(s.documents.length).toBeGreaterThanOrEqual(3);
      for (const d of s.documents) expect(d).toMatch(cyrillic);
      expect(s.deadlines).toMatchObject({ assessment_working_days: 5, programme_working_days: 10 });
      expect(s.deadlines.text).toContain('442-ФЗ');
    }
  });

  it('When the catalog is read for the default region, then each service shows the normative cost in force today and the coefficients that may apply', async () => {
    const res = await registry.anonymous.get('/v1/catalog/services?form=home');
    const home = res.body.items.find((s: any) => s.code === 'HOME-HOUSEHOLD-HOUR');
    expect(home.current_cost).toEqual({ region_code: '73', amount: '312.40', valid_from: '2026-01-01' });
    expect(home.coefficients.map((c: any) => c.code).sort()).toEqual(['child-disability', 'dementia', 'disability-group-1', 'remote', 'rural']);
    expect(home.coefficients.find((c: any) => c.code === 'rural')).toMatchObject({ kind: 'territory', name: 'Сельская местность', factor: '1.15' });
    const one = await registry.anonymous.get('/v1/catalog/services/CHILD-REHAB-COURSE');
    expect(one.body).toMatchObject({ current_cost: { region_code: '73', amount: '38750.00' }, costs: [{ amount: '38750.00' }] });
    expect(one.body.eligibility).toContain('ИПРА');
  });

  it('When a form coefficient exists, then only services of that form list it', async () => {
    const committee = await registry.as('committee-73');
    const created = await committee.post('/v1/catalog/coefficients', { code: 'day-care-form', kind: 'form', name: 'Полустационарная форма', factor: '1.05', conditions: { form: 'day_care' } });
    expect(created.status).toBe(201);
    const res = await registry.anonymous.get('/v1/catalog/services');
    const codes = (code: string) => res.body.items.find((s: any) => s.code === code).coefficients.map((c: any) => c.code);
    expect(codes('DAYCARE-ELDERLY-DAY')).toContain('day-care-form');
    expect(codes('HOME-PSYCH-VISIT')).not.toContain('day-care-form');
  });

  it('When a new cost is published for a later date, then today’s cost stays until that date comes; another region shows its own or none', async () => {
    const committee = await registry.as('committee-73');
    const from = new Date(Date.now() + 10 * day).toISOString().slice(0, 10);
    expect((await committee.post('/v1/catalog/services/HOME-PSYCH-VISIT/costs', { region_code: '73', valid_from: from, amount: '1001.50', reason: 'Приказ об индексации' })).status).toBe(201);
    // Region 73's committee does not set Moscow's costs; an administrator may.
    const moscowCost = { region_code: '77', valid_from: '2026-01-01', amount: '1500.00', reason: 'Приказ' };
    const refused = await committee.post('/v1/catalog/services/HOME-PSYCH-VISIT/costs', moscowCost);
    expect([refused.status, refused.body.code]).toEqual([403, 'other_region']);
    expect((await (await registry.as('admin')).post('/v1/catalog/services/HOME-PSYCH-VISIT/costs', moscowCost)).status).toBe(201);
    const cost = async (query = '') => (await registry.anonymous.get(`/v1/catalog/services/HOME-PSYCH-VISIT${query}`)).body.current_cost;
    expect(await cost()).toMatchObject({ amount: '954.30', valid_from: '2026-01-01' });
    shift = 11 * day;
    expect(await cost()).toEqual({ region_code: '73', amount: '1001.50', valid_from: from });
    expect(await cost('?region=77')).toEqual({ region_code: '77', amount: '1500.00', valid_from: '2026-01-01' });
    const moscow = await registry.anonymous.get('/v1/catalog/services?region=77');
    expect(moscow.body.items.filter((s: any) => s.current_cost).map((s: any) => s.code)).toEqual(['HOME-PSYCH-VISIT']);
  });

  it('When the region is not a two-digit code, then 400 names the field', async () => {
    for (const path of ['/v1/catalog/services?region=7', '/v1/catalog/services/HOME-PSYCH-VISIT?region=abc']) {
      const res = await registry.anonymous.get(path);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: any) => e.field)).toEqual(['region']);
    }
  });

  it('When the committee adds a service without navigator texts, then it is created with the 442-FZ deadlines; with texts, they are kept', async () => {
    const committee = await registry.as('committee-73');
    const standard = { content: 'Помощь в оформлении документов', staff_qualification: 'Юрист', max_volume_per_month: 4 };
    const bare = await committee.post('/v1/catalog/services', { code: 'HOME-LEGAL-VISIT', name: 'Социально-правовые услуги на дому', kind: 'legal', form: 'home', unit: 'visit', standard });
    expect(bare.status).toBe(201);
    expect(bare.body).toMatchObject({ description: null, eligibility: null, documents: [], procedure: null, deadlines: { assessment_working_days: 5, programme_working_days: 10 } });
    const full = await committee.post('/v1/catalog/services', {
      code: 'HOME-LEGAL-2',
      name: 'Социально-правовые консультации на дому',
      kind: 'legal',
      form: 'home',
      unit: 'visit',
      standard,
      description: 'Юрист поможет оформить документы и разобраться с правами.',
      eligibility: 'Признанные нуждающимися в социальном обслуживании.',
      documents: ['Паспорт', 'СНИЛС'],
      procedure: 'Заявление — в отдел социальной защиты населения.',
      deadlines: { assessment_working_days: 3, programme_working_days: 7, text: 'Решение — за 3 рабочих дня, программа — за 7.' },
    });
    expect(full.status).toBe(201);
    const read = await registry.anonymous.get('/v1/catalog/services/HOME-LEGAL-2');
    expect(read.body).toMatchObject({ documents: ['Паспорт', 'СНИЛС'], deadlines: { assessment_working_days: 3, programme_working_days: 7 }, current_cost: null });
    const bad = await committee.post('/v1/catalog/services', { code: 'HOME-LEGAL-3', name: 'Услуга', kind: 'legal', form: 'home', unit: 'visit', standard, deadlines: { assessment_working_days: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['deadlines.assessment_working_days']));
  });
});

const ids = (res: any) => res.body.items.map((p: any) => p.id);

describe('Provider type filter', () => {
  it('When the search is filtered by provider type, then only providers of the listed types remain', async () => {
    expect(ids(await registry.anonymous.get('/v1/providers?type=sonko'))).toEqual([ZABOTA_ID]);
    expect(ids(await registry.anonymous.get('/v1/providers?type=social_enterprise,nko'))).toEqual([REHAB_ID]);
    expect(ids(await registry.anonymous.get('/v1/providers?type=sonko,social_enterprise&sort=name'))).toEqual([ZABOTA_ID, REHAB_ID]);
    expect(ids(await registry.anonymous.get('/v1/providers?type=state_institution'))).toEqual([]);
    expect(ids(await registry.anonymous.get('/v1/providers?type=sonko&service=CHILD-REHAB-COURSE'))).toEqual([]);
    const res = await registry.anonymous.get('/v1/providers?type=sonko');
    expect(res.body.items[0]).toMatchObject({ type: 'sonko', locations: [{ district_code: '73701000' }] });
  });

  it('When the type is unknown, then 400 names the field', async () => {
    const res = await registry.anonymous.get('/v1/providers?type=sonko,charity');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toMatch(/^type/);
  });
});

describe('Public provider page', () => {
  it('When anyone opens an admitted provider, then it shows public contacts, locations and admitted services with tariff and admission', async () => {
    const res = await registry.anonymous.get(`/v1/providers/${ZABOTA_ID}/public`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: ZABOTA_ID,
      name: 'Автономная некоммерческая организация «Центр социальной помощи „Забота“»',
      short_name: 'АНО «Забота»',
      type: 'sonko',
      legal_form: 'Автономная некоммерческая организация',
      funding_mode: 'compensation',
      region_code: '73',
      rating: null,
      rating_count: 0,
      accessibility: ['ramp', 'home_visits'],
      contacts: { phone: '+78422000001', email: 'info@zabota73.ru', website: 'https://zabota73.ru' },
      locations: [{ address: 'г. Ульяновск, ул. Гончарова, д. 1', district_code: '73701000', lat: 54.3142, lon: 48.4031 }],
      services: [
        {
          service_code: 'HOME-HOUSEHOLD-HOUR',
          name: 'Социально-бытовые услуги на дому',
          unit: 'hour',
          form: 'home',
          capacity_per_month: 400,
          free_capacity: 400,
          admitted_territory: ['73701000', '73705000'],
          tariff: '312.40',
          admission: { admitted_at: expect.any(String), round_id: admissionRound, round_title: round().title },
        },
        expect.objectContaining({ service_code: 'HOME-PSYCH-VISIT', unit: 'visit', tariff: '954.30', admission: expect.objectContaining({ round_id: admissionRound }) }),
      ],
    });
    expect(Date.now() - Date.parse(res.body.services[0].admission.admitted_at)).toBeLessThan(10 * 60_000);
  });

  it('When the public page is read, then no bank details, identifiers, declarations, licences or contact person appear anywhere in it', async () => {
    for (const id of [ZABOTA_ID, REHAB_ID]) {
      const res = await registry.anonymous.get(`/v1/providers/${id}/public`);
      expect(res.status).toBe(200);
      for (const key of ['bank', 'inn', 'ogrn', 'kpp', 'declarations', 'licences', 'status', 'created_by']) expect(res.body).not.toHaveProperty(key);
      expect(Object.keys(res.body.contacts).sort()).toEqual(['email', 'phone', 'website']);
      const text = JSON.stringify(res.body);
      for (const secret of ['40702817300000000001', '044525225', '30101810400000000225', 'Сбербанк', '7830002293', '7707083893', '1027700132195', 'Л041-73/1', 'ЕФРСБ', 'Кузнецова']) {
        expect([id, text.includes(secret)]).toEqual([id, false]);
      }
    }
    const rehab = await registry.anonymous.get(`/v1/providers/${REHAB_ID}/public`);
    expect(rehab.body.contacts).toEqual({ phone: '+78422000002', email: 'info@rehab73.ru', website: null });
    expect(rehab.body.services.map((s: any) => [s.service_code, s.tariff])).toEqual([['CHILD-REHAB-COURSE', '38750.00']]);
  });

  it('When the provider is an applicant, suspended or unknown, then 404 provider_not_found; a malformed id is 400', async () => {
    const applicant = await registry.anonymous.get(`/v1/providers/${kcsonId}/public`);
    expect(applicant.status).toBe(404);
    expect(applicant.body.code).toBe('provider_not_found');
    expect(applicant.body.detail).toMatch(cyrillic);
    expect(applicant.body).not.toHaveProperty('name');
    expect((await registry.anonymous.get('/v1/providers/00000000-0000-4000-8000-000000000000/public')).body.code).toBe('provider_not_found');
    expect((await registry.anonymous.get('/v1/providers/not-a-uuid/public')).status).toBe(400);
  });
});

describe('Public rounds', () => {
  let upcoming: string;
  let empty: string;

  beforeAll(async () => {
    const committee = await registry.as('committee-73');
    upcoming = (
      await committee.post('/v1/rounds', round({ title: 'Отбор 2028', applications_open_at: new Date(Date.now() + 2 * day).toISOString(), applications_close_at: new Date(Date.now() + 30 * day).toISOString() }))
    ).body.id;
    empty = (
      await committee.post('/v1/rounds', round({ title: 'Отбор 2025', service_codes: ['DAYCARE-ELDERLY-DAY'], applications_open_at: '2025-03-01T00:00:00+03:00', applications_close_at: '2025-04-01T00:00:00+03:00' }))
    ).body.id;
  });

  it('When anyone lists rounds, then each shows services by name, territory, window, derived status and a link to its results', async () => {
    const res = await registry.anonymous.get('/v1/public/rounds');
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: any) => [r.id, r.status])).toEqual([
      [upcoming, 'upcoming'],
      [admissionRound, 'open'],
      [empty, 'closed'],
    ]);
    expect(res.body.items[1]).toEqual({
      id: admissionRound,
      title: round().title,
      region_code: '73',
      services: [
        { code: 'HOME-HOUSEHOLD-HOUR', name: 'Социально-бытовые услуги на дому' },
        { code: 'HOME-PSYCH-VISIT', name: 'Социально-психологическое консультирование на дому' },
        { code: 'CHILD-REHAB-COURSE', name: 'Курс социальной реабилитации детей-инвалидов' },
      ],
      territory: ['73701000', '73705000'],
      applications_open_at: expect.any(String),
      applications_close_at: expect.any(String),
      status: 'open',
      results_published: true,
      admitted_count: 2,
      results_href: `/v1/rounds/${admissionRound}/results`,
    });
    expect(res.body.items[0]).toMatchObject({ results_published: false, admitted_count: 0 });
    const results = await registry.anonymous.get(res.body.items[1].results_href);
    expect(results.status).toBe(200);
    expect(results.body.items.map((i: any) => i.outcome)).toEqual(['admitted', 'admitted']);
  });

  it('When the window of a round whose applications are all decided has closed, then it is decided; filters by status and region apply', async () => {
    shift = 2 * hour;
    const res = await registry.anonymous.get('/v1/public/rounds?status=decided,closed');
    expect(res.body.items.map((r: any) => [r.id, r.status])).toEqual([
      [admissionRound, 'decided'],
      [empty, 'closed'],
    ]);
    expect((await registry.anonymous.get('/v1/public/rounds?status=upcoming')).body.items.map((r: any) => r.id)).toEqual([upcoming]);
    expect((await registry.anonymous.get('/v1/public/rounds?region=77')).body.items).toEqual([]);
  });

  it('When a decided application is appealed, then the round is closed again until the appeal is decided', async () => {
    const rehab = await registry.as('rehab-admin');
    const committee = await registry.as('committee-73');
    // Ten points for experience at weight 10 cannot reach 150: refused, so there is something to appeal.
    const closing = await committee.post('/v1/rounds', round({ title: 'Отбор с апелляцией', threshold: '150' }));
    const application = await rehab.post(`/v1/rounds/${closing.body.id}/applications`, { service_codes: ['CHILD-REHAB-COURSE'] });
    await committee.post(`/v1/rounds/${closing.body.id}/applications/${application.body.id}/decision`, { scores: {} });
    const status = async () => (await registry.anonymous.get('/v1/public/rounds')).body.items.find((r: any) => r.id === closing.body.id);
    shift = 2 * hour;
    expect(await status()).toMatchObject({ status: 'decided', results_published: true, admitted_count: 0 });
    expect((await rehab.post(`/v1/rounds/${closing.body.id}/applications/${application.body.id}/appeal`, { reason: 'Опыт работы посчитан неверно, просим пересмотреть' })).status).toBe(200);
    expect(await status()).toMatchObject({ status: 'closed', results_published: false });
  });

  it('When the status filter is unknown, then 400; the signed-in round list still needs a token', async () => {
    const res = await registry.anonymous.get('/v1/public/rounds?status=archived');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toMatch(/^status/);
    expect((await registry.anonymous.get('/v1/rounds')).status).toBe(401);
  });
});

describe('Life situations', () => {
  const FOUR = ['stroke_alone', 'newborn', 'child_disability', 'release_from_prison'];

  it('When anyone lists the region’s life situations, then the four situations come with titles, summaries and links', async () => {
    const res = await registry.anonymous.get('/v1/life-situations?region=73');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ region_code: '73', version: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(res.body.items.map((s: any) => s.code)).toEqual(expect.arrayContaining(FOUR));
    for (const s of res.body.items) {
      expect(s.title).toMatch(cyrillic);
      expect(s.summary.length).toBeGreaterThan(80);
      expect(s.href).toBe(`/v1/life-situations/${s.code}?region=73`);
    }
    expect(res.body.items.find((s: any) => s.code === 'stroke_alone').service_codes).toEqual(['HOME-HOUSEHOLD-HOUR', 'HOME-PSYCH-VISIT']);
    expect((await registry.anonymous.get('/v1/life-situations')).body.items).toEqual(res.body.items);
  });

  it('When a situation is opened, then every step says who, where, how to start and which documents; catalog steps name an existing service', async () => {
    const catalog = (await registry.anonymous.get('/v1/catalog/services')).body.items.map((s: any) => s.code);
    const list = (await registry.anonymous.get('/v1/life-situations')).body.items;
    for (const { code, href } of list) {
      const res = await registry.anonymous.get(href);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ code, region_code: '73' });
      expect(res.body.steps.length).toBeGreaterThanOrEqual(3);
      expect(res.body.steps.some((s: any) => s.kind === 'catalog_service')).toBe(true);
      expect(res.body.steps.some((s: any) => s.kind === 'measure')).toBe(true);
      res.body.steps.forEach((step: any, i: number) => {
        expect(step.order).toBe(i + 1);
        for (const field of ['title', 'description', 'agency', 'where', 'how_to_start']) expect([code, i, field, step[field]]).toEqual([code, i, field, expect.stringMatching(cyrillic)]);
        expect(typeof step.proactive).toBe('boolean');
        if (step.kind === 'catalog_service') {
          expect(catalog).toContain(step.service_code);
          expect(step.service).toMatchObject({ code: step.service_code, name: expect.stringMatching(cyrillic), providers_href: `/v1/providers?service=${step.service_code}` });
        } else {
          expect([step.service_code, step.service]).toEqual([null, null]);
        }
      });
    }
    const prison = await registry.anonymous.get('/v1/life-situations/release_from_prison');
    expect(prison.body.steps.map((s: any) => s.agency).join(' ')).toMatch(/Работа России/);
  });

  it('When the region has no situations or the code is unknown or malformed, then 404 or 400 with the code', async () => {
    const region = await registry.anonymous.get('/v1/life-situations?region=77');
    expect(region.status).toBe(404);
    expect(region.body.code).toBe('region_life_situations_not_found');
    const one = await registry.anonymous.get('/v1/life-situations/newborn?region=77');
    expect(one.body.code).toBe('region_life_situations_not_found');
    const unknown = await registry.anonymous.get('/v1/life-situations/lottery_win');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('life_situation_not_found');
    expect(unknown.body.detail).toMatch(cyrillic);
    expect((await registry.anonymous.get('/v1/life-situations/Newborn')).status).toBe(400);
    expect((await registry.anonymous.get('/v1/life-situations?region=7a')).status).toBe(400);
    // An address whose percent-encoding cannot be decoded is the client's mistake, not a server error.
    for (const path of ['/v1/life-situations/%FF', '/v1/providers/%FF%FE/public']) {
      const broken = await registry.anonymous.get(path);
      expect(broken.status).toBe(400);
      expect(broken.body).toMatchObject({ code: 'malformed_path', detail: expect.stringMatching(cyrillic) });
    }
  });
});
