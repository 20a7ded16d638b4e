/**
 * Writes geo/73.geojson: a SCHEMATIC map of Ульяновская область for the navigator's choropleth.
 * Not surveyed boundaries: each municipal district is the Voronoi cell of a point near its real
 * centre, clipped to a rough outline of the oblast; the three city okrugs are small discs cut out of
 * the district around them. Deterministic: run it again and the file is the same.
 *
 *   npx tsx services/registry/geo/generate-schematic.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Delaunay } from 'd3-delaunay';
import { geoArea, geoContains } from 'd3-geo';

type Point = [number, number];
type Ring = Point[];

/** A rough outline of the oblast, [lon, lat], clockwise from the north-west. */
const OUTLINE: Ring = [
  [46.35, 54.8], [46.95, 54.95], [47.6, 54.88], [48.05, 54.95], [48.55, 54.78], [48.95, 54.86], [49.45, 54.64],
  [49.95, 54.56], [50.3, 54.4], [50.2, 54.1], [49.9, 53.97], [49.35, 54.0], [48.95, 53.9], [48.85, 53.7],
  [48.55, 53.45], [48.3, 53.1], [48.22, 52.8], [47.9, 52.55], [47.45, 52.45], [46.95, 52.5], [46.7, 52.85],
  [46.55, 53.25], [46.1, 53.45], [45.95, 53.85], [46.1, 54.2], [46.25, 54.55],
];

/**
 * Municipal districts (OKTMO 736xx000) with a point near the middle of each, [lat, lon], and where
 * to put the label when that point is crowded by a city.
 */
const DISTRICTS: Array<{ oktmo: string; name: string; site: [number, number]; label?: [number, number] }> = [
  { oktmo: '73603000', name: 'Базарносызганский район', site: [53.72, 46.8] },
  { oktmo: '73604000', name: 'Барышский район', site: [53.58, 47.22] },
  { oktmo: '73606000', name: 'Вешкаймский район', site: [54.0, 47.2] },
  { oktmo: '73609000', name: 'Инзенский район', site: [53.85, 46.35] },
  { oktmo: '73612000', name: 'Карсунский район', site: [54.25, 46.9] },
  { oktmo: '73615000', name: 'Кузоватовский район', site: [53.5, 47.72] },
  { oktmo: '73618000', name: 'Майнский район', site: [54.15, 47.7] },
  { oktmo: '73621000', name: 'Мелекесский район', site: [54.28, 49.45], label: [54.45, 49.6] },
  { oktmo: '73624000', name: 'Николаевский район', site: [53.12, 47.05] },
  { oktmo: '73627000', name: 'Новомалыклинский район', site: [54.25, 50.0] },
  { oktmo: '73630000', name: 'Новоспасский район', site: [53.15, 47.8] },
  { oktmo: '73633000', name: 'Павловский район', site: [52.7, 47.1] },
  { oktmo: '73636000', name: 'Радищевский район', site: [52.85, 48.0] },
  { oktmo: '73639000', name: 'Сенгилеевский район', site: [53.88, 48.55] },
  { oktmo: '73642000', name: 'Старокулаткинский район', site: [52.65, 47.55] },
  { oktmo: '73645000', name: 'Старомайнский район', site: [54.62, 49.05] },
  { oktmo: '73648000', name: 'Сурский район', site: [54.55, 46.6] },
  { oktmo: '73651000', name: 'Тереньгульский район', site: [53.55, 48.25] },
  { oktmo: '73654000', name: 'Ульяновский район', site: [54.18, 48.42], label: [54.05, 48.2] },
  { oktmo: '73656000', name: 'Цильнинский район', site: [54.6, 47.95] },
  { oktmo: '73657000', name: 'Чердаклинский район', site: [54.42, 49.08] },
];

