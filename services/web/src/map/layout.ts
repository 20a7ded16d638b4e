import { geoArea, geoMercator, geoPath, type ExtendedFeature, type ExtendedFeatureCollection } from 'd3-geo';
import type { RegistrySchemas } from '../api/client';

type DistrictCollection = RegistrySchemas['DistrictCollection'];
type Location = RegistrySchemas['Location'];

export interface DistrictShape {
  oktmo: string;
  name: string;
  kind: string;
  d: string;
  /** Where the label goes (the API's `center`, projected). */
  labelAt: [number, number];
  /** Bounding box of the shape: [[x0, y0], [x1, y1]]. */
  bounds: [[number, number], [number, number]];
}

export interface MapPoint {
  key: string;
  providerId: string;
  providerName: string;
  address: string;
  x: number;
  y: number;
}

export interface MapLayout {
  width: number;
  height: number;
  districts: DistrictShape[];
  project(lon: number, lat: number): [number, number] | null;
}

type Polygon = { type: 'Polygon'; coordinates: number[][][] };

/**
 * d3-geo reads rings clockwise; a ring wound the other way is the whole globe minus the district
 * (area near 4π). The API answers d3 winding when asked; a map from elsewhere is turned round here.
 */
function d3Wound(geometry: Polygon): Polygon {
  const feature: ExtendedFeature<Polygon> = { type: 'Feature', properties: {}, geometry };
  if (geoArea(feature) <= 2 * Math.PI) return geometry;
  return { type: 'Polygon', coordinates: geometry.coordinates.map((ring) => [...ring].reverse()) };
}

/** Paths in an SVG `width` units wide, fitted to the districts (Mercator, fine at a region's scale). */
export function layoutDistricts(collection: DistrictCollection, width: number, pad = 8): MapLayout {
  const features: ExtendedFeature<Polygon, { oktmo: string; name: string; kind: string; center: number[] }>[] = collection.features.map((f) => ({
    type: 'Feature',
    id: f.id,
    properties: f.properties,
    geometry: d3Wound({ type: 'Polygon', coordinates: f.geometry.coordinates }),
  }));
  const all: ExtendedFeatureCollection<(typeof features)[number]> = { type: 'FeatureCollection', features };
  if (features.length === 0) return { width, height: 0, districts: [], project: () => null };

  const probe = geoMercator().fitWidth(width - 2 * pad, all);
  const [[, y0], [, y1]] = geoPath(probe).bounds(all);
  const height = Math.max(1, Math.ceil(y1 - y0)) + 2 * pad;
  const projection = geoMercator().fitExtent(
    [
      [pad, pad],
      [width - pad, height - pad],
    ],
    all,
  );
  const path = geoPath(projection);
  const districts = features.map((f) => {
    const bounds = path.bounds(f);
    const center = f.properties.center;
    const projected = center.length === 2 ? projection([center[0]!, center[1]!]) : null;
    const centroid = path.centroid(f);
    return {
      oktmo: f.properties.oktmo,
      name: f.properties.name,
      kind: f.properties.kind,
      d: path(f) ?? '',
      labelAt: (projected ?? centroid) as [number, number],
      bounds,
    };
  });
  return {
    width,
    height,
    districts,
    project: (lon, lat) => projection([lon, lat]),
  };
}

/** Every location of every provider shown, as a point on the map. */
export function layoutPoints(layout: MapLayout, providers: { id: string; name: string; locations: Location[] }[], district: string | null): MapPoint[] {
  const points: MapPoint[] = [];
  for (const provider of providers) {
    provider.locations.forEach((location, index) => {
      if (district && !location.district_code.startsWith(district)) return;
      const xy = layout.project(location.lon, location.lat);
      if (!xy || !Number.isFinite(xy[0]) || !Number.isFinite(xy[1])) return;
      points.push({ key: `${provider.id}-${index}`, providerId: provider.id, providerName: provider.name, address: location.address, x: xy[0], y: xy[1] });
    });
  }
  return points;
}

/** How many of the providers shown have a location in each district. */
export function countByDistrict(districts: { oktmo: string }[], providers: { id: string; locations: Location[] }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of districts) {
    counts.set(d.oktmo, providers.filter((p) => p.locations.some((l) => l.district_code.startsWith(d.oktmo))).length);
  }
  return counts;
}

/**
 * The label that fits the district at this scale, centred on its label point: the name, an
 * abbreviation («Барыш.»), or none. Widths are estimated from the character count (bold, ~0.62 em).
 */
export function fittingLabel(name: string, shape: { labelAt: [number, number]; bounds: [[number, number], [number, number]] }, fontUnits: number): string | null {
  const [[x0, y0], [x1, y1]] = shape.bounds;
  const [x, y] = shape.labelAt;
  const room = 2 * Math.min(x - x0, x1 - x) * 0.9;
  if (2 * Math.min(y - y0, y1 - y) < fontUnits * 1.4) return null;
  const charWidth = fontUnits * 0.62;
  if (name.length * charWidth <= room) return name;
  const abbreviation = name.length > 5 ? `${name.slice(0, 4)}.` : name;
  if (abbreviation.length * charWidth <= room) return abbreviation;
  return null;
}
