import type { MikroORM } from '@mikro-orm/postgresql';
import { withSqlTransaction } from '@esc/service-kit';
import { findHoldAccounts, lockAccountsAndReadFacts, persistEffects } from '../data-access/transfer-store';
import { applyBatch } from './engine';
import type { TransferOutcome, TransferRequest } from './model';

const MAX_ATTEMPTS = 5;

/**
 * Applies groups of transfers (one group per client request) in one database transaction: lock the
 * accounts and read what exists in one statement, decide in memory, write everything in one statement.
 */
export async function applyTransferGroups(orm: MikroORM, groups: TransferRequest[][]): Promise<TransferOutcome[][]> {
  const requests = groups.flat();
  const pendingIds = unique(requests.map((r) => r.pendingId));
  const transferIds = unique(requests.map((r) => r.id));
  const reversalIds = unique(requests.map((r) => r.reversalOf));
  for (let attempt = 1; ; attempt++) {
    try {
      return await withSqlTransaction(orm, async (sql) => {
        const holdAccounts = pendingIds.length ? await findHoldAccounts(sql, pendingIds) : [];
        const accountIds = unique([...requests.flatMap((r) => [r.debitAccountId, r.creditAccountId]), ...holdAccounts]);
        const facts = await lockAccountsAndReadFacts(sql, accountIds, transferIds, pendingIds, reversalIds);
        const effects = applyBatch(groups, facts);
        await persistEffects(sql, effects);
        return effects.outcomes;
      });
    } catch (err) {
      // A batch that committed while this one waited for a lock created the same id or resolved the
      // same hold; the retry reads it and answers from it.
      if ((err as { code?: string }).code === '23505' && attempt < MAX_ATTEMPTS) continue;
      throw err;
    }
  }
}

function unique(values: Array<string | undefined | null>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}
