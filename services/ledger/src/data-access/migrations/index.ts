import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123000000_ledger } from './Migration20261123000000_ledger';
import { Migration20261124120000_ledger_write_path } from './Migration20261124120000_ledger_write_path';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261123000000_ledger', class: Migration20261123000000_ledger },
  { name: 'Migration20261124120000_ledger_write_path', class: Migration20261124120000_ledger_write_path },
];
