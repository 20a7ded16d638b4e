import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRedis } from '@esc/service-kit';
import { httpClient, type HttpClient } from '@esc/testing';
import { seedRegistryDemo } from '../../infra/dev/seed-demo';

/**
 * The six services as real child processes (`node --import tsx src/main.ts`, as `pnpm start` runs them), on
 * ports chosen once so that a killed service comes back where the others look for it. Everything they keep
 * is in one database and one Redis given by the test, under a queue prefix of their own.
 */

export const SERVICES = ['gateway', 'ledger', 'registry', 'certificates', 'settlement', 'notifications'] as const;
export type ServiceName = (typeof SERVICES)[number];

const REPO_ROOT = path.resolve(__dirname, '../..');
const READY_TIMEOUT_MS = 60_000;

export interface Marketplace {
  url: Record<ServiceName, string>;
  /** Every service's BullMQ key prefix (QUEUE_PREFIX). */
  queuePrefix: string;
  redisUrl: string;
  /** A client of a service with a token of the gateway's demo user. */
  as(username: string, service: ServiceName): Promise<HttpClient>;
  /** A client with a service token (audit-tool reads the ledger's invariants). */
  asService(clientId: string, service: ServiceName): Promise<HttpClient>;
  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  kill(name: ServiceName): Promise<void>;
  start(name: ServiceName): Promise<void>;
  /** The service logs (stderr), one file per service, for a failure's investigation. */
  logDir: string;
  stop(): Promise<void>;
}

export interface MarketplaceOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Added to every service's environment. */
  env?: Record<string, string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

async function waitReady(name: string, url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited during start-up (${child.signalCode ?? child.exitCode})`);
    try {
      if ((await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} was not ready at ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

export async function startMarketplace(options: MarketplaceOptions): Promise<Marketplace> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'esc-faults-'));
  const logDir = path.join(workDir, 'logs');
  const webDir = path.join(workDir, 'web');
  mkdirSync(logDir);
  mkdirSync(webDir);
  writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>faults</title>');
  const ports = Object.fromEntries(await Promise.all(SERVICES.map(async (name) => [name, await freePort()] as const))) as Record<ServiceName, number>;
  const url = Object.fromEntries(SERVICES.map((name) => [name, `http://127.0.0.1:${ports[name]}`])) as Record<ServiceName, string>;
  const prefix = `faults-${randomUUID().slice(0, 8)}`;
  const common: Record<string, string> = {
    NODE_ENV: 'development',
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    JWKS_URL: `${url.gateway}/.well-known/jwks.json`,
    GATEWAY_URL: url.gateway,
    LEDGER_URL: url.ledger,
    REGISTRY_URL: url.registry,
    CERTIFICATES_URL: url.certificates,
    SETTLEMENT_URL: url.settlement,
    NOTIFICATIONS_URL: url.notifications,
    // The gateway's signing key outlives its process: a restarted gateway signs with the same key.
    JWT_PRIVATE_KEY_FILE: path.join(workDir, 'signing.pem'),
    WEB_DIST_DIR: webDir,
    SESSION_PREFIX: `esc:${prefix}:session:`,
    DOCUMENTS_DIR: path.join(workDir, 'documents'),
    SEARCH_CACHE_TTL_MS: '0',
    // Recovery passes often enough for a test to wait for them.
    SWEEP_EVERY_MS: '1000',
    RECOVERY_EVERY_MS: '500',
    HOLD_EXPIRY_EVERY_MS: '1000',
    // A hold whose act a killed process never wrote is voided within the test.
    ABANDONED_HOLD_AFTER_SECONDS: '20',
    // An event or job a killed process was handling is taken over within seconds, not half a minute.
    JOB_LOCK_MS: '2000',
    EVENT_LOCK_MS: '2000',
    ...options.env,
  };
  const children = new Map<ServiceName, ChildProcess>();

  const start = async (name: ServiceName) => {
    const log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...common, PORT: String(ports[name]) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    children.set(name, child);
    await waitReady(name, url[name], child);
  };
  const kill = async (name: ServiceName) => {
    const child = children.get(name);
    if (!child) return;
    child.kill('SIGKILL');
    await exited(child);
    children.delete(name);
  };
  const stop = async () => {
    await Promise.all(
      [...children.values()].map(async (child) => {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited(child);
        clearTimeout(timer);
      }),
    );
    children.clear();
  };

  const tokens = new Map<string, Promise<string>>();
  const token = (key: string, get: () => Promise<Response>) => {
    if (!tokens.has(key)) {
      tokens.set(
        key,
        get().then(async (res) => {
          if (!res.ok) throw new Error(`${key}: ${res.status} ${await res.text()}`);
          return ((await res.json()) as { access_token: string }).access_token;
        }),
      );
    }
    return tokens.get(key)!;
  };
  const postGateway = (route: string, body: unknown) =>
    fetch(`${url.gateway}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  try {
    // The gateway first (the others read its JWKS), the ledger before the services that call it.
    await start('gateway');
    await start('ledger');
    await start('registry');
    await Promise.all((['certificates', 'settlement', 'notifications'] as const).map(start));
    await seedRegistryDemo(url.gateway, url.registry);
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    url,
    queuePrefix: prefix,
    redisUrl: options.redisUrl,
    logDir,
    async as(username, service) {
      return httpClient(url[service], await token(`user ${username}`, () => postGateway('/v1/auth/sign-in', { username, password: 'demo' })));
    },
    async asService(clientId, service) {
      return httpClient(
        url[service],
        await token(`client ${clientId}`, () => postGateway('/v1/auth/service-token', { client_id: clientId, client_secret: `dev-secret-${clientId}` })),
      );
    },
    kill,
    start,
    async stop() {
      await stop();
      // The queues' keys go too: the Redis may be the shared one.
      const redis = createRedis(options.redisUrl);
      try {
        for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) if ((keys as string[]).length) await redis.del(...(keys as string[]));
      } finally {
        redis.disconnect();
      }
      // FAULTS_KEEP_LOGS=1 keeps the services' logs for a failure's investigation.
      if (process.env.FAULTS_KEEP_LOGS) console.log(`service logs kept in ${logDir}`);
      else rmSync(workDir, { recursive: true, force: true });
    },
  };
}
