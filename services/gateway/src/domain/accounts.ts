import { AppError, conflict, notFound, withTransaction, type EntityManager, type Role } from '@esc/service-kit';
import {
  activeGrants,
  findAccount,
  findAccountByIdentity,
  findUnlinkedAccountBySnils,
  grantHistory,
  insertAccount,
  insertGrant,
  insertIdentity,
  listAccounts,
  lockAccount,
  revokeGrant,
  updateProfile,
} from '../data-access/account-store';
import type { Account, Grant, IdentityClaims } from './account-model';
import type { DemoUser } from './demo-users';
import type { SignedInUser } from './token-issuer';

/** The roles an administrator grants through the admin API; provider roles come with a provider, citizen with a SNILS. */
export const STAFF_ROLES = ['caseworker', 'committee', 'finance', 'auditor', 'admin'] as const satisfies readonly Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];
const REGIONAL: ReadonlySet<Role> = new Set(['caseworker', 'committee', 'finance']);

/** Who did it, as recorded on a grant: an account's subject, or `system:…` for what the marketplace does itself. */
export const SYSTEM_SIGN_IN = 'system:sign-in';
export const SYSTEM_SEED = 'system:demo-seed';

/** The person the tokens describe: their roles, region and provider from the marketplace's own grants. */
export function signedInUser(account: Account, grants: Grant[]): SignedInUser {
  const roles = [...new Set(grants.map((g) => g.role))];
  const regionCode = grants.find((g) => g.regionCode)?.regionCode ?? undefined;
  const providerId = grants.find((g) => g.providerId)?.providerId ?? undefined;
  return {
    id: account.subject,
    name: account.name,
    roles,
    ...(regionCode ? { regionCode } : {}),
    ...(providerId ? { providerId } : {}),
    // The services find a citizen's records by SNILS; other people's tokens do not carry it.
    ...(roles.includes('citizen') && account.snils ? { snils: account.snils } : {}),
  };
}

export interface SignedInAccount {
  account: Account;
  user: SignedInUser;
  /** The account was made at this sign-in. */
  created: boolean;
}

/**
 * The account of the person the identity provider vouched for: the one linked to (issuer, subject);
 * else the account made for their SNILS beforehand, when the identity provider confirmed the SNILS;
 * else a new one. A person with a confirmed SNILS is a citizen; every other role is granted here.
 */
export async function accountForIdentity(em: EntityManager, claims: IdentityClaims): Promise<SignedInAccount> {
  return withTransaction(em, async (tx) => {
    let created = false;
    let account = await findAccountByIdentity(tx, claims.issuer, claims.subject);
    if (!account && claims.snils && claims.trusted) {
      account = await findUnlinkedAccountBySnils(tx, claims.issuer, claims.snils);
      if (account) await insertIdentity(tx, claims, account.id);
    }
    if (!account) {
      account = await insertAccount(tx, { name: claims.name, snils: claims.trusted ? claims.snils : undefined, birthDate: claims.birthDate, org: claims.org });
      await insertIdentity(tx, claims, account.id);
      if (claims.trusted && claims.snils) await insertGrant(tx, { accountId: account.id, role: 'citizen', grantedBy: SYSTEM_SIGN_IN });
      created = true;
    }
    await updateProfile(tx, account.id, claims);
    const fresh = (await findAccount(tx, account.id))!;
    return { account: fresh, user: signedInUser(fresh, await activeGrants(tx, account.id)), created };
  });
}

/** The person as they are now, for re-minting a session's token; undefined when the account is gone. */
export async function currentUser(em: EntityManager, accountId: string): Promise<SignedInUser | undefined> {
  const account = await findAccount(em, accountId);
  return account && signedInUser(account, await activeGrants(em, accountId));
}

export async function searchAccounts(em: EntityManager, search: string | undefined, limit: number): Promise<Array<{ account: Account; grants: Grant[] }>> {
  const accounts = await listAccounts(em, search, limit);
  return Promise.all(accounts.map(async (account) => ({ account, grants: await activeGrants(em, account.id) })));
}

export async function accountWithHistory(em: EntityManager, accountId: string): Promise<{ account: Account; grants: Grant[] }> {
  const account = await findAccount(em, accountId);
  if (!account) throw accountNotFound();
  return { account, grants: await grantHistory(em, accountId) };
}

const accountNotFound = () => notFound('user_account_not_found', 'Такой учётной записи нет. Обновите список и выберите человека снова.');

export interface GrantRoleInput {
  accountId: string;
  role: StaffRole;
  regionCode?: string;
  grantedBy: string;
}

/** Grants a staff role; one active grant per role, and one region per person (tokens carry one). */
export async function grantRole(em: EntityManager, input: GrantRoleInput): Promise<Grant> {
  if (REGIONAL.has(input.role) && !input.regionCode) {
    throw new AppError('validation', 'region_required', 'Для этой роли укажите регион: специалист, комиссия и финансист работают в своём регионе.');
  }
  if (!REGIONAL.has(input.role) && input.regionCode) {
    throw new AppError('validation', 'region_not_applicable', 'Эта роль не привязана к региону: уберите регион и повторите.');
  }
  return withTransaction(em, async (tx) => {
    if (!(await lockAccount(tx, input.accountId))) throw accountNotFound();
    const grants = await activeGrants(tx, input.accountId);
    const otherRegion = grants.find((g) => g.regionCode && input.regionCode && g.regionCode !== input.regionCode);
    if (otherRegion) {
      throw conflict('region_conflict', `У человека уже есть роль в регионе ${otherRegion.regionCode}; роль в другом регионе выдать нельзя. Сначала отзовите прежнюю.`);
    }
    const grant = await insertGrant(tx, { accountId: input.accountId, role: input.role, regionCode: input.regionCode, grantedBy: input.grantedBy });
    if (!grant) throw conflict('role_already_granted', 'Эта роль у человека уже есть. Чтобы сменить регион, отзовите её и выдайте снова.');
    return grant;
  });
}

/** Revokes one of an account's active staff grants (provider and citizen roles are not the admin API's). */
export async function revokeRole(em: EntityManager, input: { accountId: string; grantId: string; revokedBy: string }): Promise<Grant> {
  return withTransaction(em, async (tx) => {
    if (!(await lockAccount(tx, input.accountId))) throw accountNotFound();
    const current = (await activeGrants(tx, input.accountId)).find((g) => g.id === input.grantId);
    if (!current) throw notFound('grant_not_found', 'Такой действующей роли у человека нет: возможно, её уже отозвали. Обновите страницу.');
    if (!(STAFF_ROLES as readonly Role[]).includes(current.role)) {
      throw new AppError('forbidden', 'grant_not_staff', 'Роли гражданина и поставщика здесь не отзываются: они выдаются и снимаются в своих разделах.');
    }
    return (await revokeGrant(tx, input.accountId, input.grantId, input.revokedBy))!;
  });
}

/**
 * The demo users as accounts with their usual grants, so the demo and the tests keep working: the
 * development ЕСИА signs them in by SNILS. Idempotent (keyed by subject and active role).
 */
export async function seedDemoAccounts(em: EntityManager, users: readonly (DemoUser & { accountSnils: string })[]): Promise<void> {
  await withTransaction(em, async (tx) => {
    for (const user of users) {
      const account = await insertAccount(tx, { subject: user.id, name: user.name, snils: user.accountSnils });
      for (const role of user.roles) {
        await insertGrant(tx, { accountId: account.id, role, regionCode: user.regionCode, providerId: user.providerId, grantedBy: SYSTEM_SEED });
      }
    }
  });
}
