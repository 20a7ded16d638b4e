import { auditVerdict, readAuditOutput, type AuditRun } from '../../infra/dev/audit-report';

// What pnpm 12 printed for `pnpm audit --audit-level high --json` on this workspace: against the npm
// registry from the build machine (405), against a closed port, against a loopback endpoint answering 404
// and 500, and against a loopback endpoint answering the bulk advisories API with one high advisory for
// yaml and one moderate for pg (pnpm leaves the moderate one out of `advisories` but counts it).
const REFUSED_405 = `{
  "error": {
    "code": "ERR_PNPM_AUDIT_BAD_RESPONSE",
    "message": "The audit endpoint (at https://registry.npmjs.org/-/npm/v1/security/advisories/bulk) responded with 405: "
  }
}
`;
const NO_CONNECTION = `{
  "error": {
    "code": "ERR_PNPM_AUDIT_BAD_RESPONSE",
    "message": "Failed to request the audit endpoint (at http://127.0.0.1:9/-/npm/v1/security/advisories/bulk): error sending request for url (http://127.0.0.1:9/-/npm/v1/security/advisories/bulk)"
  }
}
`;
const NOT_FOUND = `{
  "error": {
    "code": "ERR_PNPM_AUDIT_ENDPOINT_NOT_EXISTS",
    "message": "The audit endpoint (at http://127.0.0.1:18933/-/npm/v1/security/advisories/bulk) doesn't exist."
  }
}
`;
const SERVER_ERROR = `{
  "error": {
    "code": "ERR_PNPM_AUDIT_BAD_RESPONSE",
    "message": "The audit endpoint (at http://127.0.0.1:18934/-/npm/v1/security/advisories/bulk) responded with 500: {\\"message\\":\\"boom\\"}"
  }
}
`;
const metadata = (moderate: number, high: number, critical = 0) => ({
  vulnerabilities: { info: 0, low: 0, moderate, high, critical },
  dependencies: 543,
  devDependencies: 550,
  optionalDependencies: 85,
  totalDependencies: 1110,
});
const CLEAN = JSON.stringify({ advisories: {}, metadata: metadata(0, 0) }, null, 2);
const YAML_HIGH = {
  findings: [{ version: '2.9.1', paths: ['services__web>@vitejs/plugin-react>vite>yaml', 'services__web>vite>yaml', '.>yaml'], dev: true, optional: false, bundled: false }],
  id: 1099999,
  title: 'Test advisory in yaml',
  module_name: 'yaml',
  vulnerable_versions: '<99.0.0',
  patched_versions: '>=99.0.0',
  severity: 'high',
  cwe: 'CWE-400',
  github_advisory_id: 'GHSA-xxxx-yyyy-zzzz',
  url: 'https://github.com/advisories/GHSA-xxxx-yyyy-zzzz',
};
const HIGH_IN_YAML = JSON.stringify({ advisories: { '1099999': YAML_HIGH }, metadata: metadata(1, 1) }, null, 2);
// The fuller shape pnpm also prints (empty npm-era fields), with two versions of one package found and no fixed version published.
const CRITICAL_WITHOUT_FIX = JSON.stringify({
  advisories: {
    '1116777': {
      findings: [
        { version: '1.9.0', paths: ['.>a>follow-redirects'], dev: false, optional: false, bundled: false },
        { version: '1.0.0', paths: ['.>b>follow-redirects'], dev: false, optional: false, bundled: false },
      ],
      id: 1116777,
      url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc',
      title: 'Made-up critical advisory',
      severity: 'critical',
      vulnerable_versions: '<=1.15.11',
      patched_versions: null,
      cwe: 'CWE-200',
      cves: [],
      github_advisory_id: 'GHSA-aaaa-bbbb-cccc',
      module_name: 'follow-redirects',
      created: '',
      updated: '',
      access: '',
      overview: '',
      recommendation: '',
      references: '',
      found_by: { name: '' },
      reported_by: { name: '' },
      metadata: { module_type: '', exploitability: 0, affected_components: '' },
    },
    // Left in by a run without --audit-level: not a reason to fail.
    '1116778': { ...YAML_HIGH, id: 1116778, severity: 'moderate', module_name: 'pg', github_advisory_id: 'GHSA-dddd-eeee-ffff' },
  },
  muted: [],
  metadata: metadata(1, 0, 1),
});

const run = (stdout: string, extra: Partial<AuditRun> = {}): AuditRun => ({ stdout, stderr: 'npm warn Unknown project config "auto-install-peers".\n', ...extra });
const decide = (stdout: string, env: { AUDIT_REQUIRED?: string } = {}, extra: Partial<AuditRun> = {}) => auditVerdict(readAuditOutput(run(stdout, extra)), env);

