import { createTestDatabase, type TestDatabase } from '@esc/testing/src/database';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm, sqlOf, withTransaction } from '../src';
import { silentLogger } from './helpers';

const SCHEMA = 'kit_sql';
let db: TestDatabase;
let orm: MikroORM;

beforeAll(async () => {
  db = await createTestDatabase('kit_sql');
  orm = await createOrm({ databaseUrl: db.url, schema: SCHEMA, entities: [], migrations: [], logger: silentLogger, poolMax: 2 });
  const sql = sqlOf(orm.em.fork());
  await sql.run(`create schema "${SCHEMA}"`);
  await sql.run(`create table "${SCHEMA}".notes (id int primary key, body text, tags text[], amount numeric(20,2), at timestamptz, day date)`);
}, 60_000);
afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

test('Parameters are $n binds, arrays go as PostgreSQL arrays and come back with the API conventions', async () => {
  const sql = sqlOf(orm.em.fork());
  const inserted = await sql.run(
    `insert into "${SCHEMA}".notes (id, body, tags, amount, at, day) values ($1, $2, $3, $4, $5, $6), ($7, $2, $3, $4, $5, $6)`,
    [1, 'what? $1 ?', ['a "quoted"', 'b,c'], '9007199254740993.01', '2026-12-07T06:00:00+03:00', '2026-12-07', 2],
  );
  expect(inserted).toBe(2);
  const row = await sql.one<{ body: string; tags: string[]; amount: string; at: string; day: string }>(
    `select body, tags, amount, at, day from "${SCHEMA}".notes where id = any($1::int[]) and $2 = any(tags) order by id limit 1`,
    [[1, 2], 'b,c'],
  );
  expect(row).toEqual({ body: 'what? $1 ?', tags: ['a "quoted"', 'b,c'], amount: '9007199254740993.01', at: '2026-12-07T03:00:00.000Z', day: '2026-12-07' });
  expect(await sql.one(`select 1 from "${SCHEMA}".notes where id = $1`, [99])).toBeUndefined();
});

test('Inside withTransaction the statements run on the transaction and roll back with it', async () => {
  const em = orm.em.fork();
  await expect(
    withTransaction(em, async (tx) => {
      await sqlOf(tx).run(`insert into "${SCHEMA}".notes (id, body) values ($1, $2)`, [10, 'inside']);
      const seen = await sqlOf(tx).rows<{ id: number }>(`select id from "${SCHEMA}".notes where id = $1`, [10]);
      expect(seen).toEqual([{ id: 10 }]);
      throw new Error('undo');
    }),
  ).rejects.toThrow('undo');
  expect(await sqlOf(orm.em.fork()).rows(`select id from "${SCHEMA}".notes where id = $1`, [10])).toEqual([]);
});
