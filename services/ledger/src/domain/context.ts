import type { MikroORM } from '@mikro-orm/postgresql';
import type { Principal } from '@esc/service-kit';
import type { GroupCommit } from '@esc/service-kit/hot';
import type { TransferOutcome, TransferRequest } from './model';

/** A client request's transfers (a group) and their outcomes, in order, committed with other requests'. */
export type TransferBatcher = GroupCommit<TransferRequest[], TransferOutcome[]>;

/** What the ledger's use cases need from outside: the database and the transfers' group commit. */
export interface Deps {
  orm: MikroORM;
  batcher: TransferBatcher;
}

/** Who the ledger's own jobs act as: the hold expiry sweep voids holds nobody asked it to. */
export const SYSTEM_PRINCIPAL: Principal = {
  subject: 'service:ledger',
  kind: 'service',
  roles: [],
  scopes: ['ledger:write', 'ledger:read'],
  expiresAt: Number.POSITIVE_INFINITY,
};
