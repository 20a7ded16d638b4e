import type { MikroORM } from '@mikro-orm/postgresql';
import { withSqlClient, type SqlClient } from '@esc/service-kit';

/** The transaction's last statement; it must send its query before it returns (no await first). */
export type FinalWrite = (sql: SqlClient) => Promise<unknown>;

/**
 * A transaction whose BEGIN travels ahead of the first statement and whose COMMIT follows the last
 * write without waiting for it: node-postgres sends a queued query as soon as the previous one's
 * ReadyForQuery arrives, inside the socket's own callback, so a batch waits for a busy event loop
 * twice (the reads, the commit) instead of four times. `work` reads, then hands its one write to
 * `finish`.
 */
export async function withBatchTransaction<T>(
  orm: MikroORM,
  work: (sql: SqlClient, finish: (write: FinalWrite) => Promise<void>) => Promise<T>,
): Promise<T> {
  return withSqlClient(orm, async (sql) => {
    const begin = sql.query({ text: 'begin' });
    begin.catch(() => undefined);
    let ended = false;
    const finish = async (write: FinalWrite) => {
      // Reads that ran outside a transaction (BEGIN failed) must not lead to a write.
      await begin;
      ended = true;
      const written = write(sql);
      const commit = sql.query({ text: 'commit' });
      commit.catch(() => undefined);
      // A failed write aborts the transaction, and the queued COMMIT then only rolls it back.
      await written;
      await commit;
    };
    try {
      const result = await work(sql, finish);
      if (!ended) await finish(() => Promise.resolve());
      return result;
    } catch (err) {
      if (!ended) await sql.query({ text: 'rollback' }).catch(() => undefined);
      throw err;
    }
  });
}
