import { Migration } from '@mikro-orm/migrations';
import { outboxSchemaSql } from '@esc/service-kit';

export class Migration20261207130000_notifications extends Migration {
  override async up(): Promise<void> {
    // The outbox is unused yet; processed_events is what the consumer records handled events in.
    for (const sql of outboxSchemaSql('notifications')) this.addSql(sql);
    this.addSql(`create table notifications.notifications (
      id uuid primary key,
      event_id uuid not null,
      person_key text not null,
      channel text not null check (channel in ('inbox', 'email', 'sms')),
      kind text not null,
      title text not null,
      body text not null,
      action_due_at timestamptz,
      subject_type text,
      subject_id text,
      created_at timestamptz not null default clock_timestamp(),
      read_at timestamptz,
      constraint notifications_once_per_event_person_channel unique (event_id, person_key, channel)
    )`);
    this.addSql(`create index notifications_by_person on notifications.notifications (person_key, channel, created_at desc, id desc)`);
    this.addSql(`create index notifications_unread on notifications.notifications (person_key, channel) where read_at is null`);
  }
}
