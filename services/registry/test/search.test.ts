import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createRedis, Queue } from '@esc/service-kit';
import { SEARCH_CARDS_COLUMNS, SEARCH_CARDS_SELECT, SEARCH_ENTRIES_COLUMNS, SEARCH_ENTRIES_SELECT } from '../src/data-access/search-index';
import { startRegistry, type RegistryHarness } from './harness';
import { REHAB_ID, rehabRegistration, ZABOTA_ID, zabotaRegistration } from './fixtures';

let registry: RegistryHarness;

/** Both demo providers pass one round through HTTP, as they would in production. */
beforeAll(async () => {
  registry = await startRegistry('search');
  const zabota = await registry.as('zabota-admin');
  const rehab = await registry.as('rehab-admin');
  const committee = await registry.as('committee-73');
  const licences = [{ number: 'Л041-73/1', issued_by: 'Минздрав Ульяновской области', issued_at: '2024-02-01', service_codes: ['CHILD-REHAB-COURSE'] }];
  await zabota.post('/v1/providers', zabotaRegistration());
  await rehab.post('/v1/providers', rehabRegistration({ licences }));
  const round = await committee.post('/v1/rounds', {
    title: 'Отбор 2027',
    region_code: '73',
    territory: ['73701000', '73705000'],
    service_codes: ['HOME-HOUSEHOLD-HOUR', 'HOME-PSYCH-VISIT', 'CHILD-REHAB-COURSE'],
    applications_open_at: new Date(Date.now() - 3600_000).toISOString(),
    applications_close_at: new Date(Date.now() + 3600_000).toISOString(),
    appeal_window_days: 10,
    scored_criteria: [{ code: 'experience_years', name: 'Опыт', weight: '10', max_points: 10, source: 'auto' }],
    threshold: '50',
  });
  for (const [client, services] of [
    [zabota, ['HOME-HOUSEHOLD-HOUR', 'HOME-PSYCH-VISIT']],
    [rehab, ['CHILD-REHAB-COURSE']],
  ] as const) {
    const application = await client.post(`/v1/rounds/${round.body.id}/applications`, { service_codes: services });
    const decided = await committee.post(`/v1/rounds/${round.body.id}/applications/${application.body.id}/decision`, { scores: {} });
    if (decided.body.status !== 'admitted') throw new Error(JSON.stringify(decided.body));
  }
});
afterAll(async () => {
  await registry?.stop();
});

const ids = (res: any) => res.body.items.map((p: any) => p.id);

