import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124100000_certificates } from './Migration20261124100000_certificates';

export const migrations: MigrationObject[] = [{ name: 'Migration20261124100000_certificates', class: Migration20261124100000_certificates }];
