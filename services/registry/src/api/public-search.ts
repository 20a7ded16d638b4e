import type { ServerResponse } from 'node:http';
import { parseInput } from '@esc/service-kit';
import { type FastRoute } from '@esc/service-kit/hot';
import { ANONYMOUS, type Deps } from '../domain/deps';
import { searchProviders, searchVersion, type SearchCache } from '../domain/search';
import { searchPageJson } from './presenters';
import * as schemas from './schemas';

/** The public provider search: one page's JSON for an untrusted query (throws the 400 problem when it is bad). */
export type PublicSearch = (query: unknown) => Promise<string | Buffer>;

export function publicSearch(deps: Deps, searchCache: SearchCache<Buffer>): PublicSearch {
  return (query) => {
    const q = parseInput(schemas.searchQuery, query);
    const read = async () =>
      searchPageJson(
        await searchProviders(deps, ANONYMOUS, {
          service: q.service,
          district: q.district,
          form: q.form,
          types: q.type,
          accessibility: q.accessibility,
          minFreeCapacity: q.min_free_capacity,
          sort: q.sort,
          lat: q.lat,
          lon: q.lon,
          page: q.page,
          perPage: q.per_page,
        }),
      );
    // Points (a citizen's whereabouts) hardly ever repeat: such answers would only crowd the cache out.
    if (searchCache.ttlMs <= 0 || q.lat !== undefined) return read();
    // Kept as UTF-8 bytes: half the memory of the string, and no encoding on every answer.
    return searchVersion(deps).then((version) => searchCache.get(schemas.searchCacheKey(q), version, async () => Buffer.from(await read())));
  };
}

/** Headers and the JSON text in one write (res.send would copy it into a Buffer and write twice). */
export function sendSearchPage(res: ServerResponse, body: string | Buffer): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(body);
}

/**
 * The public search answered in front of Express (see service-kit's withFastRoutes): Express's
 * per-request work cost more CPU than a cached search. A bad query or a failed search is answered as
 * the Express route would, with problem+json.
 */
export function registryFastRoutes(search: PublicSearch): FastRoute[] {
  return [{ method: 'GET', path: /^\/v1\/providers$/, access: 'public', handle: async ({ query }) => ({ status: 200, json: await search(query) }) }];
}
