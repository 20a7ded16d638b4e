import { Migration } from '@mikro-orm/migrations';

export class Migration20261207210000_notice_marks extends Migration {
  override async up(): Promise<void> {
    // A reminder sent by a scan (24 hours before an act confirms itself, 30 and 7 days before a certificate expires) is marked
    // here in the transaction that writes its event: the scan sends each once however often it runs, without touching the hot tables.
    this.addSql(`create table certificates.notice_marks (
      subject_id uuid not null,
      kind text not null,
      created_at timestamptz not null default clock_timestamp(),
      primary key (subject_id, kind)
    )`);
  }
}