describe('Public provider search', () => {
  it('When anyone searches without signing in, then admitted providers come with funding mode, rating, locations and free capacity', async () => {
    const res = await registry.anonymous.get('/v1/providers?sort=name');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, per_page: 20, next_page: null });
    expect(ids(res)).toEqual([ZABOTA_ID, REHAB_ID]);
    expect(res.body.items[1]).toMatchObject({
      funding_mode: 'compensation',
      rating: null,
      rating_count: 0,
      locations: [{ district_code: '73705000', address: 'г. Димитровград, ул. Гагарина, д. 5' }],
      services: [{ service_code: 'CHILD-REHAB-COURSE', form: 'day_care', capacity_per_month: 30, free_capacity: 30 }],
    });
    expect(res.body.items[0]).not.toHaveProperty('bank');
    expect(res.body.items[0]).not.toHaveProperty('inn');
  });

  it('When the search is answered in front of Express, then it is JSON with the caller’s request id, and other methods on the path still reach the API', async () => {
    const res = await fetch(`${registry.url}/v1/providers?sort=name&per_page=1`, { headers: { 'X-Request-Id': 'search-check-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-request-id')).toBe('search-check-1');
    expect(((await res.json()) as any).items.map((p: any) => p.id)).toEqual([ZABOTA_ID]);
    const bad = await fetch(`${registry.url}/v1/providers?sort=name&sort=rating`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(bad.headers.get('x-request-id')).toBeTruthy();
    const unsigned = await fetch(`${registry.url}/v1/providers`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(unsigned.status).toBe(401);
  });

  it('When filtered by service, district, form, accessibility or free capacity, then only matching providers remain', async () => {
    expect(ids(await registry.anonymous.get('/v1/providers?service=HOME-PSYCH-VISIT'))).toEqual([ZABOTA_ID]);
    expect(ids(await registry.anonymous.get('/v1/providers?district=73705000'))).toEqual([REHAB_ID]);
    expect(ids(await registry.anonymous.get('/v1/providers?form=home'))).toEqual([ZABOTA_ID]);
    expect(ids(await registry.anonymous.get('/v1/providers?accessibility=wheelchair_access,elevator'))).toEqual([REHAB_ID]);
    expect(ids(await registry.anonymous.get('/v1/providers?accessibility=wheelchair_access,ramp'))).toEqual([]);
    expect(ids(await registry.anonymous.get('/v1/providers?min_free_capacity=100&sort=name'))).toEqual([ZABOTA_ID]);
    expect(ids(await registry.anonymous.get('/v1/providers?service=DAYCARE-ELDERLY-DAY'))).toEqual([]);
  });

  it('When sorted by distance from a point in Dimitrovgrad, then the nearer provider comes first with its distance', async () => {
    const res = await registry.anonymous.get('/v1/providers?sort=distance&lat=54.2170&lon=49.6100');
    expect(ids(res)).toEqual([REHAB_ID, ZABOTA_ID]);
    expect(res.body.items[0].distance_km).toBeLessThan(1);
    expect(res.body.items[1].distance_km).toBeGreaterThan(70);
  });

  it('When paged one per page, then each page says whether another follows, for name and distance order alike', async () => {
    const first = await registry.anonymous.get('/v1/providers?sort=name&per_page=1');
    expect(first.body).toMatchObject({ page: 1, per_page: 1, next_page: 2 });
    expect(ids(first)).toEqual([ZABOTA_ID]);
    const res = await registry.anonymous.get('/v1/providers?sort=name&per_page=1&page=2');
    expect(res.body).toMatchObject({ page: 2, per_page: 1, next_page: null });
    expect(ids(res)).toEqual([REHAB_ID]);
    const far = await registry.anonymous.get('/v1/providers?sort=distance&lat=54.2170&lon=49.6100&per_page=1&page=2');
    expect(far.body).toMatchObject({ next_page: null });
    expect(ids(far)).toEqual([ZABOTA_ID]);
  });

  it('When feedback.submitted events arrive (one of them twice), then ratings update once per event and the rating sort follows them', async () => {
    const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const inbox = new Queue(registry.service.config.INBOX_QUEUE, { connection: redis, prefix: registry.service.config.QUEUE_PREFIX });
    const send = (id: string, provider_id: string, score: number) =>
      inbox.add('feedback.submitted', { id, topic: 'feedback.submitted', occurred_at: new Date().toISOString(), payload: { provider_id, score } });
    try {
      const repeated = randomUUID();
      await send(repeated, REHAB_ID, 5);
      await send(randomUUID(), REHAB_ID, 4);
      await send(randomUUID(), ZABOTA_ID, 3);
      // A redelivery (same event id, new job) must not count again.
      await send(repeated, REHAB_ID, 5);
      await send(randomUUID(), ZABOTA_ID, 9);
      let res: any;
      for (let i = 0; i < 100; i++) {
        res = await registry.anonymous.get('/v1/providers?sort=rating');
        const counts = res.body.items.map((p: any) => p.rating_count).sort().join(',');
        if (counts === '1,2') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 200));
      res = await registry.anonymous.get('/v1/providers?sort=rating');
      expect(res.body.items.map((p: any) => [p.id, p.rating, p.rating_count])).toEqual([
        [REHAB_ID, '4.50', 2],
        [ZABOTA_ID, '3.00', 1],
      ]);
    } finally {
      await inbox.close();
      await redis.quit();
    }
  });

  it('When certificates report booked capacity (a newer figure, then an older one arriving late), then the search shows the newer free capacity', async () => {
    const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const inbox = new Queue(registry.service.config.INBOX_QUEUE, { connection: redis, prefix: registry.service.config.QUEUE_PREFIX });
    const report = (reserved: number, asOf: string) =>
      inbox.add('provider.capacity_reserved', {
        id: randomUUID(),
        topic: 'provider.capacity_reserved',
        occurred_at: new Date().toISOString(),
        payload: { provider_id: REHAB_ID, service_code: 'CHILD-REHAB-COURSE', reserved_per_month: reserved, capacity_per_month: 30, as_of: asOf },
      });
    const freeCapacity = async () => {
      const res = await registry.anonymous.get('/v1/providers?service=CHILD-REHAB-COURSE');
      return res.body.items.find((p: any) => p.id === REHAB_ID)?.services[0].free_capacity;
    };
    try {
      await report(12, '2026-11-24T10:00:00.000Z');
      for (let i = 0; i < 100 && (await freeCapacity()) !== 18; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await freeCapacity()).toBe(18);
      await report(2, '2026-11-24T09:59:59.000Z');
      await report(25, '2026-11-24T10:00:01.000Z');
      for (let i = 0; i < 100 && (await freeCapacity()) !== 5; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200));
      expect(await freeCapacity()).toBe(5);
      expect(ids(await registry.anonymous.get('/v1/providers?service=CHILD-REHAB-COURSE&min_free_capacity=10'))).toEqual([]);
      await report(0, '2026-11-24T10:00:02.000Z');
      for (let i = 0; i < 100 && (await freeCapacity()) !== 30; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await freeCapacity()).toBe(30);
    } finally {
      await inbox.close();
      await redis.quit();
    }
  });

  it('When a provider lowers its capacity below what is already booked, then the public search and provider page show no free places, not a negative number, and the provider still sees what is booked', async () => {
    const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const inbox = new Queue(registry.service.config.INBOX_QUEUE, { connection: redis, prefix: registry.service.config.QUEUE_PREFIX });
    const rehab = await registry.as('rehab-admin');
    const searched = async (query: string) => (await registry.anonymous.get(`/v1/providers?${query}`)).body.items.find((p: any) => p.id === REHAB_ID);
    try {
      await inbox.add('provider.capacity_reserved', {
        id: randomUUID(),
        topic: 'provider.capacity_reserved',
        occurred_at: new Date().toISOString(),
        payload: { provider_id: REHAB_ID, service_code: 'CHILD-REHAB-COURSE', reserved_per_month: 20, capacity_per_month: 30, as_of: '2026-11-24T11:00:00.000Z' },
      });
      for (let i = 0; i < 100 && (await searched('service=CHILD-REHAB-COURSE'))?.services[0].free_capacity !== 10; i++) await new Promise((r) => setTimeout(r, 50));
      expect((await searched('service=CHILD-REHAB-COURSE')).services[0].free_capacity).toBe(10);

      const lowered = await rehab.call('PATCH', `/v1/providers/${REHAB_ID}`, { services: [{ service_code: 'CHILD-REHAB-COURSE', capacity_per_month: 12 }] });
      expect(lowered.status).toBe(200);
      expect(lowered.body.services).toEqual([expect.objectContaining({ service_code: 'CHILD-REHAB-COURSE', capacity_per_month: 12, booked_per_month: 20 })]);

      // Found only by whoever asks for no free places (min_free_capacity=0), and then with none, not -8.
      expect((await searched('sort=name&min_free_capacity=0')).services).toEqual([expect.objectContaining({ service_code: 'CHILD-REHAB-COURSE', capacity_per_month: 12, free_capacity: 0 })]);
      expect((await searched('service=CHILD-REHAB-COURSE&min_free_capacity=0')).services[0].free_capacity).toBe(0);
      expect(await searched('service=CHILD-REHAB-COURSE')).toBeUndefined();
      const page = await registry.anonymous.get(`/v1/providers/${REHAB_ID}/public`);
      expect(page.status).toBe(200);
      expect(page.body.services).toEqual([expect.objectContaining({ service_code: 'CHILD-REHAB-COURSE', capacity_per_month: 12, free_capacity: 0 })]);
    } finally {
      await rehab.call('PATCH', `/v1/providers/${REHAB_ID}`, { services: [{ service_code: 'CHILD-REHAB-COURSE', capacity_per_month: 30 }] });
      await inbox.close();
      await redis.quit();
    }
  });

  it('When a provider also has a location outside the territory it was admitted for, then that location finds it neither by district nor by distance', async () => {
    const rehab = await registry.as('rehab-admin');
    const dimitrovgrad = { address: 'г. Димитровград, ул. Гагарина, д. 5', district_code: '73705000', lat: 54.2167, lon: 49.6167 };
    const inza = { address: 'г. Инза, ул. Льва Толстого, д. 2', district_code: '73610000', lat: 53.8506, lon: 46.3531 };
    expect((await rehab.call('PATCH', `/v1/providers/${REHAB_ID}`, { locations: [dimitrovgrad, inza] })).status).toBe(200);
    expect(ids(await registry.anonymous.get('/v1/providers?district=73610000'))).toEqual([]);
    expect(ids(await registry.anonymous.get('/v1/providers?district=73705000'))).toEqual([REHAB_ID]);
    const nearInza = await registry.anonymous.get('/v1/providers?service=CHILD-REHAB-COURSE&sort=distance&lat=53.8506&lon=46.3531');
    expect(ids(nearInza)).toEqual([REHAB_ID]);
    // Measured to Dimitrovgrad (about 217 km), where it was admitted, not to its office in Inza.
    expect(nearInza.body.items[0].distance_km).toBeGreaterThan(200);
    expect(nearInza.body.items[0].locations.map((l: any) => l.district_code)).toEqual(['73705000', '73610000']);
  });

  it('When a suspended provider is searched for, then it no longer appears', async () => {
    const committee = await registry.as('committee-73');
    await committee.post(`/v1/providers/${REHAB_ID}/status`, { status: 'suspended', reason: 'Проверка жалобы получателя' });
    expect(ids(await registry.anonymous.get('/v1/providers?sort=name'))).toEqual([ZABOTA_ID]);
  });

  it('When the query is bad (distance without a point, unknown feature, page 0), then 400 names the field', async () => {
    const noPoint = await registry.anonymous.get('/v1/providers?sort=distance');
    expect(noPoint.status).toBe(400);
    expect(noPoint.body.errors[0].field).toBe('lat');
    const feature = await registry.anonymous.get('/v1/providers?accessibility=teleport');
    expect(feature.status).toBe(400);
    expect(feature.body.errors[0].field).toMatch(/^accessibility/);
    expect((await registry.anonymous.get('/v1/providers?page=0')).status).toBe(400);
    expect((await registry.anonymous.get('/v1/providers?lat=abc&lon=1')).status).toBe(400);
  });
});

