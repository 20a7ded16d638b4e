import { Migration } from '@mikro-orm/migrations';

export class Migration20261207090000_pending_releases extends Migration {
  override async up(): Promise<void> {
    // A closed certificate's balance owed back to its allocation: set with the revocation or expiry, cleared when
    // the ledger moved it, so a release the ledger refused or missed is completed by the recovery job.
    this.addSql(`alter table certificates.certificates add column release_pending_since timestamptz`);
    this.addSql(`create index certificates_release_pending on certificates.certificates (release_pending_since) where release_pending_since is not null`);
  }
}
