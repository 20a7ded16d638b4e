import { useMemo } from 'react';
import { $registry, type RegistrySchemas } from '../../api/client';
import { REGION } from './dictionary';

export type CatalogService = RegistrySchemas['Service'];
export type DistrictCollection = RegistrySchemas['DistrictCollection'];
export type DistrictFeature = RegistrySchemas['DistrictFeature'];

/** The catalog rarely changes within a visit: one read serves every navigator page. */
const LONG = { staleTime: 10 * 60_000 };

export const catalogInit = { params: { query: { region: REGION } } };
export const districtsInit = { params: { path: { region: REGION }, query: { winding: 'd3' as const } } };

export function useCatalog() {
  const query = $registry.useQuery('get', '/v1/catalog/services', catalogInit, LONG);
  const byCode = useMemo(() => new Map((query.data?.items ?? []).map((s) => [s.code, s])), [query.data]);
  return { ...query, services: query.data?.items ?? [], byCode };
}

export interface DistrictOption {
  oktmo: string;
  name: string;
  center: [number, number];
}

/** The region's districts (names for filters and addresses, shapes for the map), by name. */
export function useDistricts() {
  const query = $registry.useQuery('get', '/v1/regions/{region}/districts', districtsInit, { staleTime: Infinity });
  const options = useMemo<DistrictOption[]>(
    () =>
      (query.data?.features ?? [])
        .map((f) => ({ oktmo: f.properties.oktmo, name: f.properties.name, center: [f.properties.center[0] ?? 0, f.properties.center[1] ?? 0] as [number, number] }))
        .sort((a, b) => a.name.localeCompare(b.name, 'ru')),
    [query.data],
  );
  return { ...query, options };
}

/** A location's OKTMO (8 or 11 digits) lies in the district whose 8-digit code it starts with. */
export function districtOf(code: string, options: DistrictOption[]): DistrictOption | undefined {
  return options.find((d) => code.startsWith(d.oktmo));
}

/**
 * The territory of an admission or a round in words: district names, «вся область» when empty or
 * when a code prefix covers every district.
 */
export function territoryText(codes: string[], options: DistrictOption[]): string {
  if (codes.length === 0) return 'вся область';
  const names: string[] = [];
  for (const code of codes) {
    const exact = districtOf(code, options);
    if (exact) {
      names.push(exact.name);
      continue;
    }
    const covered = options.filter((d) => d.oktmo.startsWith(code));
    if (options.length > 0 && covered.length === options.length) return 'вся область';
    if (covered.length > 0) names.push(...covered.map((d) => d.name));
    else names.push(`территория с кодом ОКТМО ${code}`);
  }
  return [...new Set(names)].join(', ');
}
