import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261207130000_notifications } from './Migration20261207130000_notifications';

export const migrations: MigrationObject[] = [{ name: 'Migration20261207130000_notifications', class: Migration20261207130000_notifications }];
