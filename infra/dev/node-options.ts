import { availableParallelism } from 'node:os';

/**
 * Node and V8 options the launcher and the benchmarks give the services on a small machine shared with
 * PostgreSQL, Redis and each other (four cores or fewer); the services themselves set none. Set
 * ESC_SMALL_MACHINE=0 or 1 to decide regardless of the core count.
 *
 * A 64 MB young generation (16 MB by default): a busy service allocates a request's worth of
 * short-lived objects per request, and with the default it spends far more of its CPU on scavenges.
 * --single-threaded: no V8 background threads for garbage collection or optimising compilation; on a few
 * shared cores they add no core, only hand-offs between threads. A service with cores to itself should
 * keep them. --no-allocation-site-pretenuring: under the redemption benchmark V8 began allocating the
 * ledger's per-batch objects straight into the old generation, where, dead but uncollected, they kept
 * young objects alive and lengthened every scavenge.
 */
export function smallMachineNodeArgs(): string[] {
  const setting = process.env.ESC_SMALL_MACHINE;
  const small = setting === undefined || setting === '' ? availableParallelism() <= 4 : setting === '1';
  return small ? ['--max-semi-space-size=64', '--single-threaded', '--no-allocation-site-pretenuring'] : [];
}
