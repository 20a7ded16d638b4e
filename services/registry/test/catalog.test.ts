import { startRegistry, type RegistryHarness } from './harness';

let registry: RegistryHarness;

beforeAll(async () => {
  registry = await startRegistry('catalog');
});
afterAll(async () => {
  await registry?.stop();
});

describe('Catalog', () => {
  it('When anyone lists the catalog, then the seeded services come with kind, form, unit, standard and licence flag', async () => {
    const res = await registry.anonymous.get('/v1/catalog/services');
    expect(res.status).toBe(200);
    const home = res.body.items.find((s: any) => s.code === 'HOME-HOUSEHOLD-HOUR');
    expect(home).toMatchObject({
      name: 'Социально-бытовые услуги на дому',
      kind: 'household',
      form: 'home',
      unit: 'hour',
      licence_required: false,
      standard: { max_volume_per_month: 60 },
    });
    const dayCare = await registry.anonymous.get('/v1/catalog/services?form=day_care');
    expect(dayCare.body.items.map((s: any) => s.code).sort()).toEqual(['CHILD-REHAB-COURSE', 'DAYCARE-ELDERLY-DAY']);
  });

  it('When a service is read by code, then its cost versions per region are listed; an unknown code is a 404 in Russian', async () => {
    const res = await registry.anonymous.get('/v1/catalog/services/CHILD-REHAB-COURSE');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ licence_required: true, costs: [{ region_code: '73', valid_from: '2026-01-01', amount: '38750.00' }] });
    const missing = await registry.anonymous.get('/v1/catalog/services/NO-SUCH');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body).toMatchObject({ code: 'service_not_found' });
    expect(missing.body.detail).toContain('не найдена');
  });

  it('When the cost is asked with coefficients, then base × Π factors is rounded half-up once and the breakdown shows it', async () => {
    const res = await registry.anonymous.get('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/cost?region=73&date=2026-03-01&coefficients=rural,dementia');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      service_code: 'HOME-HOUSEHOLD-HOUR',
      region_code: '73',
      date: '2026-03-01',
      unit: 'hour',
      base: '312.40',
      coefficients: [
        { code: 'rural', kind: 'territory', factor: '1.15' },
        { code: 'dementia', kind: 'recipient_category', factor: '1.35' },
      ],
      // 312.40 × 1.15 = 359.26; × 1.35 = 485.001 → 485.00
      product_exact: '485.001',
      unit_cost: '485.00',
      rounding: 'half_up_once',
      valid_from: '2026-01-01',
    });
  });

  it('When rounding per step would differ, then only the final product is rounded', async () => {
    // 954.30 × 1.15 = 1097.445 (per-step: 1097.45); × 1.3 = 1426.6785 → 1426.68 (per-step: 1426.685 → 1426.69)
    const res = await registry.anonymous.get('/v1/catalog/services/HOME-PSYCH-VISIT/cost?region=73&date=2026-06-01&coefficients=rural,remote');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ product_exact: '1426.6785', unit_cost: '1426.68' });
  });

  it('When the cost is asked for a date before any version or a region without one, then 404 cost_not_found', async () => {
    const before = await registry.anonymous.get('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/cost?region=73&date=2025-12-31');
    expect(before.status).toBe(404);
    expect(before.body.code).toBe('cost_not_found');
    const otherRegion = await registry.anonymous.get('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/cost?region=77&date=2026-03-01');
    expect(otherRegion.status).toBe(404);
  });

  it('When the query is bad (no region, bad date, unknown or repeated coefficient), then 400/422 problems name the field, never 500', async () => {
    const noRegion = await registry.anonymous.get('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/cost');
    expect(noRegion.status).toBe(400);
    expect(noRegion.body.errors.map((e: any) => e.field)).toContain('region');
    const badDate = await registry.anonymous.get('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/cost?region=73&date=2026-02-30');
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors[0].field).toBe('date');
    const repeated = await registry.anonymous.get('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/cost?region=73&coefficients=rural,rural');
    expect(repeated.status).toBe(400);
    const unknown = await registry.anonymous.get('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/cost?region=73&date=2026-03-01&coefficients=rural,moon');
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'unknown_coefficient', unknown: ['moon'] });
    const arrayQuery = await registry.anonymous.get('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/cost?region=73&region=77');
    expect(arrayQuery.status).toBe(400);
  });
});