/** City okrugs as discs around their centres, [lat, lon], each inside one district. */
const CITIES: Array<{ oktmo: string; name: string; centre: [number, number]; radiusKm: number; within: string }> = [
  { oktmo: '73701000', name: 'город Ульяновск', centre: [54.32, 48.45], radiusKm: 13, within: '73654000' },
  { oktmo: '73705000', name: 'город Димитровград', centre: [54.22, 49.6], radiusKm: 6, within: '73621000' },
  { oktmo: '73710000', name: 'город Новоульяновск', centre: [54.15, 48.39], radiusKm: 3.5, within: '73654000' },
];

// Cells are drawn where distances look right: x = lon · cos(mid latitude), y = lat.
const K = Math.cos((53.7 * Math.PI) / 180);
const project = ([lon, lat]: Point): Point => [lon * K, lat];
const unproject = ([x, y]: Point): Point => [x / K, y];
const round = (v: number) => Math.round(v * 1e4) / 1e4;

/** Twice the signed area; positive when the ring runs counter-clockwise (north up). */
function signedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % ring.length]!;
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

const ccw = (ring: Ring): Ring => (signedArea(ring) > 0 ? ring : [...ring].reverse());

/** Sutherland–Hodgman: the part of `subject` inside the convex, counter-clockwise `clipper`. */
function clip(subject: Ring, clipper: Ring): Ring {
  let output = subject;
  for (let i = 0; i < clipper.length; i++) {
    const a = clipper[i]!;
    const b = clipper[(i + 1) % clipper.length]!;
    const side = (p: Point) => (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    const input = output;
    output = [];
    for (let j = 0; j < input.length; j++) {
      const p = input[j]!;
      const q = input[(j + 1) % input.length]!;
      const sp = side(p);
      const sq = side(q);
      if (sp >= 0) output.push(p);
      if ((sp >= 0) !== (sq >= 0)) {
        const t = sp / (sp - sq);
        output.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    }
  }
  return output;
}

function segmentsCross(a: Point, b: Point, c: Point, d: Point): boolean {
  const o = (p: Point, q: Point, r: Point) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
}

function assertSimple(ring: Ring, what: string): void {
  for (let i = 0; i < ring.length; i++) {
    for (let j = i + 2; j < ring.length; j++) {
      if (i === 0 && j === ring.length - 1) continue;
      if (segmentsCross(ring[i]!, ring[(i + 1) % ring.length]!, ring[j]!, ring[(j + 1) % ring.length]!)) {
        throw new Error(`${what}: the ring crosses itself at edges ${i} and ${j}`);
      }
    }
  }
}

function inside(p: Point, ring: Ring): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

/** Drops repeated and collinear vertices that clipping leaves behind. */
function clean(ring: Ring): Ring {
  const out: Ring = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || Math.hypot(p[0] - last[0], p[1] - last[1]) > 1e-9) out.push(p);
  }
  if (out.length > 1 && Math.hypot(out[0]![0] - out[out.length - 1]![0], out[0]![1] - out[out.length - 1]![1]) <= 1e-9) out.pop();
  return out.filter((p, i) => {
    const prev = out[(i - 1 + out.length) % out.length]!;
    const next = out[(i + 1) % out.length]!;
    return Math.abs((p[0] - prev[0]) * (next[1] - prev[1]) - (p[1] - prev[1]) * (next[0] - prev[0])) > 1e-12;
  });
}

/** A ring as GeoJSON wants it: [lon, lat] rounded to ~10 m, closed. */
function geoRing(projected: Ring): Ring {
  const ring = projected.map((p) => unproject(p)).map(([lon, lat]): Point => [round(lon), round(lat)]);
  return [...ring, ring[0]!];
}

