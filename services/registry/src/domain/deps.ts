import type { MikroORM } from '@mikro-orm/postgresql';
import type { Principal } from '@esc/service-kit';

/** Where document bytes live; local disk by default, an object store later behind the same interface. */
export interface DocumentStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
}

type Ring = Array<[number, number]>;

export interface DistrictCollection {
  type: 'FeatureCollection';
  region_code: string;
  winding: 'rfc7946' | 'd3';
  features: Array<{ type: 'Feature'; id: string; properties: Record<string, unknown>; geometry: { type: 'Polygon'; coordinates: Ring[] } }>;
  [member: string]: unknown;
}

/** A region's district map with RFC 7946 winding, or undefined when the region has none. */
export interface DistrictMaps {
  get(region: string): Promise<DistrictCollection | undefined>;
}

export interface SearchQuery {
  service?: string;
  district?: string;
  form?: string;
  /** Provider types, any of which matches; empty means every type. */
  types: string[];
  accessibility: string[];
  minFreeCapacity: number;
  sort: 'rating' | 'distance' | 'name';
  lat?: number;
  lon?: number;
  page: number;
  perPage: number;
}

/** A card as stored (a JSON object's text) and, when a point was given, the distance to the provider's nearest location. */
export interface SearchCard {
  card: string;
  distance_km: string | null;
}

/** The public search's reads, on its own pool of prepared statements (the hot path). */
export interface ProviderSearchIndex {
  /** One page of cards plus one, to know whether another page follows, in the asked order. */
  pageCards(query: SearchQuery): Promise<SearchCard[]>;
  /** The version of the search rows at some moment after the call (see SearchCache). */
  version(): Promise<string>;
}

/** The registry's long-lived dependencies, wired in app.ts; every use case takes them first. */
export interface Deps {
  orm: MikroORM;
  /** What "now" is for windows and deadlines; tests move it to reach a deadline that has passed. */
  now(): Date;
  /** Each region's IANA time zone: its civil date is "today" for cost versions, windows and deadlines. */
  regionTimeZones: ReadonlyMap<string, string>;
  documents: DocumentStorage;
  districts: DistrictMaps;
  search: ProviderSearchIndex;
}

/** Whoever calls a public read without signing in. */
export const ANONYMOUS: Principal = { subject: 'anonymous', kind: 'user', roles: [], scopes: [], expiresAt: Number.MAX_SAFE_INTEGER };