describe('pnpm check:audit decides from what pnpm audit printed', () => {
  test('When a high advisory is found, then it fails naming the package, version, advisory and fixed version', () => {
    expect(decide(HIGH_IN_YAML)).toEqual({
      exitCode: 1,
      stream: 'stderr',
      lines: ['AUDIT FAILED: 1 high or critical advisory in the installed dependencies:', '  high yaml@2.9.1: GHSA-xxxx-yyyy-zzzz Test advisory in yaml — fixed in >=99.0.0'],
    });
  });

  test('When a critical advisory has no fixed version and a moderate one is listed, then only the critical one fails it', () => {
    const verdict = decide(CRITICAL_WITHOUT_FIX);
    expect(verdict.exitCode).toBe(1);
    expect(verdict.lines).toEqual([
      'AUDIT FAILED: 1 high or critical advisory in the installed dependencies:',
      '  critical follow-redirects@1.9.0, 1.0.0: GHSA-aaaa-bbbb-cccc Made-up critical advisory — fixed in no published version',
    ]);
  });

  test('When nothing is found, then it passes quietly', () => {
    expect(decide(CLEAN)).toEqual({ exitCode: 0, stream: 'stdout', lines: ['audit: no high or critical advisories in the installed dependencies'] });
    // Nor does a moderate advisory alone fail it.
    expect(decide(CRITICAL_WITHOUT_FIX.replace('"severity":"critical"', '"severity":"low"')).exitCode).toBe(0);
  });

  test('When the endpoint refuses or cannot be reached, then the audit is skipped with one loud line, or fails with AUDIT_REQUIRED=1', () => {
    const skipped = (answer: string) => ({ exitCode: 0, stream: 'stderr', lines: [`AUDIT SKIPPED: the npm audit endpoint answered ${answer}; dependencies were not checked for advisories`] });
    expect(decide(REFUSED_405)).toEqual(skipped('405'));
    expect(decide(SERVER_ERROR)).toEqual(skipped('500 ({"message":"boom"})'));
    expect(decide(NOT_FOUND)).toEqual(skipped("404 (The audit endpoint (at http://127.0.0.1:18933/-/npm/v1/security/advisories/bulk) doesn't exist.)"));
    expect(decide(NO_CONNECTION)).toEqual(skipped('nothing (error sending request for url (http://127.0.0.1:9/-/npm/v1/security/advisories/bulk))'));
    expect(decide('', {}, { timedOutAfterMs: 180_000 })).toEqual(skipped('nothing within 180 s'));

    expect(decide(REFUSED_405, { AUDIT_REQUIRED: '1' })).toEqual({
      exitCode: 1,
      stream: 'stderr',
      lines: ['AUDIT FAILED (AUDIT_REQUIRED=1): the npm audit endpoint answered 405; dependencies were not checked for advisories'],
    });
    expect(decide(NO_CONNECTION, { AUDIT_REQUIRED: '1' }).exitCode).toBe(1);
    expect(decide(REFUSED_405, { AUDIT_REQUIRED: '0' }).exitCode).toBe(0);
  });

  test('When pnpm prints no audit report or fails for another reason, then it fails rather than skipping', () => {
    expect(decide('')).toMatchObject({ exitCode: 1, lines: [expect.stringContaining('printed no JSON report')] });
    expect(decide('', {}, { spawnError: 'spawnSync pnpm ENOENT' })).toMatchObject({ exitCode: 1, lines: ['AUDIT FAILED: pnpm could not be started: spawnSync pnpm ENOENT'] });
    const noLockfile = JSON.stringify({ error: { code: 'ERR_PNPM_AUDIT_NO_LOCKFILE', message: 'No pnpm-lock.yaml found: Cannot audit a project without a lockfile' } });
    expect(decide(noLockfile)).toMatchObject({ exitCode: 1, lines: [expect.stringContaining('ERR_PNPM_AUDIT_NO_LOCKFILE')] });
    expect(decide('{"metadata":{}}')).toMatchObject({ exitCode: 1 });
  });

  test('When a line comes before the report, then the report is still read', () => {
    expect(decide(`Progress: resolved 1110\n${HIGH_IN_YAML}`).exitCode).toBe(1);
    expect(decide(`Progress: resolved 1110\n${REFUSED_405}`).lines[0]).toMatch(/^AUDIT SKIPPED: the npm audit endpoint answered 405;/);
  });
});
