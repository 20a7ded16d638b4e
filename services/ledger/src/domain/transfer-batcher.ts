import type { MikroORM } from '@mikro-orm/postgresql';
import { GroupCommit } from '@esc/service-kit/hot';
import type { TransferBatcher } from './context';
import type { TransferRequest } from './model';
import { applyTransferGroups } from './transfers';

/**
 * Group commit: requests that arrive while a transaction is under way wait and go together in the
 * next one, up to 8,000 transfers, so the commit cost is shared by every request in it rather than
 * paid by each. A batch that fails as a whole (say, a balance overflow) is run request by request, so
 * only the request at fault fails.
 */
export function createTransferBatcher(orm: MikroORM, maxInFlight: number): TransferBatcher {
  return new GroupCommit(
    async (groups: TransferRequest[][]) => (await applyTransferGroups(orm, groups)).map((value) => ({ ok: true as const, value })),
    { maxInFlight, maxBatch: 8000, weight: (group) => group.length },
  );
}
