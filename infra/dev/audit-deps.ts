/**
 * `pnpm check:audit` (part of `pnpm check`) and `pnpm audit:deps`: runs `pnpm audit --audit-level high
 * --json` and exits 1 on a high or critical advisory. Where the registry's audit endpoint refuses or
 * cannot be reached it prints `AUDIT SKIPPED: …` and exits 0, unless AUDIT_REQUIRED=1. Further arguments
 * go to `pnpm audit` (e.g. `--registry <url>`, `--prod`).
 */
import { spawnSync } from 'node:child_process';
import { auditVerdict, readAuditOutput } from './audit-report';

/** pnpm retries a request that gets no answer on its own; past this the network is taken as silent. */
const AUDIT_TIMEOUT_MS = 180_000;

const run = spawnSync('pnpm', ['audit', '--audit-level', 'high', '--json', ...process.argv.slice(2)], { encoding: 'utf8', timeout: AUDIT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
const timedOut = (run.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
const verdict = auditVerdict(
  readAuditOutput({
    stdout: run.stdout ?? '',
    stderr: run.stderr ?? '',
    timedOutAfterMs: timedOut ? AUDIT_TIMEOUT_MS : undefined,
    spawnError: run.error && !timedOut ? run.error.message : undefined,
  }),
  process.env,
);
for (const line of verdict.lines) (verdict.stream === 'stderr' ? console.error : console.log)(line);
process.exitCode = verdict.exitCode;
