import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DistrictCollection, DistrictMaps } from '../domain/deps';

/**
 * The district maps in DISTRICTS_DIR, `<region>.geojson` each, stored with RFC 7946 winding and read
 * once per region: they ship with the service and do not change while it runs.
 */
export class DistrictMapFiles implements DistrictMaps {
  private readonly loaded = new Map<string, Promise<DistrictCollection | undefined>>();

  constructor(private readonly dir: string) {}

  get(region: string): Promise<DistrictCollection | undefined> {
    let map = this.loaded.get(region);
    if (!map) {
      map = this.load(region);
      this.loaded.set(region, map);
      // A failed read (not a missing file) is tried again next time.
      map.catch(() => this.loaded.delete(region));
    }
    return map;
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
