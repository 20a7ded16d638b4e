import { randomUUID } from 'node:crypto';
import { sqlOf, type EntityManager } from '@esc/service-kit';
import type { Account, Grant } from '../domain/account-model';
import type { Invitation, JoinRequestRow } from '../domain/invitation-model';

const INVITATION = `i.id, i.provider_id as "providerId", i.role, i.email, i.invited_by as "invitedBy", i.created_at as "createdAt", i.expires_at as "expiresAt",
  i.accepted_by as "acceptedBy", i.accepted_at as "acceptedAt"`;

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
const invitation = (r: Record<string, unknown>): Invitation => ({
  ...(r as unknown as Invitation),
  createdAt: iso(r.createdAt)!,
  expiresAt: iso(r.expiresAt)!,
  acceptedAt: iso(r.acceptedAt),
});

export async function insertInvitation(
  em: EntityManager,
  input: { tokenSha256: string; providerId: string; role: Invitation['role']; email: string; invitedBy: string; expiresAt: Date },
): Promise<Invitation> {
  const row = await sqlOf(em).one<Record<string, unknown>>(
    `insert into gateway.invitations as i (id, token_sha256, provider_id, role, email, invited_by, expires_at) values ($1, $2, $3, $4, $5, $6, $7) returning ${INVITATION}`,
    [randomUUID(), input.tokenSha256, input.providerId, input.role, input.email, input.invitedBy, input.expiresAt],
  );
  return invitation(row!);
}

export async function findInvitationByToken(em: EntityManager, tokenSha256: string, lock = false): Promise<Invitation | undefined> {
  const row = await sqlOf(em).one<Record<string, unknown>>(`select ${INVITATION} from gateway.invitations i where i.token_sha256 = $1${lock ? ' for update' : ''}`, [tokenSha256]);
  return row && invitation(row);
}

export async function markAccepted(em: EntityManager, id: string, accountId: string): Promise<void> {
  await sqlOf(em).run(`update gateway.invitations set accepted_by = $2, accepted_at = clock_timestamp() where id = $1`, [id, accountId]);
}

export async function listInvitations(em: EntityManager, providerId: string): Promise<Invitation[]> {
  const rows = await sqlOf(em).rows<Record<string, unknown>>(`select ${INVITATION} from gateway.invitations i where i.provider_id = $1 order by i.created_at desc limit 200`, [providerId]);
  return rows.map(invitation);
}

/** The provider's people: every account holding an active grant for it, with those grants. */
export async function staffOfProvider(em: EntityManager, providerId: string): Promise<Array<{ account: Pick<Account, 'id' | 'name' | 'subject'>; grants: Array<Pick<Grant, 'id' | 'role' | 'grantedAt' | 'grantedBy'>> }>> {
  const rows = await sqlOf(em).rows<{ id: string; name: string; subject: string; grant_id: string; role: Grant['role']; granted_at: Date | string; granted_by: string }>(
    `select a.id, a.name, a.subject, g.id as grant_id, g.role, g.granted_at, g.granted_by
       from gateway.grants g join gateway.accounts a on a.id = g.account_id
      where g.provider_id = $1 and g.revoked_at is null
      order by a.name, a.id, g.granted_at`,
    [providerId],
  );
  const byAccount = new Map<string, { account: Pick<Account, 'id' | 'name' | 'subject'>; grants: Array<Pick<Grant, 'id' | 'role' | 'grantedAt' | 'grantedBy'>> }>();
  for (const r of rows) {
    const entry = byAccount.get(r.id) ?? { account: { id: r.id, name: r.name, subject: r.subject }, grants: [] };
    entry.grants.push({ id: r.grant_id, role: r.role, grantedAt: iso(r.granted_at)!, grantedBy: r.granted_by });
    byAccount.set(r.id, entry);
  }
  return [...byAccount.values()];
}

/** Revokes every active grant the account holds for this provider; answers how many. */
export async function revokeProviderGrants(em: EntityManager, accountId: string, providerId: string, revokedBy: string): Promise<number> {
  return sqlOf(em).run(
    `update gateway.grants set revoked_by = $3, revoked_at = clock_timestamp() where account_id = $1 and provider_id = $2 and revoked_at is null`,
    [accountId, providerId, revokedBy],
  );
}

export type { JoinRequestRow };

/** An open request to join, made once (the same person asking again finds the open one). */
export async function openJoinRequest(em: EntityManager, accountId: string, providerId: string): Promise<void> {
  await sqlOf(em).run(
    `insert into gateway.join_requests (id, account_id, provider_id) values ($1, $2, $3)
     on conflict (account_id, provider_id) where decision is null do nothing`,
    [randomUUID(), accountId, providerId],
  );
}

/** A provider's open requests; every provider's when none is named (the marketplace admin's list). */
export async function openJoinRequests(em: EntityManager, providerId: string | null): Promise<JoinRequestRow[]> {
  const rows = await sqlOf(em).rows<Record<string, unknown>>(
    `select j.id, j.account_id as "accountId", a.name, a.org_position as "orgPosition", j.provider_id as "providerId", j.created_at as "createdAt"
       from gateway.join_requests j join gateway.accounts a on a.id = j.account_id
      where ($1::uuid is null or j.provider_id = $1) and j.decision is null order by j.created_at limit 200`,
    [providerId],
  );
  return rows.map((r) => ({ ...(r as unknown as JoinRequestRow), createdAt: iso(r.createdAt)! }));
}

/** Decides an open request of this provider (any provider's for the marketplace admin: null); undefined when there is none. */
export async function decideJoinRequest(
  em: EntityManager,
  id: string,
  providerId: string | null,
  decision: 'approved' | 'declined',
  decidedBy: string,
): Promise<{ accountId: string; providerId: string } | undefined> {
  return sqlOf(em).one<{ accountId: string; providerId: string }>(
    `update gateway.join_requests set decision = $3, decided_by = $4, decided_at = clock_timestamp()
      where id = $1 and ($2::uuid is null or provider_id = $2) and decision is null
      returning account_id as "accountId", provider_id as "providerId"`,
    [id, providerId, decision, decidedBy],
  );
}
