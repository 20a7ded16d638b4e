import { Migration } from '@mikro-orm/migrations';

/**
 * A statement is known by its fingerprint — its account, period and documents as parsed — rather
 * than its bytes, so the same statement with other line ends or downloaded again is one import. The
 * statements imported before keep their bytes' hash as their fingerprint. A camt.053 statement id is
 * unique per account in the database too, so two imports at once cannot both take it.
 */
export class Migration20261207110000_statement_fingerprint extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table settlement.statements add column fingerprint text`);
    this.addSql(`update settlement.statements set fingerprint = 'sha256:' || sha256`);
    this.addSql(`alter table settlement.statements alter column fingerprint set not null`);
    this.addSql(`create unique index statements_fingerprint on settlement.statements (fingerprint)`);
    this.addSql(`create unique index statements_camt_ref on settlement.statements (account, statement_ref) where format = 'camt053' and statement_ref is not null`);
  }
}
