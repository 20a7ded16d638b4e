import type { gateway } from '@esc/api-types';
import type { Principal } from '@esc/service-kit';
import type { Account, Grant } from '../domain/account-model';
import type { DemoUser } from '../domain/demo-users';
import type { Invitation, JoinRequestRow } from '../domain/invitation-model';
import type { OnboardingState, providerStaff } from '../domain/onboarding';
import type { SessionListItem } from '../domain/web-sessions';
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

export const sessionListView = (items: SessionListItem[]): Schemas['SessionList'] => ({
  items: items.map(({ handle, current, session }) => ({
    id: handle,
    current,
    created_at: session.createdAt,
    last_seen_at: session.lastSeenAt,
    expires_at: session.expiresAt,
    ends_at: session.endsAt,
    ...(session.userAgent ? { user_agent: session.userAgent } : {}),
    ...(session.address ? { address: session.address } : {}),
  })),
});

export const grantView = (grant: Grant): Schemas['Grant'] => ({
  id: grant.id,
  role: grant.role,
  ...(grant.regionCode ? { region_code: grant.regionCode } : {}),
  ...(grant.providerId ? { provider_id: grant.providerId } : {}),
  granted_by: grant.grantedBy,
  granted_at: grant.grantedAt,
  ...(grant.revokedBy ? { revoked_by: grant.revokedBy } : {}),
  ...(grant.revokedAt ? { revoked_at: grant.revokedAt } : {}),
});

export const accountDetailView = ({ account, grants }: { account: Account; grants: Grant[] }): Schemas['Account'] => ({
  id: account.id,
  subject: account.subject,
  name: account.name,
  ...(account.snils ? { snils: account.snils } : {}),
  ...(account.birthDate ? { birth_date: account.birthDate } : {}),
  ...(account.orgInn
    ? {
        organisation: {
          inn: account.orgInn,
          ...(account.orgOgrn ? { ogrn: account.orgOgrn } : {}),
          ...(account.orgName ? { name: account.orgName } : {}),
          ...(account.orgPosition ? { position: account.orgPosition } : {}),
        },
      }
    : {}),
  created_at: account.createdAt,
  ...(account.lastSignInAt ? { last_sign_in_at: account.lastSignInAt } : {}),
  grants: grants.map(grantView),
});

export const accountListView = (items: Array<{ account: Account; grants: Grant[] }>): { items: Schemas['Account'][] } => ({ items: items.map(accountDetailView) });

export const onboardingView = (state: OnboardingState): Schemas['Onboarding'] => ({
  can_register: state.canRegister,
  ...(state.organisation ? { organisation: state.organisation } : {}),
  ...(state.providerId ? { provider_id: state.providerId } : {}),
});

export const invitationView = (invitation: Invitation, link?: string): Schemas['Invitation'] => ({
  id: invitation.id,
  provider_id: invitation.providerId,
  role: invitation.role,
  email: invitation.email,
  invited_by: invitation.invitedBy,
  created_at: invitation.createdAt,
  expires_at: invitation.expiresAt,
  status: invitation.acceptedAt ? 'accepted' : Date.parse(invitation.expiresAt) <= Date.now() ? 'expired' : 'pending',
  ...(invitation.acceptedAt ? { accepted_at: invitation.acceptedAt } : {}),
  ...(link ? { link } : {}),
});

export const staffView = (items: Awaited<ReturnType<typeof providerStaff>>): Schemas['Staff'] => ({
  items: items.map(({ account, grants }) => ({
    account_id: account.id,
    name: account.name,
    subject: account.subject,
    roles: grants.map((g) => g.role),
    since: grants[0]!.grantedAt,
  })),
});

export const joinRequestsView = (items: JoinRequestRow[]): Schemas['JoinRequests'] => ({
  items: items.map((r) => ({ id: r.id, account_id: r.accountId, name: r.name, provider_id: r.providerId, ...(r.orgPosition ? { position: r.orgPosition } : {}), created_at: r.createdAt })),
});