describe('Cost versions', () => {
  it('When the committee publishes a new price, then new dates use it, past dates keep the old one, and catalog.cost_changed is written', async () => {
    const committee = await registry.as('committee-73');
    const res = await committee.post('/v1/catalog/services/DAYCARE-ELDERLY-DAY/costs', {
      region_code: '73',
      valid_from: '2026-07-01',
      amount: '1612.50',
      reason: 'Индексация нормативов с 1 июля 2026 года',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ service_code: 'DAYCARE-ELDERLY-DAY', valid_from: '2026-07-01', amount: '1612.50' });

    const past = await registry.anonymous.get('/v1/catalog/services/DAYCARE-ELDERLY-DAY/cost?region=73&date=2026-06-30');
    expect(past.body).toMatchObject({ unit_cost: '1486.00', valid_from: '2026-01-01' });
    const after = await registry.anonymous.get('/v1/catalog/services/DAYCARE-ELDERLY-DAY/cost?region=73&date=2026-07-01');
    expect(after.body).toMatchObject({ unit_cost: '1612.50', valid_from: '2026-07-01' });

    const events = await registry.outbox('catalog.cost_changed');
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({ service_code: 'DAYCARE-ELDERLY-DAY', region_code: '73', valid_from: '2026-07-01', amount: '1612.50', previous_amount: '1486.00' }),
    ]);
  });

  it('When the same version date is published again, then 409 cost_version_exists and no second event', async () => {
    const committee = await registry.as('committee-73');
    const body = { region_code: '73', valid_from: '2026-09-01', amount: '320.00', reason: 'Индексация' };
    expect((await committee.post('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/costs', body)).status).toBe(201);
    const again = await committee.post('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/costs', { ...body, amount: '330.00' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('cost_version_exists');
    const events = await registry.outbox('catalog.cost_changed');
    expect(events.filter((e) => e.payload.service_code === 'HOME-HOUSEHOLD-HOUR')).toHaveLength(1);
  });

  it('When a provider or an anonymous caller tries to publish a price, then 403 / 401', async () => {
    const provider = await registry.as('zabota-admin');
    const body = { region_code: '73', valid_from: '2026-10-01', amount: '1.00', reason: 'Попытка' };
    expect((await provider.post('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/costs', body)).status).toBe(403);
    expect((await registry.anonymous.post('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/costs', body)).status).toBe(401);
  });

  it('When a price is a number, has three decimals or is zero, then 400 names amount', async () => {
    const committee = await registry.as('committee-73');
    for (const amount of [100, '100.001', '0.00']) {
      const res = await committee.post('/v1/catalog/services/HOME-HOUSEHOLD-HOUR/costs', { region_code: '73', valid_from: '2026-11-01', amount, reason: 'Проверка' });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('amount');
    }
  });
});

describe('Catalog administration', () => {
  it('When the committee adds a service and a coefficient, then both are readable and usable in a cost lookup', async () => {
    const committee = await registry.as('committee-73');
    const created = await committee.post('/v1/catalog/services', {
      code: 'HOME-LEGAL-VISIT',
      name: 'Социально-правовые услуги на дому',
      kind: 'legal',
      form: 'home',
      unit: 'visit',
      standard: { content: 'Помощь в оформлении документов', staff_qualification: 'Юрист', max_volume_per_month: 4 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'HOME-LEGAL-VISIT', licence_required: false, costs: [] });
    const dup = await committee.post('/v1/catalog/services', { ...created.body, costs: undefined });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('service_exists');

    const coefficient = await committee.post('/v1/catalog/coefficients', {
      code: 'far-north',
      kind: 'territory',
      name: 'Районы Крайнего Севера',
      factor: '1.8',
      conditions: { territory: 'far_north' },
    });
    expect(coefficient.status).toBe(201);
    expect(coefficient.body).toMatchObject({ code: 'far-north', factor: '1.8' });

    await committee.post('/v1/catalog/services/HOME-LEGAL-VISIT/costs', { region_code: '73', valid_from: '2026-01-01', amount: '700.55', reason: 'Новая услуга' });
    const cost = await registry.anonymous.get('/v1/catalog/services/HOME-LEGAL-VISIT/cost?region=73&date=2026-02-01&coefficients=far-north');
    // 700.55 × 1.8 = 1260.99
    expect(cost.body).toMatchObject({ unit_cost: '1260.99', product_exact: '1260.99' });
  });

  it('When a service has an unknown kind or a coefficient has a negative factor, then 400 lists the fields', async () => {
    const committee = await registry.as('committee-73');
    const bad = await committee.post('/v1/catalog/services', {
      code: 'X-1',
      name: 'Проверка',
      kind: 'magic',
      form: 'home',
      unit: 'hour',
      standard: { content: 'abc', staff_qualification: 'abc', max_volume_per_month: 0 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['kind', 'standard.max_volume_per_month']);
    const coef = await committee.post('/v1/catalog/coefficients', { code: 'neg', kind: 'form', name: 'Отрицательный', factor: '-1' });
    expect(coef.status).toBe(400);
    expect(coef.body.errors[0].field).toBe('factor');
  });
});
