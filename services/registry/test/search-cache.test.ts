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
  it('When the same page is asked again at the same version while it is being read, then one read answers both and the next ask is a hit', async () => {
    const cache = new SearchCache<string>(60_000);
    const gate = gatedLoad();
    const first = cache.get('k', '7', gate.load);
    const second = cache.get('k', '7', gate.load);
    gate.release('page');
    expect(await Promise.all([first, second])).toEqual(['page', 'page']);
    expect(await cache.get('k', '7', gate.load)).toBe('page');
    expect(gate.reads()).toBe(1);
  });

  it('When the version has moved on, then the page is read again, and a slower read of the old version does not replace it', async () => {
    const cache = new SearchCache<string>(60_000);
    const old = gatedLoad();
    const before = cache.get('k', '7', old.load);
    expect(await cache.get('k', '8', () => Promise.resolve('after the change'))).toBe('after the change');
    old.release('before the change');
    expect(await before).toBe('before the change');
    expect(await cache.get('k', '8', () => Promise.resolve('read again'))).toBe('after the change');
  });

  it('When a read fails, then the next ask reads again', async () => {
    const cache = new SearchCache<string>(60_000);
    await expect(cache.get('k', '1', () => Promise.reject(new Error('connection lost')))).rejects.toThrow('connection lost');
    expect(await cache.get('k', '1', () => Promise.resolve('page'))).toBe('page');
  });

  it('When it is full, then the page asked least recently goes first', async () => {
    const cache = new SearchCache<string>(60_000, 2);
    await cache.get('a', '1', () => Promise.resolve('A'));
    await cache.get('b', '1', () => Promise.resolve('B'));
    await cache.get('a', '1', () => Promise.resolve('read again'));
    await cache.get('c', '1', () => Promise.resolve('C'));
    expect(await cache.get('a', '1', () => Promise.resolve('read again'))).toBe('A');
    expect(await cache.get('b', '1', () => Promise.resolve('read again'))).toBe('read again');
  });
});
