import { Migration } from '@mikro-orm/migrations';

/** What a bulk issue needs beyond its first table: when it started, why it failed, and a fast error report. */
export class Migration20261124101500_bulk_issue_progress extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table certificates.bulk_issues add column issued_on date, add column started_at timestamptz, add column failure_detail text`);
    this.addSql(`create index bulk_issue_rows_failed on certificates.bulk_issue_rows (bulk_issue_id, row_no) where status = 'failed'`);
  }
}
