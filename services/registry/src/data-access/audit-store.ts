import { sqlOf, writeAudit, type AuditEntry, type EntityManager, type Principal } from '@esc/service-kit';
import { REGISTRY_SCHEMA } from './schema';

/** Records a decision in the registry's audit log, in the decision's own transaction. */
export function audit(tx: EntityManager, who: Pick<Principal, 'subject' | 'name'>, entry: AuditEntry): Promise<void> {
  return writeAudit(sqlOf(tx), REGISTRY_SCHEMA, who, entry);
}
