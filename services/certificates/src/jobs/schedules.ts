import type { Job, Principal } from '@esc/service-kit';
import { BULK_ISSUE_JOB, runBulkIssueJob } from './bulk-issue-job';
import { SYSTEM_PRINCIPAL, type Deps } from '../domain/context';
import { completeInterruptedIssuing, completeInterruptedReleases, expireDue } from '../domain/certificates';
import { voidAbandonedHolds } from '../domain/abandoned-holds';
import { completeAuthorising, postLapsed } from '../domain/deliveries';
import { computeCurrentMonths } from '../domain/deficits';
import { remindConfirmations, warnExpiring } from '../domain/reminders';

export const CERTIFICATES_QUEUE = 'certificates-jobs';
export const CERTIFICATES_JOBS = ['post-lapsed-confirmations', 'complete-interrupted', 'expire-certificates', BULK_ISSUE_JOB, 'compute-deficits'] as const;
export type CertificatesJob = (typeof CERTIFICATES_JOBS)[number];

/**
 * Ledger calls a stopped process left half-done or the ledger refused: certificates still `issuing`,
 * acts still `authorising`, balances of closed certificates not yet returned, holds whose acts were never written.
 */
export async function completeInterrupted(deps: Deps, principal: Principal, input: { olderThanSeconds?: number }): Promise<number> {
  return (
    (await completeInterruptedIssuing(deps, principal, input)) +
    (await completeAuthorising(deps, principal, input)) +
    (await completeInterruptedReleases(deps, principal, input)) +
    (await voidAbandonedHolds(deps, principal))
  );
}

export function jobHandlers(deps: Deps): Record<CertificatesJob, (job: Job) => Promise<unknown>> {
  return {
    // The same sweep reminds citizens a day before their acts confirm themselves.
    'post-lapsed-confirmations': async () => {
      await remindConfirmations(deps, SYSTEM_PRINCIPAL);
      let total = 0;
      for (;;) {
        const posted = await postLapsed(deps, SYSTEM_PRINCIPAL, { limit: 500 });
        total += posted;
        if (posted < 500) return total;
      }
    },
    'complete-interrupted': () => completeInterrupted(deps, SYSTEM_PRINCIPAL, {}),
    // Expiring certificates are warned of (30 and 7 days before) by the same hourly job that expires them.
    'expire-certificates': async () => (await warnExpiring(deps, SYSTEM_PRINCIPAL)) + (await expireDue(deps, SYSTEM_PRINCIPAL, {})),
    [BULK_ISSUE_JOB]: (job: Job) => runBulkIssueJob(deps, job),
    'compute-deficits': () => computeCurrentMonths(deps),
  };
}
