import { z } from 'zod';
import { AppError } from '@esc/service-kit';
import { secretsMatch } from './secrets';

/** A caller of other services (OAuth 2.0 client credentials). */
export interface ServiceClient {
  clientId: string;
  secret: string;
  scopes: string[];
}

const scopeToken = z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,64}$/, 'a scope token (RFC 6749 §3.3) of at most 64 characters');

export const serviceClientSchema = z
  .object({
    client_id: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'lowercase letters, digits and dashes'),
    client_secret: z.string().min(16),
    scopes: z.array(scopeToken).min(1),
  })
  .transform((c): ServiceClient => ({ clientId: c.client_id, secret: c.client_secret, scopes: c.scopes }));

export const serviceClientsSchema = z
  .array(serviceClientSchema)
  .min(1)
  .superRefine((clients, ctx) => {
    const seen = new Set<string>();
    for (const client of clients) {
      if (seen.has(client.clientId)) ctx.addIssue({ code: 'custom', message: `client_id ${client.clientId} appears twice` });
      seen.add(client.clientId);
    }
  });

const devClient = (clientId: string, scopes: string): ServiceClient => ({ clientId, secret: `dev-secret-${clientId}`, scopes: scopes.split(' ') });

export const DEFAULT_SERVICE_CLIENTS: ServiceClient[] = [
  devClient('certificates', 'ledger:read ledger:write registry:read'),
  devClient('settlement', 'ledger:read ledger:write registry:read'),
  // A source system (a hospital's discharge feed) that reports life events to the certificates service.
  devClient('life-events-source', 'certificates:life-events'),
  devClient('registry', 'ledger:read'),
  devClient('ledger-jobs', 'ledger:write ledger:read'),
  devClient('bench', 'ledger:read ledger:write'),
  devClient('audit-tool', 'ledger:read'),
  // Prometheus scrapes every service's /metrics with this client's token (OAuth2 client credentials).
  devClient('prometheus', 'metrics:read'),
];

// Compared against when the client id is unknown, so an unknown id costs as much as a wrong secret.
const UNKNOWN_CLIENT_SECRET = 'unknown-client-secret-placeholder';

export class ServiceClientRegistry {
  private readonly byId: Map<string, ServiceClient>;

  constructor(clients: ServiceClient[]) {
    this.byId = new Map(clients.map((c) => [c.clientId, c]));
  }

  /** Checks the client's credentials and narrows its scopes to those requested (all of them when none are). */
  grant(clientId: string, clientSecret: string, requestedScope?: string): { client: ServiceClient; scopes: string[] } {
    const client = this.byId.get(clientId);
    const secretOk = secretsMatch(clientSecret, client?.secret ?? UNKNOWN_CLIENT_SECRET);
    if (!client || !secretOk) {
      throw new AppError('unauthenticated', 'invalid_client', 'Unknown client_id or wrong client_secret.');
    }
    const requested = [...new Set((requestedScope ?? '').split(' ').filter(Boolean))];
    if (requested.length === 0) return { client, scopes: [...client.scopes] };
    const notAllowed = requested.filter((scope) => !client.scopes.includes(scope));
    if (notAllowed.length) {
      throw new AppError(
        'forbidden',
        'scope_not_allowed',
        `Client ${client.clientId} may not request ${notAllowed.length === 1 ? 'scope' : 'scopes'} ${notAllowed.join(', ')}; it is granted ${client.scopes.join(' ')}.`,
        { scopes: notAllowed },
      );
    }
    return { client, scopes: requested };
  }
}