function disc(centre: [number, number], radiusKm: number, vertices = 24): Ring {
  const [lat, lon] = centre;
  const r = radiusKm / 111.2;
  const [cx, cy] = project([lon, lat]);
  return Array.from({ length: vertices }, (_, i): Point => {
    const a = (2 * Math.PI * i) / vertices;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
}

function main() {
  const outline = ccw(OUTLINE.map(project));
  const sites = DISTRICTS.map((d) => project([d.site[1], d.site[0]]));
  const xs = outline.map((p) => p[0]);
  const ys = outline.map((p) => p[1]);
  const voronoi = Delaunay.from(sites).voronoi([Math.min(...xs) - 1, Math.min(...ys) - 1, Math.max(...xs) + 1, Math.max(...ys) + 1]);

  const cities = CITIES.map((c) => ({ ...c, ring: ccw(disc(c.centre, c.radiusKm)) }));
  let total = 0;
  const districts = DISTRICTS.map((d, i) => {
    const cell = ccw(clean((voronoi.cellPolygon(i) as Point[]).slice(0, -1)));
    const ring = clean(clip(outline, cell));
    if (ring.length < 3) throw new Error(`${d.name}: the cell does not overlap the outline`);
    assertSimple(ring, d.name);
    if (!inside(sites[i]!, ring)) throw new Error(`${d.name}: its point lies outside its own cell`);
    const holes = cities.filter((c) => c.within === d.oktmo);
    for (const city of holes) {
      if (!city.ring.every((p) => inside(p, ring))) throw new Error(`${city.name} does not fit inside ${d.name}; move the district's point`);
    }
    total += signedArea(ring);
    return { ...d, ring, holes: holes.map((c) => [...c.ring].reverse()) };
  });
  if (Math.abs(total - signedArea(outline)) > 1e-6) throw new Error('the districts do not tile the outline');

  const features = [
    ...districts.map((d) => ({
      type: 'Feature' as const,
      id: d.oktmo,
      properties: { oktmo: d.oktmo, name: d.name, kind: 'municipal_district', center: [round((d.label ?? d.site)[1]), round((d.label ?? d.site)[0])] },
      geometry: { type: 'Polygon' as const, coordinates: [geoRing(d.ring), ...d.holes.map(geoRing)] },
    })),
    ...cities.map((c) => ({
      type: 'Feature' as const,
      id: c.oktmo,
      properties: { oktmo: c.oktmo, name: c.name, kind: 'city_okrug', center: [round(c.centre[1]), round(c.centre[0])] },
      geometry: { type: 'Polygon' as const, coordinates: [geoRing(c.ring)] },
    })),
  ];

  // d3-geo takes a spherical polygon's exterior ring clockwise; the file keeps RFC 7946's
  // counter-clockwise rings, so reversed they must cover a small area and contain their own centre.
  for (const f of features) {
    const d3 = { ...f, geometry: { ...f.geometry, coordinates: f.geometry.coordinates.map((r) => [...r].reverse()) } };
    if (!(geoArea(d3) < 0.01 && geoArea(f) > 4 * Math.PI - 0.01)) throw new Error(`${f.properties.name}: unexpected winding`);
    if (!geoContains(d3, f.properties.center as Point)) throw new Error(`${f.properties.name}: the label point is outside the polygon`);
  }

  const all = features.flatMap((f) => f.geometry.coordinates.flat());
  const bbox = [Math.min(...all.map((p) => p[0])), Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[0])), Math.max(...all.map((p) => p[1]))];
  const head = {
    type: 'FeatureCollection',
    region_code: '73',
    region_name: 'Ульяновская область',
    schematic: true,
    attribution: 'Схема составлена для навигатора по приблизительным центрам районов; коды и названия — по ОКТМО.',
    note:
      'Схематичная карта: границы районов условные (ячейки вокруг центров районов внутри примерного контура области), ' +
      'города показаны кругами. Подходит для выбора района и раскраски по данным, но не для измерений и не как официальная граница.',
    bbox,
  };
  // One feature per line keeps the file readable and its diffs small.
  const text = `${JSON.stringify(head).slice(0, -1)},"features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
  const target = join(__dirname, '73.geojson');
  writeFileSync(target, text);
  console.log(`wrote ${target}: ${features.length} features`);
}

main();
