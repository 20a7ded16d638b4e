import { createHash } from 'node:crypto';
import { Pool, type QueryResultRow } from 'pg';
import type { Logger } from '@esc/service-kit';

const ignore = () => undefined;

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

  private readonly names = new Map<string, string>();
  private versionRead: Promise<string> | undefined;
  private nextVersionRead: Promise<string> | undefined;

  readonly query: PreparedQuery = async <R>(text: string, values: unknown[]) => {
    let name = this.names.get(text);
    if (!name) {
      name = `registry_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      this.names.set(text, name);
    }
    return (await this.pool.query<R & QueryResultRow>({ name, text, values })).rows;
  };

  /**
   * The version of the search rows at some moment after this call. Callers share reads, but never
   * one sent before they called: who comes while a read is under way waits for the next one.
   */
  version(): Promise<string> {
    if (!this.versionRead) return this.readVersion();
    const sent = this.versionRead;
    this.nextVersionRead ??= sent.then(ignore, ignore).then(() => {
      this.nextVersionRead = undefined;
      return this.readVersion();
    });
    return this.nextVersionRead;
  }

  private readVersion(): Promise<string> {
    const read: Promise<string> = this.query<{ version: string }>('select version::text as version from registry.search_version', [])
      .then((rows) => rows[0]!.version)
      .finally(() => {
        if (this.versionRead === read) this.versionRead = undefined;
      });
    this.versionRead = read;
    return read;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
