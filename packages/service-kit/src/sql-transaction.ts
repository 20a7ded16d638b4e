import type { MikroORM } from '@mikro-orm/postgresql';
import { assertPipeliningSupported, PipelinedSession, type PgClient, type SqlStatement } from './pipelined-session';

/** The subset of a node-postgres client the hot paths use: prepared statements with $n parameters. */
export interface SqlClient {
  query<R = Record<string, unknown>>(query: SqlStatement): Promise<{ rows: R[] }>;
}

interface PgPool {
  connect(): Promise<SqlClient & { release(err?: Error | boolean): void }>;
}

const RETRYABLE = new Set(['40001', '40P01']);

/** The node-postgres pool under the ORM's Kysely client. */
async function poolOf(orm: MikroORM): Promise<PgPool> {
  return (await orm.em.getConnection().getNativeClient()) as unknown as PgPool;
}

/** A raw connection from the ORM's pool without a transaction, for read-only hot paths. */
export async function withSqlClient<T>(orm: MikroORM, work: (sql: SqlClient) => Promise<T>): Promise<T> {
  const client = await (await poolOf(orm)).connect();
  let broken: Error | undefined;
  try {
    return await work(client);
  } catch (err) {
    // A connection whose protocol state is unknown (a query cut off mid-way) must not go back to the pool.
    if (!(err as { code?: string }).code) broken = err as Error;
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * A transaction on a raw connection borrowed from the ORM's own pool, for hot paths where the ORM's
 * client-side parameter formatting costs more than the work: parameters go to PostgreSQL as binds and
 * named statements are prepared once per connection. Retries serialization failures and deadlocks.
 */
export async function withSqlTransaction<T>(orm: MikroORM, work: (sql: SqlClient) => Promise<T>, attempts = 4): Promise<T> {
  return retryingConflicts(attempts, () =>
    withSqlClient(orm, async (client) => {
      await client.query({ text: 'begin' });
      try {
        const result = await work(client);
        await client.query({ text: 'commit' });
        return result;
      } catch (err) {
        await client.query({ text: 'rollback' }).catch(() => undefined);
        throw err;
      }
    }),
  );
}

/** Runs a whole transaction again after a serialization failure or a deadlock, up to `attempts` times. */
async function retryingConflicts<T>(attempts: number, transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (err) {
      const state = (err as { code?: string }).code;
      if (attempt >= attempts || !state || !RETRYABLE.has(state)) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, 2 * attempt + Math.random() * 5));
  }
}

/** A transaction's last statement: it must send its query before it returns (no await first). */
export type FinalWrite = (sql: SqlClient) => Promise<unknown>;

/** Reads on `sql`, then at most one `finish(write)`: the write and the commit. */
export type TransactionWork<T> = (sql: SqlClient, finish: (write: FinalWrite) => Promise<void>) => Promise<T>;

let pipeliningOverride: boolean | undefined;
let pipeliningChecked = false;

/**
 * Whether withPipelinedTransaction pipelines: `SQL_PIPELINING=off` makes it an ordinary transaction
 * (BEGIN … COMMIT) on the same connection, for a node-postgres whose internals PipelinedSession no
 * longer fits, or to compare the two. Read on every transaction, so tests can switch it.
 */
export function sqlPipeliningOn(): boolean {
  if (pipeliningOverride !== undefined) return pipeliningOverride;
  const setting = process.env.SQL_PIPELINING;
  if (setting === undefined || setting === '' || setting === 'on') return true;
  if (setting === 'off') return false;
  throw new Error(`SQL_PIPELINING must be "on" or "off", not "${setting}".`);
}

/** Tests switch pipelining per test; undefined goes back to SQL_PIPELINING. */
export function setSqlPipelining(on: boolean | undefined): void {
  pipeliningOverride = on;
}

/**
 * A transaction sent as one pipeline (see PipelinedSession): `work` reads, each read one round trip
 * inside the transaction, then hands its one write to `finish`, which sends it with the commit, so a
 * batch costs two round trips and waits for a busy event loop twice. Serialization failures and
 * deadlocks are retried up to `attempts` times. With pipelining off, the same work runs between
 * BEGIN and COMMIT: each read awaited, then the write, then COMMIT.
 */
export async function withPipelinedTransaction<T>(
  orm: MikroORM,
  work: TransactionWork<T>,
  attempts = 1,
): Promise<T> {
  const pipelined = sqlPipeliningOn();
  return retryingConflicts(attempts, () =>
    withSqlClient(orm, async (client) => {
      if (!pipelined) return ordinaryTransaction(client, work);
      if (!pipeliningChecked) {
        assertPipeliningSupported(client);
        pipeliningChecked = true;
      }
      const session = new PipelinedSession(client as unknown as PgClient);
      const reads: SqlClient = { query: async <R>(statement: SqlStatement) => ({ rows: await session.read<R>(statement) }) };
      let ended = false;
      const finish = async (write: FinalWrite) => {
        ended = true;
        let sent = false;
        const written = write({
          query: async <R>(statement: SqlStatement) => {
            sent = true;
            return { rows: await session.commitWith<R>(statement) };
          },
        });
        if (!sent) await session.commitWith();
        await written;
        await session.done;
      };
      try {
        const result = await work(reads, finish);
        if (!ended) await finish(() => Promise.resolve());
        return result;
      } catch (err) {
        if (!ended) await session.rollback();
        else await session.done.catch(() => undefined);
        throw err;
      }
    }),
  );
}

async function ordinaryTransaction<T>(client: SqlClient, work: TransactionWork<T>): Promise<T> {
  await client.query({ text: 'begin' });
  let open = true;
  const finish = async (write: FinalWrite) => {
    await write(client);
    open = false;
    await client.query({ text: 'commit' });
  };
  try {
    const result = await work(client, finish);
    if (open) await finish(() => Promise.resolve());
    return result;
  } catch (err) {
    if (open) await client.query({ text: 'rollback' }).catch(() => undefined);
    throw err;
  }
}
