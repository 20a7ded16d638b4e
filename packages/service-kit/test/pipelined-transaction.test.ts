import { createTestDatabase, type TestDatabase } from '@esc/testing/src/database';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '../src';
import { setSqlPipelining, withPipelinedTransaction, withSqlClient, type SqlClient } from '../src/hot';
import { assertPipeliningSupported, PipelinedSession } from '../src/pipelined-session';
import { gate, silentLogger } from './helpers';

const SCHEMA = 'kit_pipeline';
let db: TestDatabase;
let orm: MikroORM;

beforeAll(async () => {
  db = await createTestDatabase('kit_pipeline');
  // Two connections: one for the transaction under test, one for an observer.
  orm = await createOrm({ databaseUrl: db.url, schema: SCHEMA, entities: [], migrations: [], logger: silentLogger, poolMax: 2 });
  const em = orm.em.fork();
  await em.execute(`create schema "${SCHEMA}"`);
  await em.execute(`create table "${SCHEMA}".accounts (id int primary key, balance numeric(20,2) not null check (balance >= 0), note text)`);
}, 60_000);
afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

beforeEach(async () => {
  const em = orm.em.fork();
  await em.execute(`truncate "${SCHEMA}".accounts`);
  await em.execute(`insert into "${SCHEMA}".accounts (id, balance) values (1, 100), (2, 0)`);
});

const balances = () => withSqlClient(orm, async (sql) => (await sql.query<{ id: number; balance: string }>({ text: `select id, balance::text as balance from "${SCHEMA}".accounts order by id` })).rows);
const lockBoth = (sql: SqlClient) => sql.query<{ id: number; balance: string }>({ name: 'kit_lock_both', text: `select id, balance::text as balance from "${SCHEMA}".accounts where id = any($1::int[]) order by id for update`, values: [[1, 2]] });
const move = (amount: string) => (sql: SqlClient) =>
  sql.query({ name: 'kit_move', text: `update "${SCHEMA}".accounts set balance = balance + case id when 1 then -$1::numeric else $1::numeric end where id in (1, 2)`, values: [amount] });

// Every behaviour holds whether the transaction is pipelined or an ordinary BEGIN … COMMIT (SQL_PIPELINING=off).
describe.each([
  ['on', true],
  ['off', false],
])('SQL pipelining %s', (_mode, pipelined) => {
  beforeAll(() => setSqlPipelining(pipelined));
  afterAll(() => setSqlPipelining(undefined));

  test('When the reads and the write succeed, then the write commits with the values and types the reads saw', async () => {
    const seen = await withPipelinedTransaction(orm, async (sql, finish) => {
      const { rows } = await lockBoth(sql);
      await finish(move('30.50'));
      return rows;
    });
    expect(seen).toEqual([
      { id: 1, balance: '100.00' },
      { id: 2, balance: '0.00' },
    ]);
    expect(await balances()).toEqual([
      { id: 1, balance: '69.50' },
      { id: 2, balance: '30.50' },
    ]);
  });

  test('When a transaction holds its read locks while it waits (as for the ledger), then another writer waits for its commit, not its read', async () => {
    const readDone = gate();
    const mayWrite = gate();
    const first = withPipelinedTransaction(orm, async (sql, finish) => {
      await lockBoth(sql);
      readDone.open();
      await mayWrite.promise;
      await finish(move('10.00'));
    });
    await readDone.promise;
    let secondDone = false;
    const second = withPipelinedTransaction(orm, async (sql, finish) => {
      const { rows } = await lockBoth(sql);
      await finish(move('1.00'));
      return rows;
    }).finally(() => (secondDone = true));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(secondDone).toBe(false);
    mayWrite.open();
    await first;
    // The second read the first one's committed balances once its locks were released.
    expect(await second).toEqual([
      { id: 1, balance: '90.00' },
      { id: 2, balance: '10.00' },
    ]);
    expect(await balances()).toEqual([
      { id: 1, balance: '89.00' },
      { id: 2, balance: '11.00' },
    ]);
  });

  test('When the write fails, then nothing of the transaction stays, the caller gets the database error and the connection is usable', async () => {
    const failure = withPipelinedTransaction(orm, async (sql, finish) => {
      await sql.query({ text: `update "${SCHEMA}".accounts set note = 'touched' where id = 2` });
      await finish(move('500.00'));
    });
    await expect(failure).rejects.toMatchObject({ code: '23514' });
    expect(await balances()).toEqual([
      { id: 1, balance: '100.00' },
      { id: 2, balance: '0.00' },
    ]);
    const notes = await withSqlClient(orm, async (sql) => (await sql.query({ text: `select count(*)::int as n from "${SCHEMA}".accounts where note is not null` })).rows);
    expect(notes).toEqual([{ n: 0 }]);
  });

  test('When a read fails, then the transaction is rolled back; statements prepared before the error stay prepared and those skipped after it are prepared next time', async () => {
    // One connection, so the transactions after the failure meet what the failed one left on it.
    const single = await createOrm({ databaseUrl: db.url, schema: SCHEMA, entities: [], migrations: [], logger: silentLogger, poolMax: 1 });
    try {
      const before = { name: 'kit_parsed_before_error', text: `select balance::text as balance from "${SCHEMA}".accounts where id = $1::int`, values: [1] };
      const after = { name: 'kit_skipped_after_error', text: `select note from "${SCHEMA}".accounts where id = $1::int`, values: [1] };
      const failure = withPipelinedTransaction(single, async (sql, finish) => {
        await sql.query({ text: `update "${SCHEMA}".accounts set note = 'touched' where id = 1` });
        await Promise.all([sql.query(before), sql.query({ text: `select 1 / 0` }), sql.query(after)]);
        await finish(move('1.00'));
      });
      await expect(failure).rejects.toMatchObject({ code: '22012' });
      for (let i = 0; i < 2; i++) {
        const rows = await withPipelinedTransaction(single, async (sql, finish) => {
          const read = [...(await sql.query(before)).rows, ...(await sql.query(after)).rows];
          await finish(move('1.00'));
          return read;
        });
        expect(rows).toEqual([{ balance: `${100 - i}.00` }, { note: null }]);
      }
      // node-postgres's own queries on that connection agree with what the session left prepared.
      const plain = await withSqlClient(single, async (sql) => [...(await sql.query(before)).rows, ...(await sql.query(after)).rows]);
      expect(plain).toEqual([{ balance: '98.00' }, { note: null }]);
    } finally {
      await single.close(true);
    }
  });

  test('When the work throws after reading, then its changes are rolled back and its locks released', async () => {
    const failure = withPipelinedTransaction(orm, async (sql) => {
      await lockBoth(sql);
      await sql.query({ text: `update "${SCHEMA}".accounts set note = 'touched' where id = 1` });
      throw new Error('the ledger refused');
    });
    await expect(failure).rejects.toThrow('the ledger refused');
    const after = await withPipelinedTransaction(orm, async (sql, finish) => {
      const { rows } = await lockBoth(sql);
      await finish(move('5.00'));
      return rows;
    });
    expect(after).toEqual([
      { id: 1, balance: '100.00' },
      { id: 2, balance: '0.00' },
    ]);
    const notes = await withSqlClient(orm, async (sql) => (await sql.query({ text: `select count(*)::int as n from "${SCHEMA}".accounts where note is not null` })).rows);
    expect(notes).toEqual([{ n: 0 }]);
  });
});

