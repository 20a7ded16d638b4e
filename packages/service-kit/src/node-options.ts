import v8 from 'node:v8';

/**
 * Node's command-line options for services that share one machine's few cores, as `pnpm start` and the
 * redemption benchmark run them (NODE_OPTIONS refuses --single-threaded).
 *
 * A 64 MB young generation (16 MB by default): a busy service allocates a request's worth of
 * short-lived objects per request, and with the default it spent 10 % of its CPU on scavenges under the
 * redemption benchmark, against 4 % with this.
 *
 * --single-threaded: no V8 background threads for garbage collection or optimising compilation. On a
 * machine of a few cores shared with PostgreSQL and the other services they add no core, only hand-offs
 * between threads; under the redemption benchmark (six interleaved pairs of runs) certificates used 9 %
 * and the ledger 8 % less CPU per redemption with it, and five of the six pairs were faster. A service
 * with cores to itself should keep the threads: the ledger alone under bench:ledger, with a core to spare,
 * lost 10–18 % of its hot-account and redemption throughput without them.
 */
export const SERVICE_NODE_ARGS = ['--max-semi-space-size=64', '--single-threaded'];

/**
 * V8 settings NODE_OPTIONS does not accept, applied by each service's entry point before it starts.
 * Allocation-site pretenuring off: under the redemption benchmark V8 began allocating some of the
 * ledger's per-batch objects straight into the old generation, where, dead but uncollected, they kept
 * young objects alive: every scavenge promoted about 4 MB and paused the ledger for 10–24 ms. Without
 * it nothing is promoted and scavenges pause 2–6 ms.
 */
export function tuneServiceHeap() {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
