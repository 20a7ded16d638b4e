import { withTransaction, type EntityManager } from '@esc/service-kit';
import { findHoldAccounts, lockAccounts, persistEffects, readTransferFacts } from '../data-access/transfer-store';
import { applyBatch } from './engine';
import type { TransferOutcome, TransferRequest } from './model';

function sqlState(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code ?? e?.cause?.code;
}

/**
 * Applies groups of transfers (one group per client request) in one database transaction: lock the
 * accounts, read what exists, decide in memory, write everything in one statement.
 */
export async function applyTransferGroups(em: EntityManager, groups: TransferRequest[][]): Promise<TransferOutcome[][]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(em.fork(), async (tx) => {
        const requests = groups.flat();
        const pendingIds = unique(requests.map((r) => r.pendingId));
        const holdAccounts = pendingIds.length ? await findHoldAccounts(tx, pendingIds) : [];
        const accountIds = unique([...requests.flatMap((r) => [r.debitAccountId, r.creditAccountId]), ...holdAccounts]);
        const accounts = await lockAccounts(tx, accountIds);
        const facts = await readTransferFacts(tx, unique(requests.map((r) => r.id)), pendingIds, unique(requests.map((r) => r.reversalOf)));
        const effects = applyBatch(groups, { accounts, ...facts });
        await persistEffects(tx, effects);
        return effects.outcomes;
      });
    } catch (err) {
      // Two batches created the same new id at once; the retry sees the winner and answers from it.
      if (sqlState(err) === '23505' && attempt < 4) continue;
      throw err;
    }
  }
}

function unique(values: Array<string | undefined | null>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}
