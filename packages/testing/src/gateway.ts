import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway } from 'gateway/src/app';

export interface TestGateway {
  url: string;
  jwksUrl: string;
  serviceToken(clientId: string, scope?: string): Promise<string>;
  signIn(username: string): Promise<string>;
  stop(): Promise<void>;
}

/** A real gateway on a random port with its own key: tests use really signed tokens. */
export async function startTestGateway(): Promise<TestGateway> {
  const keyDir = mkdtempSync(join(tmpdir(), 'esc-gateway-'));
  const gateway = await createGateway({ JWT_PRIVATE_KEY_FILE: join(keyDir, 'signing.pem'), LOG_LEVEL: 'silent' } as never);
  const { url } = await gateway.start(0);
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { access_token: string };
  };
  return {
    url,
    jwksUrl: `${url}/.well-known/jwks.json`,
    async serviceToken(clientId, scope) {
      const body = await post('/v1/auth/service-token', { client_id: clientId, client_secret: `dev-secret-${clientId}`, ...(scope ? { scope } : {}) });
      return body.access_token;
    },
    async signIn(username) {
      return (await post('/v1/auth/sign-in', { username, password: 'demo' })).access_token;
    },
    stop: () => gateway.stop(),
  };
}
