import { sqlOf, writeAudit, type AuditEntry, type EntityManager, type Principal, type Sql } from '@esc/service-kit';
import { SETTLEMENT_SCHEMA } from './schema';

/** Records a decision or money movement in the settlement audit log, in the operation's own transaction (`sql` runs in it). */
export function audit(sql: Sql, who: Pick<Principal, 'subject' | 'name'>, entry: AuditEntry): Promise<void> {
  return writeAudit(sql, SETTLEMENT_SCHEMA, who, entry);
}

/** The same, for use cases that hold the ORM's transaction. */
export function auditIn(tx: EntityManager, who: Pick<Principal, 'subject' | 'name'>, entry: AuditEntry): Promise<void> {
  return audit(sqlOf(tx), who, entry);
}
