import { appendAudit, sqlOf, writeAudit, type AuditAppend, type AuditEntry, type EntityManager, type Principal } from '@esc/service-kit';
import { CERTIFICATES_SCHEMA } from './schema';

/** Records a decision in the certificates service's audit log, in the decision's own transaction. */
export function audit(tx: EntityManager, who: Pick<Principal, 'subject' | 'name'>, entry: AuditEntry): Promise<void> {
  return writeAudit(sqlOf(tx), CERTIFICATES_SCHEMA, who, entry);
}

/**
 * Appends records whose object and action happen once (an act held, a booking accepted), skipping those
 * already in the log: read under the log's lock, so two appenders cannot both miss the same record.
 */
export async function appendAuditOnce(tx: EntityManager, appends: AuditAppend[]): Promise<void> {
  if (appends.length === 0) return;
  const sql = sqlOf(tx);
  await sql.run(`select pg_advisory_xact_lock(hashtext($1))`, [`${CERTIFICATES_SCHEMA}.audit_log`]);
  const key = (type: string, id: string, action: string) => `${type}/${id}/${action}`;
  const known = await sql.rows<{ object_type: string; object_id: string; action: string }>(
    `select object_type, object_id, action from certificates.audit_log where object_id = any($1::text[]) and object_type = any($2::text[])`,
    [[...new Set(appends.map((a) => a.entry.object_id))], [...new Set(appends.map((a) => a.entry.object_type))]],
  );
  const seen = new Set(known.map((k) => key(k.object_type, k.object_id, k.action)));
  const fresh = appends.filter((a) => {
    const k = key(a.entry.object_type, a.entry.object_id, a.entry.action);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  await appendAudit(sql, CERTIFICATES_SCHEMA, fresh);
}
