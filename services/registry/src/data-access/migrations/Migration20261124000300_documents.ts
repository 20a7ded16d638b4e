import { Migration } from '@mikro-orm/migrations';

export class Migration20261124000300_documents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table registry.documents (
      id uuid primary key,
      provider_id uuid not null references registry.providers (id) on delete cascade,
      kind text not null,
      title text not null,
      file_name text not null,
      media_type text not null,
      size_bytes integer not null check (size_bytes > 0),
      sha256 text not null,
      valid_until date,
      storage_key text not null,
      uploaded_by text not null,
      uploaded_at timestamptz not null default clock_timestamp()
    )`);
    this.addSql(`create index documents_provider on registry.documents (provider_id, uploaded_at)`);
  }
}