describe('The switch', () => {
  type Query = (this: unknown, ...args: unknown[]) => unknown;
  let sent: () => unknown[];
  let restore: () => void;
  beforeEach(async () => {
    // The pool's own client class: the repository holds more than one version of pg.
    const prototype = await withSqlClient(orm, async (client) => Object.getPrototypeOf(client) as { query: Query });
    const spy = jest.spyOn(prototype, 'query');
    sent = () => spy.mock.calls.map(([query]) => (query instanceof PipelinedSession ? 'pipeline' : (query as { text?: string }).text));
    restore = () => spy.mockRestore();
  });
  afterEach(() => {
    restore();
    delete process.env.SQL_PIPELINING;
  });

  const transfer = () =>
    withPipelinedTransaction(orm, async (sql, finish) => {
      await lockBoth(sql);
      await finish(move('1.00'));
    });

  test('When SQL_PIPELINING is unset or on, then the transaction goes as one pipeline', async () => {
    await transfer();
    process.env.SQL_PIPELINING = 'on';
    await transfer();
    expect(sent()).toEqual(['pipeline', 'pipeline']);
  });

  test('When SQL_PIPELINING is off, then the same work runs as BEGIN, the reads, the write and COMMIT', async () => {
    process.env.SQL_PIPELINING = 'off';
    await transfer();
    expect(sent()).toEqual(['begin', expect.stringContaining('for update'), expect.stringContaining('update'), 'commit']);
    expect(await balances()).toEqual([
      { id: 1, balance: '99.00' },
      { id: 2, balance: '1.00' },
    ]);
  });

  test('When SQL_PIPELINING is neither on nor off, then the transaction is refused with a clear error', async () => {
    process.env.SQL_PIPELINING = 'false';
    await expect(transfer()).rejects.toThrow('SQL_PIPELINING must be "on" or "off", not "false".');
    expect(sent()).toEqual([]);
  });
});

describe('assertPipeliningSupported', () => {
  const poolClient = () => withSqlClient(orm, async (client) => client as unknown as { connection: object });

  test('When node-postgres has what PipelinedSession drives, then it passes, for the pool client and for service-kit’s pg', async () => {
    const client = await poolClient();
    expect(() => assertPipeliningSupported(client)).not.toThrow();
    expect(() => assertPipeliningSupported()).not.toThrow();
  });

  test('When a client or connection internal is missing, then the error names it and the way out', async () => {
    const client = await poolClient();
    const withoutDataRows = Object.assign(Object.create(client) as object, { _handleDataRow: undefined });
    expect(() => assertPipeliningSupported(withoutDataRows)).toThrow(/Client\.prototype\._handleDataRow.*SQL_PIPELINING=off/);
    const connection = Object.assign(Object.create(client.connection) as object, { sync: undefined });
    expect(() => assertPipeliningSupported(Object.assign(Object.create(client) as object, { connection }))).toThrow(/Connection\.prototype\.sync/);
    const unprepared = Object.assign(Object.create(client.connection) as object, { parsedStatements: undefined });
    expect(() => assertPipeliningSupported(Object.assign(Object.create(client) as object, { connection: unprepared }))).toThrow(/Connection#parsedStatements/);
  });
});
