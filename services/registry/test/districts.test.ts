import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, type RegistryHarness } from './harness';

type Point = [number, number];

const SERVICE_DIR = join(__dirname, '..');
const OKTMO = [
  '73603000', '73604000', '73606000', '73609000', '73612000', '73615000', '73618000', '73621000', '73624000', '73627000', '73630000',
  '73633000', '73636000', '73639000', '73642000', '73645000', '73648000', '73651000', '73654000', '73656000', '73657000',
  '73701000', '73705000', '73710000',
];

let registry: RegistryHarness;
let dir: string;

/** The repository's map, and a tiny one for region 99, in a directory of the test's own. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esc-districts-'));
  copyFileSync(join(SERVICE_DIR, 'geo', '73.geojson'), join(dir, '73.geojson'));
  const square: Point[] = [[10, 10], [10.1, 10], [10.1, 10.1], [10, 10.1], [10, 10]];
  writeFileSync(
    join(dir, '99.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      region_name: 'Тестовый регион',
      schematic: true,
      attribution: 'Тест',
      note: 'Тест',
      features: [{ type: 'Feature', id: '99701000', properties: { oktmo: '99701000', name: 'город Тест', kind: 'city_okrug', center: [10.05, 10.05] }, geometry: { type: 'Polygon', coordinates: [square] } }],
    }),
  );
  registry = await startRegistry('districts', { DISTRICTS_DIR: dir });
});
afterAll(async () => {
  await registry?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Twice the signed planar area of a ring in lon/lat; positive when counter-clockwise with north up. */
function signedArea(ring: Point[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return sum;
}

function inside([x, y]: Point, ring: Point[]): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

function crossesItself(ring: Point[]): boolean {
  const o = (p: Point, q: Point, r: Point) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      const [a, b, c, d] = [ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!];
      if (o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0) return true;
    }
  }
  return false;
}

/** In polygon = inside the exterior ring and in no hole. */
const inPolygon = (p: Point, rings: Point[][]) => inside(p, rings[0]!) && !rings.slice(1).some((hole) => inside(p, hole));

/** d3-geo is an ES module and Jest runs CommonJS: its areas are measured by a node child process. */
function d3Areas(features: unknown[]): number[] {
  const script = `import { geoArea } from 'd3-geo'; let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => console.log(JSON.stringify(JSON.parse(s).map((f) => geoArea(f)))));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: SERVICE_DIR, input: JSON.stringify(features) }).toString());
}

describe('District maps', () => {
  it('When anyone asks for region 73, then all 21 municipal districts and 3 city okrugs come as a schematic GeoJSON collection', async () => {
    const res = await registry.anonymous.get('/v1/regions/73/districts');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.body).toMatchObject({ type: 'FeatureCollection', region_code: '73', region_name: 'Ульяновская область', schematic: true, winding: 'rfc7946' });
    expect(res.body.note).toMatch(/[Сс]хематичн/);
    expect(res.body.attribution).toMatch(/[А-Яа-я]/);
    expect(res.body.features.map((f: any) => f.properties.oktmo).sort()).toEqual(OKTMO);
    const byCode = new Map<string, any>(res.body.features.map((f: any) => [f.id, f]));
    expect(byCode.get('73701000').properties).toMatchObject({ name: 'город Ульяновск', kind: 'city_okrug' });
    expect(byCode.get('73705000').properties).toMatchObject({ name: 'город Димитровград', kind: 'city_okrug' });
    expect(byCode.get('73710000').properties).toMatchObject({ name: 'город Новоульяновск', kind: 'city_okrug' });
    expect(byCode.get('73603000').properties).toMatchObject({ name: 'Базарносызганский район', kind: 'municipal_district' });
    expect(res.body.features.filter((f: any) => f.properties.kind === 'municipal_district')).toHaveLength(21);
  });

  it('When the polygons are checked, then rings are closed and simple, exteriors counter-clockwise and holes clockwise, inside the oblast, each label inside its own shape', async () => {
    const { body } = await registry.anonymous.get('/v1/regions/73/districts');
    for (const f of body.features) {
      expect([f.id, f.type, f.geometry.type]).toEqual([f.properties.oktmo, 'Feature', 'Polygon']);
      const rings: Point[][] = f.geometry.coordinates;
      rings.forEach((ring, i) => {
        expect(ring.length).toBeGreaterThanOrEqual(4);
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        for (const [lon, lat] of ring) {
          expect(lon).toBeGreaterThanOrEqual(45.9);
          expect(lon).toBeLessThanOrEqual(50.4);
          expect(lat).toBeGreaterThanOrEqual(52.4);
          expect(lat).toBeLessThanOrEqual(55);
        }
        expect([f.id, i, crossesItself(ring)]).toEqual([f.id, i, false]);
        expect([f.id, i, signedArea(ring) > 0]).toEqual([f.id, i, i === 0]);
      });
      expect([f.id, inPolygon(f.properties.center, rings)]).toEqual([f.id, true]);
    }
    // Cities are cut out of the district around them, so no point belongs to two features.
    const ulyanovskyHoles = body.features.find((f: any) => f.id === '73654000').geometry.coordinates.length - 1;
    expect(ulyanovskyHoles).toBe(2);
    expect(body.features.find((f: any) => f.id === '73621000').geometry.coordinates).toHaveLength(2);
  });

  it('When the demo providers’ locations are placed on the map, then each falls in the district whose code it carries', async () => {
    const { body } = await registry.anonymous.get('/v1/regions/73/districts');
    const locations: Array<[string, Point]> = [
      ['73701000', [48.4031, 54.3142]],
      ['73701000', [48.5852, 54.3627]],
      ['73701000', [48.3846, 54.3105]],
      ['73705000', [49.6167, 54.2167]],
    ];
    for (const [code, point] of locations) {
      const hits = body.features.filter((f: any) => inPolygon(point, f.geometry.coordinates)).map((f: any) => f.id);
      expect([point, hits]).toEqual([point, [code]]);
    }
  });

  it('When measured with d3-geo, then RFC 7946 rings read as the rest of the globe and winding=d3 rings as the districts themselves', async () => {
    const rfc = (await registry.anonymous.get('/v1/regions/73/districts')).body;
    const d3 = (await registry.anonymous.get('/v1/regions/73/districts?winding=d3')).body;
    expect(d3.winding).toBe('d3');
    expect(d3.features[0].geometry.coordinates[0]).toEqual([...rfc.features[0].geometry.coordinates[0]].reverse());
    const rfcAreas = d3Areas(rfc.features);
    const d3AreasList = d3Areas(d3.features);
    for (const a of rfcAreas) expect(a).toBeGreaterThan(4 * Math.PI - 0.01);
    // The oblast is about 37,000 km²: 37,000 / 6371² ≈ 0.0009 sr in all.
    const total = d3AreasList.reduce((sum, a) => sum + a, 0);
    expect(total).toBeGreaterThan(0.0007);
    expect(total).toBeLessThan(0.0012);
  });

  it('When the directory has a map for another region, then it is served from DISTRICTS_DIR; a region without one is 404, a bad code 400', async () => {
    const other = await registry.anonymous.get('/v1/regions/99/districts');
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ region_code: '99', region_name: 'Тестовый регион', features: [{ id: '99701000' }] });
    const missing = await registry.anonymous.get('/v1/regions/77/districts');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('region_districts_not_found');
    expect(missing.body.detail).toContain('77');
    expect((await registry.anonymous.get('/v1/regions/7/districts')).status).toBe(400);
    expect((await registry.anonymous.get('/v1/regions/73/districts?winding=ccw')).status).toBe(400);
  });
});
