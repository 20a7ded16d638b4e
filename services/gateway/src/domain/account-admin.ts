import { AppError } from '@esc/service-kit';
import type { Account, Grant } from './account-model';
import { accountWithHistory, grantRole, revokeRole, searchAccounts, type StaffRole } from './accounts';
import type { AccountsDeps, Deps } from './context';
import { noSession, type WebSession } from './sessions';

/** The administrator behind the session, or a problem: the admin API is theirs alone. */
function administrator(deps: Deps, session: WebSession | undefined): { accounts: AccountsDeps; actor: string } {
  if (!session) throw noSession();
  if (!session.user.roles.includes('admin')) throw new AppError('forbidden', 'forbidden', 'Выдавать и отзывать роли может только администратор маркетплейса.');
  if (!deps.accounts) throw new AppError('unavailable', 'sign_in_not_configured', 'Учётные записи на этом стенде не ведутся (OIDC_DISCOVERY_URL не задан).');
  return { accounts: deps.accounts, actor: session.user.id };
}

export async function listAccountsForAdmin(deps: Deps, input: { session?: WebSession; search?: string; limit: number }): Promise<Array<{ account: Account; grants: Grant[] }>> {
  const { accounts } = administrator(deps, input.session);
  return searchAccounts(accounts.em(), input.search, input.limit);
}

export async function accountForAdmin(deps: Deps, input: { session?: WebSession; accountId: string }): Promise<{ account: Account; grants: Grant[] }> {
  const { accounts } = administrator(deps, input.session);
  return accountWithHistory(accounts.em(), input.accountId);
}

/** Grants a role, recorded with who and when; the person's sessions end so the next sign-in carries it. */
export async function grantStaffRole(deps: Deps, input: { session?: WebSession; accountId: string; role: StaffRole; regionCode?: string }): Promise<Grant> {
  const { accounts, actor } = administrator(deps, input.session);
  const grant = await grantRole(accounts.em(), { accountId: input.accountId, role: input.role, regionCode: input.regionCode, grantedBy: actor });
  await deps.sessions.revokeAccount(input.accountId);
  return grant;
}

/** Revokes a role, recorded with who and when; the person's sessions end at once. */
export async function revokeStaffRole(deps: Deps, input: { session?: WebSession; accountId: string; grantId: string }): Promise<Grant> {
  const { accounts, actor } = administrator(deps, input.session);
  const grant = await revokeRole(accounts.em(), { accountId: input.accountId, grantId: input.grantId, revokedBy: actor });
  await deps.sessions.revokeAccount(input.accountId);
  return grant;
}
