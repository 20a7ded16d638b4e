import type { gateway } from '@esc/api-types';
import type { Principal } from '@esc/service-kit';
import type { DemoUser } from '../domain/demo-users';
import type { WebSession } from '../domain/sessions';
import type { PublicJwk } from '../domain/signing-key';
import type { IssuedToken, SignedInUser } from '../domain/token-issuer';

type Schemas = gateway.components['schemas'];

export const userView = (user: SignedInUser): Schemas['User'] => ({
  id: user.id,
  name: user.name,
  roles: user.roles,
  ...(user.regionCode ? { region_code: user.regionCode } : {}),
  ...(user.providerId ? { provider_id: user.providerId } : {}),
  ...(user.snils ? { snils: user.snils } : {}),
});

export const signInResultView = (token: IssuedToken, user: SignedInUser): Schemas['SignInResult'] => ({
  access_token: token.accessToken,
  token_type: 'Bearer',
  expires_in: token.expiresIn,
  user: userView(user),
});

export const serviceTokenResultView = (token: IssuedToken, scopes: string[]): Schemas['ServiceTokenResult'] => ({
  access_token: token.accessToken,
  token_type: 'Bearer',
  expires_in: token.expiresIn,
  scope: scopes.join(' '),
});

export const demoUsersView = (users: readonly DemoUser[]): { items: Schemas['DemoUser'][] } => ({
  items: users.map((user) => ({ username: user.username, ...userView(user) })),
});

export const meView = ({ principal, user }: { principal: Principal; user?: DemoUser }): Schemas['Me'] => ({
  subject: principal.subject,
  kind: principal.kind,
  ...(user ? { name: user.name } : {}),
  roles: principal.roles,
  scopes: principal.scopes,
  ...(principal.regionCode ? { region_code: principal.regionCode } : {}),
  ...(principal.providerId ? { provider_id: principal.providerId } : {}),
  ...(principal.snils ? { snils: principal.snils } : {}),
  expires_at: new Date(principal.expiresAt).toISOString(),
});

export const sessionView = (session: WebSession): Schemas['Session'] => ({
  user: userView(session.user),
  expires_at: session.expiresAt,
  csrf_token: session.csrfToken,
});

export const sessionDemoUsersView = ({ enabled, users }: { enabled: boolean; users: readonly DemoUser[] }): Schemas['SessionDemoUsers'] => ({
  enabled,
  items: users.map((user) => ({
    username: user.username,
    name: user.name,
    roles: user.roles,
    ...(user.regionCode ? { region_code: user.regionCode } : {}),
    ...(user.providerId ? { provider_id: user.providerId } : {}),
  })),
});

export const jwksView = (keys: PublicJwk[]): Schemas['Jwks'] => ({ keys });
