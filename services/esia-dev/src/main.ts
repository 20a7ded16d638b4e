import { createEsiaDev, listenEsiaDev } from './provider';

/**
 * `pnpm start` and the tests run this beside the gateway. Environment: ESIA_DEV_PORT (4010),
 * ESIA_DEV_ISSUER (http://127.0.0.1:<port>), ESIA_DEV_CLIENT_ID / ESIA_DEV_CLIENT_SECRET (the gateway's
 * OIDC_CLIENT_ID / OIDC_CLIENT_SECRET defaults), ESIA_DEV_REDIRECT_URIS (comma-separated),
 * ESIA_DEV_TEST_PEOPLE=true for the people with broken claims. Prints one JSON line once it listens.
 */
const env = process.env;
const port = Number(env.ESIA_DEV_PORT ?? 4010);
const issuer = env.ESIA_DEV_ISSUER ?? `http://127.0.0.1:${port}`;
const { server } = createEsiaDev({
  issuer,
  clientId: env.ESIA_DEV_CLIENT_ID ?? 'esc-gateway',
  clientSecret: env.ESIA_DEV_CLIENT_SECRET ?? 'dev-oidc-secret-esc-gateway',
  redirectUris: (env.ESIA_DEV_REDIRECT_URIS ?? 'http://127.0.0.1:4000/api/auth/callback,http://localhost:4000/api/auth/callback').split(',').map((u) => u.trim()).filter(Boolean),
  testPeople: env.ESIA_DEV_TEST_PEOPLE === 'true',
});
const url = await listenEsiaDev(server, port);
console.log(JSON.stringify({ level: 30, msg: 'esia-dev listening', url, issuer }));
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