describe('Public search cache', () => {
  it('When the providers shown change in another instance (no request to this one), then the very next search shows it', async () => {
    const search = `/v1/providers?service=HOME-PSYCH-VISIT&min_free_capacity=50`;
    expect(ids(await registry.anonymous.get(search))).toEqual([ZABOTA_ID]);
    expect(ids(await registry.anonymous.get(search))).toEqual([ZABOTA_ID]);
    // Another instance's transaction: the same change and search-row refresh, not through this process.
    const other = new Client({ connectionString: registry.service.config.DATABASE_URL });
    await other.connect();
    try {
      const booked = async (n: number) => {
        await other.query('begin');
        await other.query(`update registry.provider_services set booked_per_month = $1 where provider_id = $2 and service_code = 'HOME-PSYCH-VISIT'`, [n, ZABOTA_ID]);
        await other.query(`delete from registry.search_entries where provider_id = $1`, [ZABOTA_ID]);
        await other.query(`delete from registry.search_cards where provider_id = $1`, [ZABOTA_ID]);
        await other.query(`insert into registry.search_entries (${SEARCH_ENTRIES_COLUMNS}) ${SEARCH_ENTRIES_SELECT} and p.id = $1`, [ZABOTA_ID]);
        await other.query(`insert into registry.search_cards (${SEARCH_CARDS_COLUMNS}) ${SEARCH_CARDS_SELECT} and p.id = $1`, [ZABOTA_ID]);
        await other.query('commit');
      };
      await booked(20);
      expect(ids(await registry.anonymous.get(search))).toEqual([]);
      await booked(0);
      const res = await registry.anonymous.get(search);
      expect(ids(res)).toEqual([ZABOTA_ID]);
      expect(res.body.items[0].services.find((s: any) => s.service_code === 'HOME-PSYCH-VISIT').free_capacity).toBe(60);
    } finally {
      await other.end();
    }
  });
});

