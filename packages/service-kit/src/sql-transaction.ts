import type { MikroORM } from '@mikro-orm/postgresql';

/** The subset of a node-postgres client the hot paths use: prepared statements with $n parameters. */
export interface SqlClient {
  query<R = Record<string, unknown>>(query: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: R[] }>;
}

interface KnexClientPool {
  acquireConnection(): Promise<SqlClient>;
  releaseConnection(connection: SqlClient): Promise<unknown>;
}

const RETRYABLE = new Set(['40001', '40P01']);

function poolOf(orm: MikroORM): KnexClientPool {
  return orm.em.getConnection().getKnex().client as unknown as KnexClientPool;
}

/** A raw connection from the ORM's pool without a transaction, for read-only hot paths. */
export async function withSqlClient<T>(orm: MikroORM, work: (sql: SqlClient) => Promise<T>): Promise<T> {
  const pool = poolOf(orm);
  const client = await pool.acquireConnection();
  try {
    return await work(client);
  } finally {
    await pool.releaseConnection(client);
  }
}

/**
 * A transaction on a raw connection borrowed from the ORM's own pool, for hot paths where the ORM's
 * client-side parameter formatting costs more than the work: parameters go to PostgreSQL as binds and
 * named statements are prepared once per connection. Retries serialization failures and deadlocks.
 */
export async function withSqlTransaction<T>(orm: MikroORM, work: (sql: SqlClient) => Promise<T>, attempts = 4): Promise<T> {
  const pool = poolOf(orm);
  for (let attempt = 1; ; attempt++) {
    const client = await pool.acquireConnection();
    try {
      await client.query({ text: 'begin' });
      try {
        const result = await work(client);
        await client.query({ text: 'commit' });
        return result;
      } catch (err) {
        await client.query({ text: 'rollback' }).catch(() => undefined);
        throw err;
      }
    } catch (err) {
      const state = (err as { code?: string }).code;
      if (attempt >= attempts || !state || !RETRYABLE.has(state)) throw err;
    } finally {
      await pool.releaseConnection(client);
    }
    await new Promise((resolve) => setTimeout(resolve, 2 * attempt + Math.random() * 5));
  }
}
