import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import readline from 'node:readline';

const REPO_ROOT = path.resolve(__dirname, '../../..');
export const DEV_OIDC_CLIENT_ID = 'esc-gateway';
export const DEV_OIDC_CLIENT_SECRET = 'dev-oidc-secret-esc-gateway';

/** A free TCP port on 127.0.0.1 (closed again at once), for servers that must know each other's address before they start. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface DevIdentityProvider {
  /** Its issuer and discovery base (the gateway's OIDC_DISCOVERY_URL). */
  url: string;
  stop(): Promise<void>;
}

/**
 * The development ЕСИА (services/esia-dev) as a child process: oidc-provider is ESM with its own
 * module graph, which Jest's CommonJS runtime does not load, and a real process is what the gateway meets anyway.
 */
export async function startDevIdentityProvider(options: { redirectUris: string[]; testPeople?: boolean; port?: number }): Promise<DevIdentityProvider> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'services/esia-dev/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ESIA_DEV_PORT: String(port),
      ESIA_DEV_REDIRECT_URIS: options.redirectUris.join(','),
      ESIA_DEV_TEST_PEOPLE: options.testPeople ? 'true' : 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`esia-dev did not start in 30 s: ${stderr}`)), 30_000);
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('esia-dev listening')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`esia-dev exited (${code}): ${stderr}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Cookies as a browser keeps them for one site (name → value); enough for the code flow's redirects. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

export interface CodeFlowSteps {
  /** The gateway's answer to the callback (303 into the app, or a problem). */
  callback: Response;
  /** The callback address the provider sent the browser to (code, state, iss). */
  callbackUrl: string;
  gatewayJar: CookieJar;
}

/**
 * A person signing in as a browser would, without a browser: the gateway's /api/auth/login, the
 * provider's one-click page (the person picked by demo username), its redirect back with the code,
 * and the gateway's callback. `beforeCallback` may tamper with the callback address.
 */
export async function signInThroughProvider(
  gatewayUrl: string,
  username: string,
  options: { returnTo?: string; gatewayJar?: CookieJar; beforeCallback?: (url: URL) => URL | void } = {},
): Promise<CodeFlowSteps> {
  const gatewayJar = options.gatewayJar ?? new CookieJar();
  const providerJar = new CookieJar();
  const login = await fetch(`${gatewayUrl}/api/auth/login${options.returnTo ? `?return_to=${encodeURIComponent(options.returnTo)}` : ''}`, {
    redirect: 'manual',
    headers: { cookie: gatewayJar.header() },
  });
  if (login.status !== 303) throw new Error(`/api/auth/login answered ${login.status}: ${await login.text()}`);
  gatewayJar.store(login);
  let next = new URL(login.headers.get('location')!);
  const providerOrigin = next.origin;
  const go = async (url: URL, init: RequestInit = {}) => {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: providerJar.header() } });
    providerJar.store(res);
    return res;
  };
  let res = await go(next);
  while (res.status >= 300 && res.status < 400 && new URL(res.headers.get('location')!, providerOrigin).pathname.startsWith('/interaction/') === false) {
    next = new URL(res.headers.get('location')!, providerOrigin);
    res = await go(next);
  }
  const interaction = new URL(res.headers.get('location')!, providerOrigin);
  const page = await (await go(interaction)).text();
  const match = new RegExp(`name="sub" value="([^"]+)">\\s*<button type="submit" data-username="${username}"`).exec(page);
  if (!match) throw new Error(`the development ЕСИА offers no ${username}`);
  res = await go(new URL(`${interaction.pathname}/login`, providerOrigin), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ sub: match[1]! }).toString(),
  });
  let location = new URL(res.headers.get('location')!, providerOrigin);
  while (location.origin === providerOrigin) {
    res = await go(location);
    if (res.status < 300 || res.status >= 400) throw new Error(`the provider answered ${res.status}: ${await res.text()}`);
    location = new URL(res.headers.get('location')!, providerOrigin);
  }
  const callbackUrl = options.beforeCallback?.(new URL(location)) ?? location;
  const callback = await fetch(callbackUrl, { redirect: 'manual', headers: { cookie: gatewayJar.header() } });
  gatewayJar.store(callback);
  return { callback, callbackUrl: location.href, gatewayJar };
}
