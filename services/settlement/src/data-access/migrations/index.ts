import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124100000_settlement } from './Migration20261124100000_settlement';
import { Migration20261207110000_statement_fingerprint } from './Migration20261207110000_statement_fingerprint';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261124100000_settlement', class: Migration20261124100000_settlement },
  { name: 'Migration20261207110000_statement_fingerprint', class: Migration20261207110000_statement_fingerprint },
];
