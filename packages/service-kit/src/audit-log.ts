import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Principal } from './auth';
import type { Sql } from './sql';

/** One decision or money movement: who, what, when, on whose behalf, before and after. */
export interface AuditEntry {
  action: string;
  object_type: string;
  object_id: string;
  before?: unknown;
  after?: unknown;
  /** The citizen or organisation a case worker or officer acted for, when not the actor themselves. */
  on_behalf_of?: string | null;
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'on_behalf_of'>> {
  seq: string;
  at: string;
  actor: string;
  actor_name: string | null;
  on_behalf_of: string | null;
  prev_hash: string;
  hash: string;
}

/** The chain's first link points at this: 64 zeros. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * DDL for a service's audit log, run in a migration. PostgreSQL refuses UPDATE, DELETE and TRUNCATE on
 * it (append-only); the hash chain shows any change made past that, by someone able to drop the trigger.
 */
export function auditLogSchemaSql(schema: string): string[] {
  return [
    `create table "${schema}".audit_log (
       seq bigserial primary key,
       at timestamptz not null,
       actor text not null,
       actor_name text,
       on_behalf_of text,
       action text not null,
       object_type text not null,
       object_id text not null,
       before jsonb,
       after jsonb,
       prev_hash char(64) not null,
       hash char(64) not null unique
     )`,
    `create index audit_log_object on "${schema}".audit_log (object_type, object_id, seq)`,
    `create index audit_log_actor on "${schema}".audit_log (actor, seq)`,
    `create function "${schema}".audit_log_append_only() returns trigger language plpgsql as $$
     begin
       raise exception 'the audit log is append-only: % is refused', tg_op using errcode = 'insufficient_privilege';
     end $$`,
    `create trigger audit_log_append_only before update or delete on "${schema}".audit_log
       for each row execute function "${schema}".audit_log_append_only()`,
    `create trigger audit_log_no_truncate before truncate on "${schema}".audit_log
       for each statement execute function "${schema}".audit_log_append_only()`,
  ];
}

type Linked = Omit<AuditRecord, 'seq' | 'hash'>;

/** The hash of a record: SHA-256 over the previous hash and the record in RFC 8785 canonical JSON. */
export function auditHash(record: Linked): string {
  const { prev_hash, ...content } = record;
  return createHash('sha256')
    .update(prev_hash)
    .update('\n')
    .update(canonicalize({ ...content, before: content.before ?? null, after: content.after ?? null }) ?? '')
    .digest('hex');
}

/**
 * Appends a record in the caller's transaction (`sql` runs in it), so it exists exactly when the change does. A
 * transaction-scoped advisory lock orders the appends: the chain's next link is read after the
 * previous writer committed. Call it as the business operation's last write, to hold the lock briefly.
 */
export async function writeAudit(sql: Sql, schema: string, principal: Pick<Principal, 'subject' | 'name'>, entry: AuditEntry, at: Date = new Date()): Promise<void> {
  await appendAudit(sql, schema, [{ actor: principal.subject, actor_name: principal.name ?? null, at, entry }]);
}

/** A record to append, with who did it and when (for records appended after the change, from its event). */
export interface AuditAppend {
  actor: string;
  actor_name: string | null;
  at: Date;
  entry: AuditEntry;
}

/** Appends records in order under one lock and in one statement: the chain links them in the order given. */
export async function appendAudit(sql: Sql, schema: string, appends: AuditAppend[]): Promise<void> {
  if (appends.length === 0) return;
  await sql.run(`select pg_advisory_xact_lock(hashtext($1))`, [`${schema}.audit_log`]);
  const last = await sql.one<{ hash: string }>(`select hash from "${schema}".audit_log order by seq desc limit 1`);
  let prev = last?.hash ?? AUDIT_GENESIS_HASH;
  const rows = appends.map(({ actor, actor_name, at, entry }) => {
    const record: Linked = {
      at: at.toISOString(),
      actor,
      actor_name,
      on_behalf_of: entry.on_behalf_of ?? null,
      action: entry.action,
      object_type: entry.object_type,
      object_id: entry.object_id,
      before: entry.before ?? null,
      after: entry.after ?? null,
      prev_hash: prev,
    };
    prev = auditHash(record);
    return { ...record, before: json(record.before), after: json(record.after), hash: prev };
  });
  await sql.run(
    `insert into "${schema}".audit_log (at, actor, actor_name, on_behalf_of, action, object_type, object_id, before, after, prev_hash, hash)
     select at, actor, actor_name, on_behalf_of, action, object_type, object_id, before::jsonb, after::jsonb, prev_hash, hash
       from jsonb_to_recordset($1::jsonb) as r(at timestamptz, actor text, actor_name text, on_behalf_of text, action text, object_type text, object_id text,
                                                before text, after text, prev_hash text, hash text, n int)
      order by n`,
    [JSON.stringify(rows.map((r, n) => ({ ...r, n })))],
  );
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

export interface AuditQuery {
  object_type?: string;
  object_id?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  /** Records after this sequence number (the next page). */
  after_seq?: string;
  limit: number;
}

/** Records in chain order, filtered. */
export async function readAuditLog(sql: Sql, schema: string, query: AuditQuery): Promise<AuditRecord[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    values.push(value);
    where.push(clause.replace('?', `$${values.length}`));
  };
  if (query.object_type) add('object_type = ?', query.object_type);
  if (query.object_id) add('object_id = ?', query.object_id);
  if (query.actor) add('actor = ?', query.actor);
  if (query.action) add('action = ?', query.action);
  if (query.from) add('at >= ?', query.from);
  if (query.to) add('at < ?', query.to);
  if (query.after_seq) add('seq > ?', query.after_seq);
  values.push(query.limit);
  return sql.rows<AuditRecord>(
    `select seq::text as seq, at, actor, actor_name, on_behalf_of, action, object_type, object_id, before, after, prev_hash, hash
       from "${schema}".audit_log ${where.length ? `where ${where.join(' and ')}` : ''} order by audit_log.seq limit $${values.length}`,
    values,
  );
}

export interface AuditVerification {
  records: number;
  /** The last record's hash: write it down somewhere else, and a rewritten log no longer ends with it. */
  head_hash: string;
  /** The first record whose link or hash does not hold, or null when the whole chain does. */
  broken: { seq: string; reason: 'prev_hash_mismatch' | 'hash_mismatch'; expected: string; found: string } | null;
}

/** Walks the whole chain in pages and recomputes every hash. */
export async function verifyAuditLog(sql: Sql, schema: string, pageSize = 5000): Promise<AuditVerification> {
  let prev = AUDIT_GENESIS_HASH;
  let records = 0;
  let afterSeq = '0';
  for (;;) {
    const page = await readAuditLog(sql, schema, { after_seq: afterSeq, limit: pageSize });
    for (const record of page) {
      records += 1;
      if (record.prev_hash !== prev) return { records, head_hash: prev, broken: { seq: record.seq, reason: 'prev_hash_mismatch', expected: prev, found: record.prev_hash } };
      const { seq: _seq, hash, ...linked } = record;
      const expected = auditHash(linked);
      if (hash !== expected) return { records, head_hash: prev, broken: { seq: record.seq, reason: 'hash_mismatch', expected, found: hash } };
      prev = hash;
    }
    if (page.length < pageSize) return { records, head_hash: prev, broken: null };
    afterSeq = page[page.length - 1]!.seq;
  }
}
