import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { startEmbeddedPostgres, type BackingService } from '../../../infra/dev/backing-services';
import { createOrm, withTransaction } from '../src';
import { silentLogger } from './helpers';

/**
 * A PostgreSQL restart under concurrent transactions must not leak pooled connections. Kysely (under
 * MikroORM) kept a connection whose BEGIN, COMMIT or ROLLBACK failed checked out forever, so after a
 * few restarts the pool was empty and every transaction waited for good (the notifications service
 * stopped handling events). Patched in patches/kysely@0.29.6.patch. A server of the test's own, never
 * the shared one.
 */

let dir: string;
let port: number;
let postgres: BackingService;
let orm: MikroORM;
const start = () => startEmbeddedPostgres({ port, dataDir: path.join(dir, 'data') });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'esc-kit-restart-'));
  chmodSync(dir, 0o755);
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  postgres = await start();
  orm = await createOrm({ databaseUrl: postgres.url, schema: 'kit_restart', entities: [], migrations: [], poolMax: 5, logger: silentLogger });
  await orm.em.fork().execute('create schema if not exists kit_restart');
  await orm.em.fork().execute('create table if not exists kit_restart.t (id serial primary key)');
}, 60_000);
afterAll(async () => {
  await Promise.race([orm?.close(), sleep(3000)]);
  await postgres?.stop?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('When PostgreSQL restarts four times under concurrent transactions, then afterwards every transaction finishes and a new query answers', async () => {
  let stopping = false;
  const started = new Map<number, number>();
  let next = 0;
  let committed = 0;
  const worker = async () => {
    while (!stopping) {
      const id = next++;
      started.set(id, Date.now());
      try {
        await withTransaction(orm.em.fork(), async (em) => {
          await em.execute('insert into kit_restart.t default values');
          await em.execute('select pg_sleep(0.01)');
        });
        committed += 1;
      } catch {
        await sleep(50);
      }
      started.delete(id);
    }
  };
  const workers = Array.from({ length: 4 }, worker);
  for (let i = 0; i < 4; i++) {
    await sleep(700);
    await postgres.stop!();
    await sleep(700);
    postgres = await start();
  }
  await sleep(3000);
  expect([...started.values()].filter((at) => Date.now() - at > 2500)).toEqual([]);
  const answer = await Promise.race([orm.em.fork().execute('select 1 as one').then(() => 'answered'), sleep(3000).then(() => 'no connection in 3 s')]);
  expect(answer).toBe('answered');
  stopping = true;
  await Promise.all(workers);
  expect(committed).toBeGreaterThan(0);
}, 60_000);
