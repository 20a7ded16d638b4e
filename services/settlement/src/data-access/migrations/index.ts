import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124100000_settlement } from './Migration20261124100000_settlement';

export const migrations: MigrationObject[] = [{ name: 'Migration20261124100000_settlement', class: Migration20261124100000_settlement }];
