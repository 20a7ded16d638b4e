import { createHash } from 'node:crypto';
import { Pool, type QueryResultRow } from 'pg';
import type { Logger } from '@esc/service-kit';

export type PreparedQuery = <R = Record<string, unknown>>(text: string, values: unknown[]) => Promise<R[]>;

/**
 * The public search's own small pool of read connections. Every statement is prepared once per
 * connection and planned generically: with the page size, offset and point as parameters,
 * PostgreSQL's default would keep planning each execution afresh, and planning these queries costs
 * more than running them. The ORM's pool keeps the default for everything else.
 */
export class SearchPool {
  private readonly pool: Pool;

  constructor(databaseUrl: string, max: number, logger: Logger) {
    this.pool = new Pool({
      connectionString: databaseUrl,
      max,
      application_name: 'registry-search',
      options: '-c plan_cache_mode=force_generic_plan -c default_transaction_read_only=on',
    });
    // An idle connection dropped by the server is replaced on the next search; nothing to crash for.
    this.pool.on('error', (err) => logger.warn({ err }, 'search pool connection lost'));
  }

  readonly query: PreparedQuery = async <R>(text: string, values: unknown[]) => {
    const name = `registry_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    return (await this.pool.query<R & QueryResultRow>({ name, text, values })).rows;
  };

  close(): Promise<void> {
    return this.pool.end();
  }
}
