import type { Principal } from '@esc/service-kit';
import { checkInvariants as runChecks, type InvariantReport } from '../data-access/invariants-store';
import type { Deps } from './context';

export type { InvariantReport };

/** The ledger's invariants checked in one snapshot, with a sample of what breaks each. */
export function checkInvariants(deps: Deps, _principal: Principal, _input: Record<string, never> = {}): Promise<InvariantReport> {
  return runChecks(deps.orm.em.fork());
}
