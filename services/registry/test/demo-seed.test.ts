import { seedRegistryDemo } from '../../../infra/dev/seed-demo';
import { startRegistry, type RegistryHarness } from './harness';
import { REHAB_ID, ZABOTA_ID } from './fixtures';

let registry: RegistryHarness;

beforeAll(async () => {
  registry = await startRegistry('demo-seed');
});
afterAll(async () => {
  await registry?.stop();
});

type Point = [number, number];

function inside([x, y]: Point, ring: Point[]): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

describe('The registry demo seed and the navigator', () => {
  it('When the demo seed runs twice, then both demo providers have public pages, Rehab serves Dimitrovgrad too, and the demo round is listed', async () => {
    await seedRegistryDemo(registry.gatewayUrl, registry.url);
    await seedRegistryDemo(registry.gatewayUrl, registry.url);
    const zabota = await registry.anonymous.get(`/v1/providers/${ZABOTA_ID}/public`);
    expect(zabota.body.services.map((s: any) => [s.service_code, s.tariff])).toEqual([
      ['HOME-HOUSEHOLD-HOUR', '312.40'],
      ['HOME-PSYCH-VISIT', '954.30'],
    ]);
    const rehab = await registry.anonymous.get(`/v1/providers/${REHAB_ID}/public`);
    expect(rehab.body.locations.map((l: any) => l.district_code)).toEqual(['73701000', '73705000']);
    expect((await registry.anonymous.get('/v1/providers?district=73705000')).body.items.map((p: any) => p.id)).toEqual([REHAB_ID]);
    const rounds = await registry.anonymous.get('/v1/public/rounds?status=open');
    expect(rounds.body.items).toEqual([expect.objectContaining({ status: 'open', results_published: true, admitted_count: 2 })]);
    expect(rehab.body.services[0].admission.round_id).toBe(rounds.body.items[0].id);
  });

  it('When the demo providers’ locations are put on the district map, then each falls inside the district whose OKTMO code it carries', async () => {
    const map = (await registry.anonymous.get('/v1/regions/73/districts')).body;
    const locations = [
      ...(await registry.anonymous.get(`/v1/providers/${ZABOTA_ID}/public`)).body.locations,
      ...(await registry.anonymous.get(`/v1/providers/${REHAB_ID}/public`)).body.locations,
    ];
    expect(locations).toHaveLength(4);
    for (const l of locations) {
      const hits = map.features.filter((f: any) => inside([l.lon, l.lat], f.geometry.coordinates[0]) && !f.geometry.coordinates.slice(1).some((h: Point[]) => inside([l.lon, l.lat], h)));
      expect([l.address, hits.map((f: any) => f.id)]).toEqual([l.address, [l.district_code]]);
    }
  });
});
