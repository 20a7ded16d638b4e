/**
 * Reads what `pnpm audit --audit-level high --json` printed and decides what `pnpm check` does with it:
 * high or critical advisories fail; an audit endpoint that refuses or cannot be reached skips the audit
 * loudly (fails with AUDIT_REQUIRED=1); anything else that is not an audit report fails.
 */

export type FailingSeverity = 'high' | 'critical';

export interface AuditFinding {
  package: string;
  versions: string[];
  severity: FailingSeverity;
  advisory: string;
  title: string;
  /** The versions that fix it; null when no fixed version is published. */
  fixedIn: string | null;
}

export type AuditOutcome =
  | { status: 'clean' }
  | { status: 'vulnerable'; findings: AuditFinding[] }
  /** The endpoint refused (an HTTP status) or gave no answer; `answer` says which. */
  | { status: 'unreachable'; answer: string }
  /** pnpm did not produce an audit report: the audit itself is broken, not the network. */
  | { status: 'broken'; reason: string };

export interface AuditRun {
  stdout: string;
  stderr: string;
  /** Set when pnpm was stopped for taking too long, which only a silent network does. */
  timedOutAfterMs?: number;
  /** Set when pnpm could not be started at all. */
  spawnError?: string;
}

/** pnpm's errors that mean the registry's audit endpoint refused the request or could not be reached. */
const ENDPOINT_ERRORS = new Set(['ERR_PNPM_AUDIT_BAD_RESPONSE', 'ERR_PNPM_AUDIT_ENDPOINT_NOT_EXISTS']);
const FAILING: ReadonlySet<string> = new Set<FailingSeverity>(['high', 'critical']);
const MAX_ANSWER_CHARS = 200;

interface PnpmAdvisory {
  id?: number | string;
  module_name?: string;
  severity?: string;
  title?: string;
  url?: string;
  github_advisory_id?: string;
  patched_versions?: string | null;
  findings?: Array<{ version?: string }>;
}

/** The first JSON object in the text: pnpm's report is the whole of stdout, but a stray line before it must not hide it. */
function jsonIn(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    const start = trimmed.indexOf('{');
    const end = trimmed.lastIndexOf('}');
    if (start < 0 || end <= start) return undefined;
    try {
      return JSON.parse(trimmed.slice(start, end + 1));
    } catch {
      return undefined;
    }
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const clip = (text: string) => (text.length > MAX_ANSWER_CHARS ? `${text.slice(0, MAX_ANSWER_CHARS)}…` : text);

/** What the endpoint answered, from pnpm's message: an HTTP status (with its body) or the request's error. */
function endpointAnswer(code: string, message: string): string {
  const status = /responded with (\d{3}):?\s*([\s\S]*)$/.exec(message);
  if (status) return status[2]!.trim() ? `${status[1]} (${clip(status[2]!.trim())})` : status[1]!;
  if (code === 'ERR_PNPM_AUDIT_ENDPOINT_NOT_EXISTS') return `404 (${clip(message)})`;
  const failed = /^Failed to request the audit endpoint \(at [^)]*\):\s*([\s\S]*)$/.exec(message);
  return `nothing (${clip(failed ? failed[1]!.trim() : message)})`;
}

function findingOf(advisory: PnpmAdvisory): AuditFinding {
  const versions = [...new Set((advisory.findings ?? []).map((f) => f.version).filter((v): v is string => typeof v === 'string'))];
  return {
    package: advisory.module_name ?? '(unnamed package)',
    versions,
    severity: advisory.severity as FailingSeverity,
    advisory: advisory.github_advisory_id ?? advisory.url ?? String(advisory.id ?? '(no id)'),
    title: advisory.title ?? '',
    fixedIn: typeof advisory.patched_versions === 'string' && advisory.patched_versions.trim() ? advisory.patched_versions : null,
  };
}

export function readAuditOutput(run: AuditRun): AuditOutcome {
  if (run.spawnError) return { status: 'broken', reason: `pnpm could not be started: ${run.spawnError}` };
  if (run.timedOutAfterMs !== undefined) return { status: 'unreachable', answer: `nothing within ${Math.round(run.timedOutAfterMs / 1000)} s` };
  const report = jsonIn(run.stdout) ?? jsonIn(run.stderr);
  if (!isObject(report)) {
    const said = (run.stdout.trim() || run.stderr.trim()).split('\n').slice(-3).join(' | ');
    return { status: 'broken', reason: `pnpm audit printed no JSON report${said ? `: ${clip(said)}` : ''}` };
  }
  if (isObject(report.error)) {
    const code = String(report.error.code ?? '');
    const message = String(report.error.message ?? '');
    if (ENDPOINT_ERRORS.has(code)) return { status: 'unreachable', answer: endpointAnswer(code, message) };
    return { status: 'broken', reason: `pnpm audit failed: ${code || 'no error code'} ${clip(message)}`.trim() };
  }
  if (!isObject(report.advisories)) return { status: 'broken', reason: 'pnpm audit printed JSON without "advisories"' };
  // --audit-level filters pnpm's list already; filtered again so the gate does not rest on that flag.
  const findings = Object.values(report.advisories as Record<string, PnpmAdvisory>)
    .filter((a) => isObject(a) && FAILING.has(String(a.severity)))
    .map(findingOf)
    .sort((a, b) => a.package.localeCompare(b.package) || a.advisory.localeCompare(b.advisory));
  return findings.length ? { status: 'vulnerable', findings } : { status: 'clean' };
}

export interface AuditVerdict {
  exitCode: 0 | 1;
  /** Everything but a clean audit goes to stderr, where a skipped audit stands out in a CI log. */
  stream: 'stdout' | 'stderr';
  lines: string[];
}

/** What to print and how to exit. AUDIT_REQUIRED=1 turns an audit that could not be done into a failure. */
export function auditVerdict(outcome: AuditOutcome, env: { AUDIT_REQUIRED?: string }): AuditVerdict {
  const required = env.AUDIT_REQUIRED === '1';
  switch (outcome.status) {
    case 'clean':
      return { exitCode: 0, stream: 'stdout', lines: ['audit: no high or critical advisories in the installed dependencies'] };
    case 'vulnerable':
      return {
        exitCode: 1,
        stream: 'stderr',
        lines: [
          `AUDIT FAILED: ${outcome.findings.length} high or critical advisor${outcome.findings.length === 1 ? 'y' : 'ies'} in the installed dependencies:`,
          ...outcome.findings.map(
            (f) => `  ${f.severity} ${f.package}@${f.versions.join(', ') || '?'}: ${f.advisory} ${f.title} — fixed in ${f.fixedIn ?? 'no published version'}`,
          ),
        ],
      };
    case 'unreachable': {
      const line = `the npm audit endpoint answered ${outcome.answer}; dependencies were not checked for advisories`;
      return { exitCode: required ? 1 : 0, stream: 'stderr', lines: [required ? `AUDIT FAILED (AUDIT_REQUIRED=1): ${line}` : `AUDIT SKIPPED: ${line}`] };
    }
    case 'broken':
      return { exitCode: 1, stream: 'stderr', lines: [`AUDIT FAILED: ${outcome.reason}`] };
  }
}
