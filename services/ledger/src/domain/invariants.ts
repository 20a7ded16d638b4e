import { serviceMetrics, type Principal } from '@esc/service-kit';
import { checkInvariants as runChecks, type InvariantReport } from '../data-access/invariants-store';
import type { Deps } from './context';

export type { InvariantReport };

const lastCheckedAt = serviceMetrics('ledger').gauge('ledger_invariants_last_check_timestamp_seconds', 'When the ledger last checked its invariants (Unix time).');
const lastCheckOk = serviceMetrics('ledger').gauge('ledger_invariants_last_check_ok', 'Whether the last invariant check passed (1) or found a violation (0).');

/** The ledger's invariants checked in one snapshot, with a sample of what breaks each. */
export function checkInvariants(deps: Deps, _principal: Principal, _input: Record<string, never> = {}): Promise<InvariantReport> {
  return runChecks(deps.orm.em.fork()).then((report) => {
    lastCheckedAt.set(Date.parse(report.checked_at) / 1000);
    lastCheckOk.set(report.ok ? 1 : 0);
    return report;
  });
}
