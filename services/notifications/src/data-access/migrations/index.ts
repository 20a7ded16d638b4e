import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261207130000_notifications } from './Migration20261207130000_notifications';
import { Migration20261207140000_email_channel } from './Migration20261207140000_email_channel';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261207130000_notifications', class: Migration20261207130000_notifications },
  { name: 'Migration20261207140000_email_channel', class: Migration20261207140000_email_channel },
];
