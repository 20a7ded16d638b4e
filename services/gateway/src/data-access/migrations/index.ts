import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261207160000_accounts } from './Migration20261207160000_accounts';
import { Migration20261207170000_invitations } from './Migration20261207170000_invitations';
import { Migration20261207180000_join_requests } from './Migration20261207180000_join_requests';

export const migrations: MigrationObject[] = [
  { name: 'Migration20261207160000_accounts', class: Migration20261207160000_accounts },
  { name: 'Migration20261207170000_invitations', class: Migration20261207170000_invitations },
  { name: 'Migration20261207180000_join_requests', class: Migration20261207180000_join_requests },
];
