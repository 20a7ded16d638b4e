import { Migration } from '@mikro-orm/migrations';
import { auditLogSchemaSql } from '@esc/service-kit';

export class Migration20261207200000_audit_log extends Migration {
  override async up(): Promise<void> {
    for (const sql of auditLogSchemaSql('registry')) this.addSql(sql);
  }
}
