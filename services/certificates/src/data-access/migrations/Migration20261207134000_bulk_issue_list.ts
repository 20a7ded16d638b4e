import { Migration } from '@mikro-orm/migrations';

export class Migration20261207134000_bulk_issue_list extends Migration {
  override async up(): Promise<void> {
    // The case worker's list of the region's uploads, newest first.
    this.addSql(`create index bulk_issues_region on certificates.bulk_issues (region_code, created_at desc)`);
  }
}
