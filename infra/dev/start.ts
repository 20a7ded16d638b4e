import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { smallMachineNodeArgs } from './node-options';
import { ensurePostgres, ensureRedis, sleep, tcpAnswers, type BackingService } from './backing-services';
import { DEFAULT_CERTIFICATES_URL, demoCertificateId, seedCertificates } from './seed-certificates';
import { startDevMailbox } from '../../services/notifications/src/dev-mailbox';
import { DEFAULT_GATEWAY_URL, DEFAULT_LEDGER_URL, DEFAULT_REGISTRY_URL, DEMO_IDS, SEED_CLIENT, certificateNumber, seedDemo } from './seed-demo';

/** `pnpm start`: backing services, then every service built so far, then the demo data. */

const REPO_ROOT = path.resolve(__dirname, '../..');
const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 20_000;

interface ServiceSpec {
  name: string;
  entry: string;
  port: number;
  /** What answers 200 once it is ready (services: /health/ready). */
  readyPath?: string;
}

const ESIA_DEV_PORT = 4010;
const ESIA_DEV_URL = `http://127.0.0.1:${ESIA_DEV_PORT}`;

// The development ЕСИА, then the gateway (people sign in through the one, the ledger fetches the other's JWKS when it checks a token).
const SERVICES: ServiceSpec[] = [
  { name: 'esia-dev', entry: 'services/esia-dev/src/main.ts', port: ESIA_DEV_PORT, readyPath: '/.well-known/openid-configuration' },
  { name: 'gateway', entry: 'services/gateway/src/main.ts', port: 4000 },
  { name: 'ledger', entry: 'services/ledger/src/main.ts', port: 4001 },
  { name: 'registry', entry: 'services/registry/src/main.ts', port: 4002 },
  { name: 'certificates', entry: 'services/certificates/src/main.ts', port: 4003 },
  { name: 'settlement', entry: 'services/settlement/src/main.ts', port: 4004 },
  { name: 'notifications', entry: 'services/notifications/src/main.ts', port: 4005 },
];

const DEV_SMTP_PORT = 2525;
const DEV_MAIL_DIR = path.join(REPO_ROOT, 'var/mail');

const NAME_WIDTH = Math.max(...SERVICES.map((s) => s.name.length), 'start'.length);
const colours = process.stdout.isTTY ? ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m'] : [];
const reset = process.stdout.isTTY ? '\x1b[0m' : '';

const say = (message: string) => console.log(`${'start'.padEnd(NAME_WIDTH)} | ${message}`);

const running = new Map<string, ChildProcess>();
const backing: BackingService[] = [];
let stopping = false;

const PINO_LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const PINO_NOISE = new Set(['level', 'time', 'pid', 'hostname', 'service', 'name', 'msg', 'req', 'res', 'responseTime']);

/** Pino's JSON lines read as `level message {fields}`; requests as `METHOD url → status (ms)`. */
function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const level = PINO_LEVELS[entry.level as number] ?? String(entry.level);
    const req = entry.req as { method?: string; url?: string } | undefined;
    const res = entry.res as { statusCode?: number } | undefined;
    const request = req && res ? ` ${req.method} ${req.url} → ${res.statusCode} (${String(entry.responseTime)} ms)` : '';
    const rest = Object.fromEntries(Object.entries(entry).filter(([key]) => !PINO_NOISE.has(key)));
    return `${level} ${String(entry.msg ?? '')}${request}${Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : ''}`;
  } catch {
    return line;
  }
}

