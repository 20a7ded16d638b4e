import { Migration } from '@mikro-orm/migrations';

export class Migration20261207140000_email_channel extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table notifications.contacts (
      person_key text primary key,
      email text,
      updated_by text not null,
      updated_at timestamptz not null default clock_timestamp()
    )`);
    // An inbox notice is delivered when it is stored; an e-mail waits for the sender, retried with backoff.
    this.addSql(`alter table notifications.notifications
      add column status text not null default 'delivered' check (status in ('pending', 'delivered', 'failed')),
      add column address text,
      add column attempts int not null default 0,
      add column next_attempt_at timestamptz,
      add column last_error text,
      add column delivered_at timestamptz`);
    this.addSql(`create index notifications_pending on notifications.notifications (next_attempt_at) where status = 'pending'`);
  }
}
