import type { MikroORM } from '@mikro-orm/postgresql';
import type { Principal } from '@esc/service-kit';
import { withPipelinedTransaction } from '@esc/service-kit/hot';
import { lockAccountsAndReadFacts, persistEffects } from '../data-access/transfer-store';
import type { Deps } from './context';
import { applyBatch } from './engine';
import type { TransferOutcome, TransferRequest } from './model';

export interface ApplyTransfersInput {
  transfers: TransferRequest[];
}

/**
 * One client request's transfers, applied together with whatever other requests share the next
 * group commit; an outcome per transfer, in order. Access is the route's to check.
 */
export function applyTransfers(deps: Deps, _principal: Principal, input: ApplyTransfersInput): Promise<TransferOutcome[]> {
  return deps.batcher.submit(input.transfers);
}

const MAX_ATTEMPTS = 5;
const RETRYABLE = new Set(['23505', '40001', '40P01']);

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
      return await withPipelinedTransaction(orm, async (sql, finish) => {
        const accountIds = unique(requests.flatMap((r) => [r.debitAccountId, r.creditAccountId]));
        const facts = await lockAccountsAndReadFacts(sql, accountIds, transferIds, pendingIds, reversalIds);
        const effects = applyBatch(groups, facts);
        await finish((tx) => persistEffects(tx, effects));
        return effects.outcomes;
      });
    } catch (err) {
      // A batch that committed while this one waited for a lock created the same id or resolved the
      // same hold (23505); the retry reads it and answers from it. Deadlocks and serialization
      // failures are retried as well.
      const code = (err as { code?: string }).code ?? '';
      if (RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
        if (code !== '23505') await new Promise((resolve) => setTimeout(resolve, 2 * attempt + Math.random() * 5));
        continue;
      }
      throw err;
    }
  }
}

function unique(values: Array<string | undefined | null>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}
