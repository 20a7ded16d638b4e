import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261207130000_notifications } from './Migration20261207130000_notifications';
import { Migration20261207140000_email_channel } from './Migration20261207140000_email_channel';
import { Migration20261207160000_sms_and_channels } from './Migration20261207160000_sms_and_channels';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261207130000_notifications', class: Migration20261207130000_notifications },
  { name: 'Migration20261207140000_email_channel', class: Migration20261207140000_email_channel },
  { name: 'Migration20261207160000_sms_and_channels', class: Migration20261207160000_sms_and_channels },
];
