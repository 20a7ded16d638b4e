import type { Principal } from '@esc/service-kit';
import type { Deps, SearchCard, SearchQuery } from './deps';

export type { SearchCard, SearchQuery };

export interface SearchPage {
  /** The page's cards in order, each a stored card's JSON text with the distance to the asked point. */
  cards: SearchCard[];
  page: number;
  perPage: number;
  nextPage: number | null;
}

/** Admitted providers of admitted services, one page, with what a citizen needs to choose. */
export async function searchProviders(deps: Deps, _principal: Principal, input: SearchQuery): Promise<SearchPage> {
  const rows = await deps.search.pageCards(input);
  return { cards: rows.slice(0, input.perPage), page: input.page, perPage: input.perPage, nextPage: rows.length > input.perPage ? input.page + 1 : null };
}

/** The version of the search rows at some moment after this call, for SearchCache. */
export function searchVersion(deps: Deps): Promise<string> {
  return deps.search.version();
}

/**
 * Public search answers kept in memory with the version of the search rows they were read at
 * (raised by every change in the changing transaction). An answer is served again only to a request
 * whose own version read, begun after the request arrived, finds the same version: a committed
 * change, made by any instance, is visible to the next request. Least recently used answers go first.
 */
export class SearchCache<V> {
  private readonly entries = new Map<string, { version: bigint; value: V; expires: number }>();
  private readonly loading = new Map<string, Promise<V>>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 2000,
  ) {}

  /** `load` must read after `version` was read, so that what it reads is at least that version. */
  async get(key: string, version: string, load: () => Promise<V>): Promise<V> {
    const current = BigInt(version);
    const hit = this.entries.get(key);
    if (hit && hit.version === current && hit.expires > Date.now()) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const loadKey = `${version} ${key}`;
    const pending = this.loading.get(loadKey);
    if (pending) return pending;
    const expires = Date.now() + this.ttlMs;
    const promise = load().then(
      (value) => {
        this.loading.delete(loadKey);
        const kept = this.entries.get(key);
        if (!kept || kept.version <= current) {
          this.entries.delete(key);
          this.entries.set(key, { version: current, value, expires });
          if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
        }
        return value;
      },
      (err: unknown) => {
        this.loading.delete(loadKey);
        throw err;
      },
    );
    this.loading.set(loadKey, promise);
    return promise;
  }
}
