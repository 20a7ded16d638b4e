import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000000_ledger } from './Migration20261123000000_ledger';

export const migrations: MigrationObject[] = [{ name: 'Migration20261123000000_ledger', class: Migration20261123000000_ledger }];
