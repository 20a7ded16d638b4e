import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { notFound } from '@esc/service-kit';

type Ring = Array<[number, number]>;

export interface DistrictCollection {
  type: 'FeatureCollection';
  region_code: string;
  winding: 'rfc7946' | 'd3';
  features: Array<{ type: 'Feature'; id: string; properties: Record<string, unknown>; geometry: { type: 'Polygon'; coordinates: Ring[] } }>;
  [member: string]: unknown;
}

/**
 * The district maps in DISTRICTS_DIR, `<region>.geojson` each, stored with RFC 7946 winding and read
 * once per region: they ship with the service and do not change while it runs.
 */
export class DistrictMaps {
  private readonly loaded = new Map<string, Promise<DistrictCollection | undefined>>();

  constructor(private readonly dir: string) {}

  async get(region: string, winding: 'rfc7946' | 'd3'): Promise<DistrictCollection> {
    let map = this.loaded.get(region);
    if (!map) {
      map = this.load(region);
      this.loaded.set(region, map);
      // A failed read (not a missing file) is tried again next time.
      map.catch(() => this.loaded.delete(region));
    }
    const found = await map;
    if (!found) {
      throw notFound('region_districts_not_found', `Карты районов для региона ${region} пока нет; районы можно выбрать по коду ОКТМО в поиске поставщиков.`, {
        region_code: region,
      });
    }
    if (winding === 'rfc7946') return found;
    // d3-geo reads a spherical polygon's rings the other way round: reverse each one.
    return {
      ...found,
      winding,
      features: found.features.map((f) => ({ ...f, geometry: { ...f.geometry, coordinates: f.geometry.coordinates.map((ring) => [...ring].reverse()) } })),
    };
  }

  private async load(region: string): Promise<DistrictCollection | undefined> {
    try {
      const map = JSON.parse(await readFile(join(this.dir, `${region}.geojson`), 'utf8')) as DistrictCollection;
      return { ...map, region_code: region, winding: 'rfc7946' };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
}
