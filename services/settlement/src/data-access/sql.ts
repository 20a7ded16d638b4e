import type { SqlClient } from '@esc/service-kit/hot';

// The ORM's pool hands timestamptz over as PostgreSQL text ("2026-11-24 00:37:00.12+00"); the API speaks ISO 8601.
const PG_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}(:\d{2})?$/;

function withIsoTimestamps<R>(row: R): R {
  const record = row as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (typeof value === 'string' && PG_TIMESTAMPTZ.test(value)) {
      const [date, rest] = value.split(' ');
      const offset = /[+-]\d{2}$/.test(rest!) ? `${rest}:00` : rest;
      record[key] = new Date(`${date}T${offset}`).toISOString();
    }
  }
  return row;
}

/** Rows of a statement with $n binds (arrays go to PostgreSQL as arrays), timestamps as ISO 8601. */
export async function rows<R = Record<string, unknown>>(sql: SqlClient, text: string, values: unknown[] = []): Promise<R[]> {
  return (await sql.query<R>({ text, values })).rows.map(withIsoTimestamps);
}

export async function one<R = Record<string, unknown>>(sql: SqlClient, text: string, values: unknown[] = []): Promise<R | undefined> {
  const row = (await sql.query<R>({ text, values })).rows[0];
  return row === undefined ? undefined : withIsoTimestamps(row);
}