function startService(spec: ServiceSpec, index: number, env: NodeJS.ProcessEnv): ChildProcess {
  // Node itself with tsx as a loader, so the service's V8 options reach it; its own process group, so stopping it reaches every process it starts.
  const child = spawn(process.execPath, [...smallMachineNodeArgs(), '--import', 'tsx', spec.entry], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = `${colours[index % colours.length] ?? ''}${spec.name.padEnd(NAME_WIDTH)}${reset} | `;
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => console.log(prefix + formatLogLine(line)));
  }
  child.once('exit', (code, signal) => {
    running.delete(spec.name);
    if (!stopping) void shutdown(1, `${spec.name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
  });
  running.set(spec.name, child);
  return child;
}

async function waitReady(spec: ServiceSpec, child: ChildProcess): Promise<void> {
  const url = `http://127.0.0.1:${spec.port}${spec.readyPath ?? '/health/ready'}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${spec.name} exited before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(300);
  }
  throw new Error(`${spec.name} was not ready within ${READY_TIMEOUT_MS / 1000} s (${url}: ${last})`);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild(name: string, child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => {
    say(`${name} did not stop within ${STOP_GRACE_MS / 1000} s; killing it`);
    signalGroup(child, 'SIGKILL');
  }, STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

async function shutdown(code: number, reason: string): Promise<never> {
  if (stopping) return new Promise<never>(() => undefined);
  stopping = true;
  say(reason);
  // Reverse start order: the ledger before the gateway whose JWKS it uses.
  for (const [name, child] of [...running].reverse()) await stopChild(name, child);
  for (const service of backing.reverse()) {
    await service.stop?.().catch((err: unknown) => say(`could not stop a backing service: ${(err as Error).message}`));
  }
  say(code === 0 ? 'stopped / остановлено' : 'stopped after an error / остановлено из-за ошибки');
  process.exit(code);
}

let firstSigintAt = 0;
process.on('SIGINT', () => {
  // One Ctrl+C can arrive twice (from the terminal and relayed by pnpm/tsx), so only a later one forces.
  if (stopping && Date.now() - firstSigintAt > 1500) {
    say('second Ctrl+C: killing the services');
    for (const child of running.values()) signalGroup(child, 'SIGKILL');
    process.exit(130);
  }
  firstSigintAt ||= Date.now();
  void shutdown(0, 'SIGINT: stopping the services');
});
process.on('SIGTERM', () => void shutdown(0, 'SIGTERM: stopping the services'));
process.on('SIGHUP', () => void shutdown(0, 'SIGHUP: stopping the services'));
// Last resort when the launcher dies on an error: never leave services behind.
process.on('exit', () => {
  for (const child of running.values()) signalGroup(child, 'SIGKILL');
});

async function printSummary(): Promise<void> {
  const res = await fetch(`${DEFAULT_GATEWAY_URL}/v1/auth/demo-users`);
  const { items } = (await res.json()) as { items: Array<{ username: string; name: string; roles: string[]; region_code?: string }> };
  const width = Math.max(...items.map((u) => u.username.length));
  const certificate = DEMO_IDS.certificate(0);
  const lines = [
    '',
    '══ Маркетплейс социальных сертификатов запущен / Social certificates marketplace is up ══',
    `  веб-приложение / web app                   ${DEFAULT_GATEWAY_URL}/   («Войти через Госуслуги» → выберите citizen-ivanova / sign in as citizen-ivanova)`,
    `  учебная ЕСИА / development ЕСИА (OIDC)    ${ESIA_DEV_URL}   discovery: ${ESIA_DEV_URL}/.well-known/openid-configuration`,
    `  gateway (вход, токены / sign-in, tokens)   ${DEFAULT_GATEWAY_URL}   JWKS: ${DEFAULT_GATEWAY_URL}/.well-known/jwks.json`,
    `  ledger  (счета и проводки / accounts)      ${DEFAULT_LEDGER_URL}   API: openapi/ledger.yaml`,
    `  registry (поставщики, отборы / providers)  ${DEFAULT_REGISTRY_URL}   API: openapi/registry.yaml`,
    `  certificates (сертификаты, запись, акты)   ${DEFAULT_CERTIFICATES_URL}   API: openapi/certificates.yaml`,
    `  settlement (расчёты, выплаты, выписки)     http://127.0.0.1:4004   API: openapi/settlement.yaml`,
    `  notifications (уведомления, входящие)      http://127.0.0.1:4005   API: openapi/notifications.yaml`,
    `  письма уведомлений / notice e-mails        ${path.relative(process.cwd(), DEV_MAIL_DIR) || '.'}/*.eml   (SMTP smtp://127.0.0.1:${DEV_SMTP_PORT}; адрес задаётся в PUT /v1/notification-settings)`,
    `  SMS уведомлений / notice SMS               в базе стенда: select phone, text from notifications.dev_sms   (телефон задаётся в PUT /v1/notification-settings)`,
    `  поставщики-участники / admitted providers: curl -s ${DEFAULT_REGISTRY_URL}/v1/providers`,
    `  сертификат Ивановой / Ivanova's certificate (войдите как citizen-ivanova): GET ${DEFAULT_CERTIFICATES_URL}/v1/certificates/${demoCertificateId('ivanova')}`,
    '',
    `Демо-пользователи / demo users (в веб-приложении — через учебную ЕСИА; для API POST /v1/auth/sign-in, пароль / password: ${process.env.DEMO_PASSWORD ?? 'demo'}):`,
    ...items.map((u) => `  ${u.username.padEnd(width)}  ${u.name} — ${u.roles.join(', ')}${u.region_code ? `, регион ${u.region_code}` : ''}`),
    '',
    `Пример / example: сервисный токен и счёт сертификата ${certificateNumber(0)} / a service token and a certificate account:`,
    `  TOKEN=$(curl -s -X POST ${DEFAULT_GATEWAY_URL}/v1/auth/service-token -H 'content-type: application/json' \\`,
    `    -d '${JSON.stringify(SEED_CLIENT)}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    `  curl -s ${DEFAULT_LEDGER_URL}/v1/accounts/${certificate} -H "authorization: Bearer $TOKEN"`,
    '',
    'Демо-данные заново / re-seed: pnpm exec tsx infra/dev/seed-demo.ts     Остановить / stop: Ctrl+C',
    '',
  ];
  console.log(lines.join('\n'));
}

/** The gateway serves the built app; building first means the address printed below works at once. */
function buildWebApp(): void {
  say('building the web app / сборка веб-приложения (services/web)');
  const started = Date.now();
  const build = spawnSync(process.execPath, [path.join(REPO_ROOT, 'services/web/node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: path.join(REPO_ROOT, 'services/web'),
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('the web app did not build (see above)');
  say(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  for (const spec of SERVICES) {
    if (await tcpAnswers('127.0.0.1', spec.port)) {
      throw new Error(`port ${spec.port} (${spec.name}) is already in use: is another \`pnpm start\` running?`);
    }
  }

  buildWebApp();
  const postgres = await ensurePostgres();
  backing.push(postgres);
  const redis = await ensureRedis();
  backing.push(redis);

  // The notices' e-mails go to a local SMTP server that keeps them as files (never a real mailbox).
  const smtpUrl = await startDevMailbox({ port: DEV_SMTP_PORT, dir: DEV_MAIL_DIR }).then(
    (mailbox) => mailbox.url,
    (err: unknown) => {
      say(`WARNING: no local SMTP server on :${DEV_SMTP_PORT} (${(err as Error).message}); notices stay in the in-app inbox only`);
      return undefined;
    },
  );

  for (const [index, spec] of SERVICES.entries()) {
    const started = Date.now();
    say(`starting ${spec.name} on :${spec.port}`);
    const env = {
      ...process.env,
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      PORT: String(spec.port),
      JWKS_URL: `${DEFAULT_GATEWAY_URL}/.well-known/jwks.json`,
      ...((spec.name === 'notifications' || spec.name === 'gateway') && smtpUrl && !process.env.SMTP_URL ? { SMTP_URL: smtpUrl } : {}),
      ...(spec.name === 'notifications' && !process.env.SMS_ADAPTER ? { SMS_ADAPTER: 'dev' } : {}),
      ...(spec.name === 'esia-dev' ? { ESIA_DEV_PORT: String(ESIA_DEV_PORT) } : {}),
      ...(spec.name === 'gateway' && !process.env.OIDC_DISCOVERY_URL ? { OIDC_DISCOVERY_URL: ESIA_DEV_URL } : {}),
      // On a demo stand everyone signs in from this one address, switching people often: the production limits would stop a demo.
      ...(spec.name === 'gateway' ? { RATE_LIMIT_PER_ADDRESS: process.env.RATE_LIMIT_PER_ADDRESS ?? '1000', RATE_LIMIT_PER_ACCOUNT: process.env.RATE_LIMIT_PER_ACCOUNT ?? '200' } : {}),
    };
    const child = startService(spec, index, env);
    await waitReady(spec, child);
    say(`${spec.name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  say('demo data / демо-данные:');
  try {
    await seedDemo({ log: say });
    await seedCertificates({ gatewayUrl: DEFAULT_GATEWAY_URL, log: say });
  } catch (err) {
    say(`WARNING: the demo seed failed, the services keep running: ${(err as Error).message}`);
  }
  await printSummary().catch((err: unknown) => say(`could not print the summary: ${(err as Error).message}`));
}

main().catch((err: unknown) => {
  void shutdown(1, `failed: ${(err as Error).message}`);
});
