import createFetchClient, { type Middleware } from 'openapi-fetch';
import createQueryClient from 'openapi-react-query';
import { QueryClient } from '@tanstack/react-query';
import type { certificates, gateway, ledger, notifications, registry, settlement } from '@esc/api-types';
import { toProblem } from './problem';

let csrfToken: string | undefined;

/** The session's CSRF token, sent with every state-changing request (the gateway checks it). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method) && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
  async onResponse({ response }) {
    if (response.ok) return response;
    const type = response.headers.get('content-type') ?? '';
    if (type.includes('json')) return response;
    // A proxy or server error page without a problem body: give the screen a problem it can show.
    const problem = toProblem({ code: response.status >= 500 ? 'service_unavailable' : 'unexpected_error', status: response.status });
    return new Response(JSON.stringify({ type: 'about:blank', title: problem.code, status: response.status, code: problem.code, detail: problem.detail }), {
      status: response.status,
      headers: { 'content-type': 'application/problem+json' },
    });
  },
};

function client<Paths extends object>(baseUrl: string) {
  const fetchClient = createFetchClient<Paths>({ baseUrl, credentials: 'same-origin' });
  fetchClient.use(sessionMiddleware);
  return fetchClient;
}

export const gatewayApi = client<gateway.paths>('');
export const registryApi = client<registry.paths>('/api/registry');
export const certificatesApi = client<certificates.paths>('/api/certificates');
export const settlementApi = client<settlement.paths>('/api/settlement');
export const ledgerApi = client<ledger.paths>('/api/ledger');
export const notificationsApi = client<notifications.paths>('/api/notifications');

export const $gateway = createQueryClient(gatewayApi);
export const $registry = createQueryClient(registryApi);
export const $certificates = createQueryClient(certificatesApi);
export const $settlement = createQueryClient(settlementApi);
export const $ledger = createQueryClient(ledgerApi);
export const $notifications = createQueryClient(notificationsApi);

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => count < 2 && toProblem(error).status >= 500,
    },
  },
});

export type RegistrySchemas = registry.components['schemas'];
export type CertificatesSchemas = certificates.components['schemas'];
export type SettlementSchemas = settlement.components['schemas'];
export type LedgerSchemas = ledger.components['schemas'];
export type NotificationsSchemas = notifications.components['schemas'];
