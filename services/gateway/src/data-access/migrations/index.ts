import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261207160000_accounts } from './Migration20261207160000_accounts';

export const migrations: MigrationObject[] = [{ name: 'Migration20261207160000_accounts', class: Migration20261207160000_accounts }];
