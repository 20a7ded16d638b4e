import type { Job } from '@esc/service-kit';
import { BULK_ISSUE_JOB, runBulkIssueJob } from './bulk-issue-job';
import type { Deps } from '../domain/context';
import { completeIssuing, expireDue } from '../domain/certificates';
import { completeAuthorising, postLapsed } from '../domain/deliveries';

export const CERTIFICATES_QUEUE = 'certificates-jobs';
export const CERTIFICATES_JOBS = ['post-lapsed-confirmations', 'complete-interrupted', 'expire-certificates', BULK_ISSUE_JOB] as const;
export type CertificatesJob = (typeof CERTIFICATES_JOBS)[number];

/** Ledger calls a stopped process left half-done: certificates still `issuing`, acts still `authorising`. */
export async function completeInterrupted(deps: Deps): Promise<number> {
  const em = deps.orm.em.fork();
  const issuing: Array<{ id: string }> = await em.execute(
    `select id from certificates.certificates where status = 'issuing' and created_at < clock_timestamp() - interval '30 seconds' limit 500`,
  );
  for (const { id } of issuing) await completeIssuing(deps, id);
  return issuing.length + (await completeAuthorising(deps));
}

export function jobHandlers(deps: Deps): Record<CertificatesJob, (job: Job) => Promise<unknown>> {
  return {
    'post-lapsed-confirmations': async () => {
      let total = 0;
      for (;;) {
        const posted = await postLapsed(deps);
        total += posted;
        if (posted < 500) return total;
      }
    },
    'complete-interrupted': () => completeInterrupted(deps),
    'expire-certificates': () => expireDue(deps),
    [BULK_ISSUE_JOB]: (job: Job) => runBulkIssueJob(deps, job),
  };
}
