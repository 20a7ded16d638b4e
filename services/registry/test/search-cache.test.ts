import { SearchCache } from '../src/domain/search';

/** A load that answers when told to, counting how often it was started. */
function gatedLoad() {
  let reads = 0;
  let release!: (value: string) => void;
  const load = () => {
    reads++;
    return new Promise<string>((resolve) => (release = resolve));
  };
  return { load, reads: () => reads, release: (value: string) => release(value) };
}

describe('Search cache', () => {
  it('When the same page is asked again while it is being read, then one read answers both and the next ask is a hit', async () => {
    const cache = new SearchCache<string>(60_000);
    const gate = gatedLoad();
    const first = cache.get('k', gate.load);
    const second = cache.get('k', gate.load);
    gate.release('page');
    expect(await Promise.all([first, second])).toEqual(['page', 'page']);
    expect(await cache.get('k', gate.load)).toBe('page');
    expect(gate.reads()).toBe(1);
  });

  it('When a write clears the cache while a read is under way, then that read answers its caller but is not kept', async () => {
    const cache = new SearchCache<string>(60_000);
    const gate = gatedLoad();
    const before = cache.get('k', gate.load);
    cache.clear();
    gate.release('before the write');
    expect(await before).toBe('before the write');
    const after = cache.get('k', gate.load);
    gate.release('after the write');
    expect(await after).toBe('after the write');
    expect(gate.reads()).toBe(2);
  });

  it('When a read fails, then the next ask reads again', async () => {
    const cache = new SearchCache<string>(60_000);
    await expect(cache.get('k', () => Promise.reject(new Error('connection lost')))).rejects.toThrow('connection lost');
    expect(await cache.get('k', () => Promise.resolve('page'))).toBe('page');
  });
});
