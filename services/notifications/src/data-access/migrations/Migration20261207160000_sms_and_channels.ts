import { Migration } from '@mikro-orm/migrations';

export class Migration20261207160000_sms_and_channels extends Migration {
  override async up(): Promise<void> {
    // channels: the person's own choice per kind of notice ({"act_recorded": ["email", "sms"], …}); a kind absent keeps its default.
    this.addSql(`alter table notifications.contacts add column phone text, add column channels jsonb not null default '{}'::jsonb`);
    // A notice to an audience may leave one of its people out (the finance officer who formed a batch is not asked to approve it).
    this.addSql(`alter table notifications.notifications add column except_subject text`);
    // What the development SMS adapter "sent": read by tests and by a person running the stand. Never written in production.
    this.addSql(`create table notifications.dev_sms (
      id bigserial primary key,
      phone text not null,
      text text not null,
      sent_at timestamptz not null default clock_timestamp()
    )`);
  }
}
