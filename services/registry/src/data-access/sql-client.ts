import { createHash } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { withSqlClient as withPooledClient } from '@esc/service-kit';

/**
 * A pooled connection for read-only hot paths (the public search): parameters sent as binds, and
 * every statement prepared once per connection, because planning the search queries costs more than
 * running them.
 */
export async function withSqlClient<T>(orm: MikroORM, work: (sql: PreparedQuery) => Promise<T>): Promise<T> {
  return withPooledClient(orm, (client) =>
    work(async <R>(text: string, values: unknown[]) => {
      const name = `registry_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      return (await client.query<R>({ name, text, values })).rows;
    }),
  );
}

export type PreparedQuery = <R = Record<string, unknown>>(text: string, values: unknown[]) => Promise<R[]>;
