import type { Principal } from '@esc/service-kit';
import { approvingBatchIds } from '../data-access/batch-store';
import { onRawConnection } from '../data-access/connections';
import { unfinishedRunIds } from '../data-access/run-store';
import { postingStatementIds } from '../data-access/statement-store';
import type { Deps } from './context';

export interface UnfinishedWork {
  runs: string[];
  batchPostings: string[];
  statementPostings: string[];
}

/** What the database says is unfinished: runs not completed, approved batches and statements still to post to the ledger. */
export async function unfinishedWork(deps: Deps, _principal: Principal, _input: Record<string, never> = {}): Promise<UnfinishedWork> {
  return onRawConnection(deps.orm, async (sql) => ({
    runs: await unfinishedRunIds(sql),
    batchPostings: await approvingBatchIds(sql),
    statementPostings: await postingStatementIds(sql),
  }));
}
