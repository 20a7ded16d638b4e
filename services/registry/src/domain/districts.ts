import { notFound, type Principal } from '@esc/service-kit';
import type { DistrictCollection, Deps } from './deps';

/** d3-geo reads a spherical polygon's rings the other way round from RFC 7946: each ring reversed. */
export function withWinding(map: DistrictCollection, winding: 'rfc7946' | 'd3'): DistrictCollection {
  if (winding === map.winding) return map;
  return {
    ...map,
    winding,
    features: map.features.map((f) => ({ ...f, geometry: { ...f.geometry, coordinates: f.geometry.coordinates.map((ring) => [...ring].reverse()) } })),
  };
}

export async function regionDistricts(deps: Deps, _principal: Principal, input: { region: string; winding: 'rfc7946' | 'd3' }): Promise<DistrictCollection> {
  const map = await deps.districts.get(input.region);
  if (!map) {
    throw notFound('region_districts_not_found', `Карты районов для региона ${input.region} пока нет; районы можно выбрать по коду ОКТМО в поиске поставщиков.`, {
      region_code: input.region,
    });
  }
  return withWinding(map, input.winding);
}
