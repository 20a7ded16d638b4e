import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { parseInput } from '@esc/service-kit';
import { searchProviders, type SearchCache } from '../domain/search';
import type { SearchPool } from '../data-access/sql-client';
import * as schemas from './schemas';

/** The public provider search: one page's JSON for an untrusted query (throws the 400 problem when it is bad). */
export type PublicSearch = (query: unknown) => Promise<string | Buffer>;

export function publicSearch(searchPool: SearchPool, searchCache: SearchCache<Buffer>): PublicSearch {
  return (query) => {
    const q = parseInput(schemas.searchQuery, query);
    const read = () =>
      searchProviders(searchPool.query, {
        service: q.service,
        district: q.district,
        form: q.form,
        accessibility: q.accessibility,
        minFreeCapacity: q.min_free_capacity,
        sort: q.sort,
        lat: q.lat,
        lon: q.lon,
        page: q.page,
        perPage: q.per_page,
      });
    // Points (a citizen's whereabouts) hardly ever repeat: such answers would only crowd the cache out.
    if (searchCache.ttlMs <= 0 || q.lat !== undefined) return read();
    // Kept as UTF-8 bytes: half the memory of the string, and no encoding on every answer.
    return searchPool.version().then((version) => searchCache.get(schemas.searchCacheKey(q), version, async () => Buffer.from(await read())));
  };
}

/** Headers and the JSON text in one write (res.send would copy it into a Buffer and write twice). */
export function sendSearchPage(res: ServerResponse, body: string | Buffer): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(body);
}

const REQUEST_ID = /^[\w.-]{1,100}$/;

/**
 * Answers a successful `GET /v1/providers` straight from Node's HTTP server, in front of the
 * Express app: Express's per-request work (prototype swaps, routing, body parsers) cost more CPU
 * than the search itself. Anything else, and a search that fails (a bad query, a lost database),
 * goes to the Express app, which answers it the usual way: same route, problem+json, logging.
 */
export function withSearchInFront(search: PublicSearch, app: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    const mark = url.indexOf('?');
    if (req.method !== 'GET' || (mark < 0 ? url : url.slice(0, mark)) !== '/v1/providers') return app(req, res);
    let answer: Promise<string | Buffer>;
    try {
      // Express's default ("simple") query parser, so both paths read a query the same way.
      answer = search(parseQueryString(mark < 0 ? '' : url.slice(mark + 1)));
    } catch {
      return app(req, res);
    }
    answer.then(
      (body) => {
        const incoming = req.headers['x-request-id'];
        res.setHeader('X-Request-Id', typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID());
        sendSearchPage(res, body);
      },
      () => app(req, res),
    );
  };
}
