import type { registry } from '@esc/api-types';
import { ACCESSIBILITY_LABELS, FORM_LABELS, type AccessibilityFeature, type ProviderType, type ServiceForm } from './dictionary';

/**
 * The provider search as the URL keeps it (`/providers?service=&district=&form=&type=&accessibility=
 * &free=&sort=&view=map&page=`), so a link reproduces the list or the map and back/forward works.
 * Unknown or malformed values are dropped, never sent to the API; defaults are left out of the URL.
 */

/** How a person thinks of providers; each group is one or more types of the registry. */
export type ProviderTypeGroup = 'state' | 'nko' | 'social';
export const PROVIDER_TYPE_GROUPS: Record<ProviderTypeGroup, { label: string; types: ProviderType[] }> = {
  state: { label: 'Государственное учреждение', types: ['state_institution'] },
  nko: { label: 'Некоммерческая организация (НКО, СОНКО)', types: ['nko', 'sonko'] },
  social: { label: 'Социальное предприятие или предприниматель', types: ['social_enterprise', 'entrepreneur'] },
};
const GROUP_ORDER = Object.keys(PROVIDER_TYPE_GROUPS) as ProviderTypeGroup[];
const ACCESSIBILITY_ORDER = Object.keys(ACCESSIBILITY_LABELS) as AccessibilityFeature[];
const FORMS = Object.keys(FORM_LABELS) as ServiceForm[];

export type SortKey = 'rating' | 'distance' | 'name';
export type ViewMode = 'list' | 'map';
const SORTS: SortKey[] = ['rating', 'distance', 'name'];
const VIEWS: ViewMode[] = ['list', 'map'];

export interface ProviderFilters {
  service: string | null;
  /** OKTMO code of a district or city okrug. */
  district: string | null;
  form: ServiceForm | null;
  types: ProviderTypeGroup[];
  accessibility: AccessibilityFeature[];
  /** Free units a month in a matching service; 0 shows providers without free places too. */
  free: number;
  sort: SortKey;
  view: ViewMode;
  page: number;
}

export const DEFAULT_FILTERS: ProviderFilters = {
  service: null,
  district: null,
  form: null,
  types: [],
  accessibility: [],
  free: 1,
  sort: 'rating',
  view: 'list',
  page: 1,
};

export const PER_PAGE = { list: 10, map: 100 } as const;

const SERVICE_CODE = /^[A-Z0-9][A-Z0-9-]{1,63}$/;
const OKTMO = /^[0-9]{8}([0-9]{3})?$/;
const MAX_FREE = 10_000;
const MAX_PAGE = 10_000;

function one<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value != null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** `a,b` and repeated keys alike; unknown values dropped, duplicates removed, canonical order. */
function many<T extends string>(params: URLSearchParams, key: string, allowed: readonly T[]): T[] {
  const given = new Set(params.getAll(key).flatMap((v) => v.split(',')).map((v) => v.trim()));
  return allowed.filter((value) => given.has(value));
}

function integer(value: string | null, min: number, max: number): number | null {
  if (value == null || !/^[0-9]{1,6}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

export function parseFilters(search: URLSearchParams | string): ProviderFilters {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const service = params.get('service')?.trim().toUpperCase() ?? null;
  const district = params.get('district')?.trim() ?? null;
  return {
    service: service && SERVICE_CODE.test(service) ? service : null,
    district: district && OKTMO.test(district) ? district : null,
    form: one(params.get('form'), FORMS),
    types: many(params, 'type', GROUP_ORDER),
    accessibility: many(params, 'accessibility', ACCESSIBILITY_ORDER),
    free: integer(params.get('free'), 0, MAX_FREE) ?? DEFAULT_FILTERS.free,
    sort: one(params.get('sort'), SORTS) ?? DEFAULT_FILTERS.sort,
    view: one(params.get('view'), VIEWS) ?? DEFAULT_FILTERS.view,
    page: integer(params.get('page'), 1, MAX_PAGE) ?? DEFAULT_FILTERS.page,
  };
}

/** The query string (without `?`), defaults left out, commas kept readable: `type=nko,social&view=map`. */
export function serializeFilters(filters: ProviderFilters): string {
  const pairs: [string, string][] = [];
  if (filters.service) pairs.push(['service', filters.service]);
  if (filters.district) pairs.push(['district', filters.district]);
  if (filters.form) pairs.push(['form', filters.form]);
  if (filters.types.length) pairs.push(['type', GROUP_ORDER.filter((g) => filters.types.includes(g)).join(',')]);
  if (filters.accessibility.length) pairs.push(['accessibility', ACCESSIBILITY_ORDER.filter((a) => filters.accessibility.includes(a)).join(',')]);
  if (filters.free !== DEFAULT_FILTERS.free) pairs.push(['free', String(filters.free)]);
  if (filters.sort !== DEFAULT_FILTERS.sort) pairs.push(['sort', filters.sort]);
  if (filters.view !== DEFAULT_FILTERS.view) pairs.push(['view', filters.view]);
  if (filters.page !== DEFAULT_FILTERS.page) pairs.push(['page', String(filters.page)]);
  return pairs.map(([key, value]) => `${key}=${encodeURIComponent(value).replace(/%2C/g, ',')}`).join('&');
}

/**
 * The next state after the person changes something: any change of what is searched starts again
 * at page 1; switching between list and map keeps the filters (and page 1, as the pages differ in size).
 */
export function changeFilters(current: ProviderFilters, patch: Partial<ProviderFilters>): ProviderFilters {
  const next = { ...current, ...patch };
  if (!('page' in patch)) next.page = 1;
  return next;
}

export interface Origin {
  lat: number;
  lon: number;
}

export type ProviderSearchQuery = NonNullable<registry.operations['searchProviders']['parameters']['query']>;

/**
 * What GET /v1/providers is asked. Distance needs a point (the person's location, asked only when
 * they press the button, or the chosen district's centre); without one the list stays by rating.
 */
export function toSearchQuery(filters: ProviderFilters, origin: Origin | null): { query: ProviderSearchQuery; sort: SortKey } {
  const sort: SortKey = filters.sort === 'distance' && !origin ? 'rating' : filters.sort;
  const query: ProviderSearchQuery = {
    sort,
    min_free_capacity: filters.free,
    page: filters.page,
    per_page: PER_PAGE[filters.view],
  };
  if (filters.service) query.service = filters.service;
  if (filters.district) query.district = filters.district;
  if (filters.form) query.form = filters.form;
  if (filters.types.length) query.type = filters.types.flatMap((g) => PROVIDER_TYPE_GROUPS[g].types).join(',');
  if (filters.accessibility.length) query.accessibility = filters.accessibility.join(',');
  if (sort === 'distance' && origin) {
    query.lat = Math.round(origin.lat * 10_000) / 10_000;
    query.lon = Math.round(origin.lon * 10_000) / 10_000;
  }
  return { query, sort };
}

/** How many of the filters narrow the search (for «Сбросить фильтры (3)»). */
export function activeFilterCount(filters: ProviderFilters): number {
  return (
    (filters.service ? 1 : 0) +
    (filters.district ? 1 : 0) +
    (filters.form ? 1 : 0) +
    filters.types.length +
    filters.accessibility.length +
    (filters.free !== DEFAULT_FILTERS.free ? 1 : 0)
  );
}
