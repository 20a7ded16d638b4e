import { Migration } from '@mikro-orm/migrations';

export class Migration20261124120000_ledger_write_path extends Migration {
  override async up(): Promise<void> {
    // Free room on each page lets a balance update stay on its page (HOT) and skip all three indexes.
    this.addSql(`alter table ledger.accounts set (fillfactor = 70)`);
    // The foreign keys cost two row triggers per entry. Entries are written only in the statement that
    // writes their transfer, for accounts that transaction holds locked; transfers cannot be removed
    // (append-only), and now neither can accounts, so the references cannot dangle. The invariant
    // check still looks for orphans.
    this.addSql(`alter table ledger.entries drop constraint entries_account_id_fkey`);
    this.addSql(`alter table ledger.entries drop constraint entries_transfer_id_fkey`);
    this.addSql(`create trigger accounts_not_removed before delete or truncate on ledger.accounts
      for each statement execute function ledger.refuse_change()`);
  }
}
