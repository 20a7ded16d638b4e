import { sqlOf, writeAudit, type AuditEntry, type EntityManager, type Principal } from '@esc/service-kit';
import { CERTIFICATES_SCHEMA } from './schema';

/** Records a decision in the certificates service's audit log, in the decision's own transaction. */
export function audit(tx: EntityManager, who: Pick<Principal, 'subject' | 'name'>, entry: AuditEntry): Promise<void> {
  return writeAudit(sqlOf(tx), CERTIFICATES_SCHEMA, who, entry);
}
