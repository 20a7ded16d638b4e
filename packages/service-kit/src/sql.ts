import { CompiledQuery, type Kysely } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SqlClient } from './sql-transaction';

/**
 * The one way the stores run hand-written SQL. Parameters are `$1, $2, …` and travel to PostgreSQL as
 * binds; a JS array is sent as a PostgreSQL array (`= any($1::uuid[])`, `unnest($1::text[])`). Rows come
 * back with the ORM pool's conventions — numeric and bigint as strings, date as `YYYY-MM-DD` — and
 * every timestamptz as an ISO 8601 string (`2026-12-07T03:06:20.692Z`), the form the API speaks.
 */
export interface Sql {
  rows<T>(text: string, values?: readonly unknown[]): Promise<T[]>;
  one<T>(text: string, values?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement for its effect; answers the number of rows it touched. */
  run(text: string, values?: readonly unknown[]): Promise<number>;
}

interface Result {
  rows: unknown[];
  rowCount: number;
}

type Send = (text: string, values: readonly unknown[]) => Promise<Result>;

// The pool hands timestamptz over as PostgreSQL text ("2026-11-24 00:37:00.12+00").
const PG_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}(:\d{2})?$/;

/** A timestamptz in PostgreSQL's text form, as ISO 8601 in UTC. */
export function isoTimestamp(value: string): string {
  const [date, rest] = value.split(' ');
  const offset = /[+-]\d{2}$/.test(rest!) ? `${rest}:00` : rest;
  return new Date(`${date}T${offset}`).toISOString();
}

function withIsoTimestamps<R>(row: R): R {
  const record = row as Record<string, unknown>;
  for (const key in record) {
    const value = record[key];
    if (typeof value === 'string' && value.length >= 22 && PG_TIMESTAMPTZ.test(value)) record[key] = isoTimestamp(value);
    else if (value instanceof Date) record[key] = value.toISOString();
  }
  return row;
}

function sqlFrom(send: Send): Sql {
  return {
    async rows<T>(text: string, values: readonly unknown[] = []) {
      return (await send(text, values)).rows.map((row) => withIsoTimestamps(row as T));
    },
    async one<T>(text: string, values: readonly unknown[] = []) {
      const row = (await send(text, values)).rows[0];
      return row === undefined ? undefined : withIsoTimestamps(row as T);
    },
    async run(text: string, values: readonly unknown[] = []) {
      return (await send(text, values)).rowCount;
    },
  };
}

async function sendOn(client: SqlClient, text: string, values: readonly unknown[]): Promise<Result> {
  const result = (await client.query({ text, values: values as unknown[] })) as { rows: unknown[]; rowCount?: number | null };
  return { rows: result.rows, rowCount: result.rowCount ?? 0 };
}

/**
 * Hand-written SQL on an EntityManager: inside `withTransaction` it runs on that transaction's
 * connection, outside it on a connection of the ORM's pool. The statement goes through the ORM's
 * Kysely client as a compiled query, so its parameters are binds, not text the ORM formats.
 */
export function sqlOf(em: EntityManager): Sql {
  return sqlFrom(async (text, values) => {
    const executor = em.getTransactionContext<Kysely<unknown>>() ?? em.getConnection().getClient();
    const result = await executor.executeQuery(CompiledQuery.raw(text, values as unknown[]));
    return { rows: result.rows as unknown[], rowCount: Number(result.numAffectedRows ?? result.rows.length) };
  });
}

/** Hand-written SQL on a connection the caller holds (the hot paths' `withSqlTransaction`). */
export function sqlOn(client: SqlClient): Sql {
  return sqlFrom((text, values) => sendOn(client, text, values));
}
