import type { Job, Queue } from '@esc/service-kit';
import { failBulkIssue, processBulkIssue } from '../domain/bulk-issues';
import { SYSTEM_PRINCIPAL, type BulkIssueQueue, type Deps } from '../domain/context';

export const BULK_ISSUE_JOB = 'bulk-issue';

/** Bulk issues run as a job whose id is the bulk issue id: enqueueing again never runs a file twice. */
export function bulkIssueQueueOn(queue: Queue): BulkIssueQueue {
  return {
    async enqueue(id: string) {
      const job = await queue.getJob(id);
      if (job && (await job.isFailed())) return job.retry();
      await queue.add(BULK_ISSUE_JOB, { bulk_issue_id: id }, { jobId: id, attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnFail: false });
    },
  };
}

/** The BullMQ handler: runs the file; after the last attempt fails, the bulk issue says so and why. */
export async function runBulkIssueJob(deps: Deps, job: Job): Promise<unknown> {
  const id = (job.data as { bulk_issue_id?: unknown } | undefined)?.bulk_issue_id;
  if (typeof id !== 'string') throw new Error(`bulk-issue job ${job.id} has no bulk_issue_id`);
  try {
    return await processBulkIssue(deps, SYSTEM_PRINCIPAL, { id });
  } catch (err) {
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await failBulkIssue(deps, SYSTEM_PRINCIPAL, { id, cause: err });
    throw err;
  }
}
