import { Migration } from '@mikro-orm/migrations';

export class Migration20261207130000_caseworker_search extends Migration {
  override async up(): Promise<void> {
    // A case worker finds a person by the beginning of the SNILS or of the last name: prefix LIKE needs pattern-ops indexes.
    this.addSql(`create index recipients_snils_prefix on certificates.recipients (snils text_pattern_ops)`);
    this.addSql(`create index recipients_last_name_prefix on certificates.recipients (region_code, lower(last_name) text_pattern_ops)`);
  }
}
