import { GroupCommit, type ItemOutcome } from '../src/group-commit';

describe('GroupCommit', () => {
  test('When calls arrive while a batch is under way, then they wait and go together in the next one, each with its own answer', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return items.map((n): ItemOutcome<number> => (n % 5 === 0 ? { ok: false, error: new Error(`refused ${n}`) } : { ok: true, value: n * 10 }));
      },
      { maxInFlight: 1, maxBatch: 100 },
    );
    const first = commit.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3, 4, 5, 6].map((n) => commit.submit(n).then((v) => v, (e: Error) => e.message));
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40, 'refused 5', 60]);
    expect(batches).toEqual([[1], [2, 3, 4, 5, 6]]);
  });

  test('When a batch throws as a whole, then each of its items runs alone and only the bad one fails', async () => {
    const runs: number[][] = [];
    const commit = new GroupCommit<number, string>(
      async (items) => {
        runs.push(items);
        if (items.includes(13)) throw new Error('unlucky batch');
        return items.map((n) => ({ ok: true, value: `ok ${n}` }));
      },
      { maxInFlight: 1, maxBatch: 10 },
    );
    const answers = await Promise.all([12, 13, 14].map((n) => commit.submit(n).then((v) => v, (e: Error) => e.message)));
    expect(answers).toEqual(['ok 12', 'unlucky batch', 'ok 14']);
    expect(runs).toEqual([[12, 13, 14], [12], [13], [14]]);
  });

  test('When more calls wait than a batch may hold, then they are split into batches of at most maxBatch', async () => {
    const sizes: number[] = [];
    const commit = new GroupCommit<number, number>(
      async (items) => {
        sizes.push(items.length);
        return items.map((n) => ({ ok: true, value: n }));
      },
      { maxInFlight: 2, maxBatch: 4 },
    );
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => commit.submit(i)));
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sizes).toEqual([4, 4, 2]);
  });

  test('When items are weighed (a request of several transfers), then a batch holds at most maxBatch weight but always at least one item', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        return items.map((n) => ({ ok: true, value: n }));
      },
      { maxInFlight: 1, maxBatch: 10, weight: (n) => n },
    );
    await Promise.all([4, 5, 3, 12, 1].map((n) => commit.submit(n)));
    expect(batches).toEqual([[4, 5], [3], [12], [1]]);
  });
});
