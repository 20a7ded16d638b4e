import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppError, conflict, forbidden, notFound, withTransaction, type FieldProblem } from '@esc/service-kit';
import { activeGrants, findAccount, insertGrant } from '../data-access/account-store';
import {
  decideJoinRequest,
  findInvitationByToken,
  insertInvitation,
  listInvitations,
  markAccepted,
  openJoinRequest,
  openJoinRequests,
  revokeProviderGrants,
  staffOfProvider,
} from '../data-access/invitation-store';
import type { Account } from './account-model';
import { currentUser } from './accounts';
import type { AccountsDeps, Deps } from './context';
import type { Invitation, JoinRequestRow } from './invitation-model';
import { noSession, type WebSession } from './sessions';
import { userClaims } from './token-issuer';

export const SYSTEM_ONBOARDING = 'system:onboarding';
const INVITATION_DAYS = 7;

/** The registry's refusals of a registration that the gateway passes on as they are (the person fixes the form). */
type PassedRegistryCode = 'validation_failed' | 'inn_already_registered' | 'provider_already_registered';
const PASSED: ReadonlySet<string> = new Set<PassedRegistryCode>(['validation_failed', 'inn_already_registered', 'provider_already_registered']);

function accountsOf(deps: Deps): AccountsDeps {
  if (!deps.accounts) throw new AppError('unavailable', 'sign_in_not_configured', 'Учётные записи на этом стенде не ведутся (OIDC_DISCOVERY_URL не задан).');
  return deps.accounts;
}

async function signedInAccount(deps: Deps, session: WebSession | undefined): Promise<{ accounts: AccountsDeps; session: WebSession; account: Account }> {
  const accounts = accountsOf(deps);
  if (!session) throw noSession();
  const account = session.accountId ? await findAccount(accounts.em(), session.accountId) : undefined;
  if (!account) throw forbidden('Эта учётная запись не ведётся в маркетплейсе. Войдите через Госуслуги.', 'not_an_account');
  return { accounts, session, account };
}

/** The signed-in person's own session carries their new roles at once; their other sessions end. */
async function renewOwnSession(deps: Deps, accounts: AccountsDeps, session: WebSession): Promise<WebSession> {
  await deps.sessions.revokeAccount(session.accountId!, session.id);
  const user = await currentUser(accounts.em(), session.accountId!);
  return deps.sessions.reissue(session, user!);
}

export interface OnboardingState {
  organisation?: { inn: string; ogrn?: string; name?: string; position?: string };
  /** The provider the account already belongs to, if any. */
  providerId?: string;
  /** The person may register their organisation now. */
  canRegister: boolean;
}

/** What the web app needs to lead a representative to the registration form. */
export async function onboardingState(deps: Deps, input: { session?: WebSession }): Promise<OnboardingState> {
  const { accounts, account } = await signedInAccount(deps, input.session);
  const providerId = (await activeGrants(accounts.em(), account.id)).find((g) => g.providerId)?.providerId ?? undefined;
  const organisation = account.orgInn
    ? { inn: account.orgInn, ...(account.orgOgrn ? { ogrn: account.orgOgrn } : {}), ...(account.orgName ? { name: account.orgName } : {}), ...(account.orgPosition ? { position: account.orgPosition } : {}) }
    : undefined;
  return { ...(organisation ? { organisation } : {}), ...(providerId ? { providerId } : {}), canRegister: !!organisation && !providerId };
}

/**
 * NGO onboarding: a representative the identity provider vouches for (their organisation's INN)
 * registers it. The gateway, which issues tokens, gives the registry a short token naming a new
 * provider id as theirs (the registry's registration needs a provider_admin with a provider_id); once
 * the registry has it, the account holds provider_admin for it and the session carries it.
 */
export async function onboardProvider(deps: Deps, input: { session?: WebSession; registration: Record<string, unknown> & { inn: string } }): Promise<{ provider: Record<string, unknown>; session: WebSession }> {
  const { accounts, session, account } = await signedInAccount(deps, input.session);
  await accounts.limiter.byAddress(`sign-up ${session.address ?? 'unknown'}`);
  await accounts.limiter.byAccount(`sign-up ${account.id}`);
  if (!account.orgInn) {
    throw forbidden('Зарегистрировать организацию может её представитель: войдите через Госуслуги как сотрудник организации (вход юридического лица).', 'not_a_representative');
  }
  if ((await activeGrants(accounts.em(), account.id)).some((g) => g.providerId)) {
    throw conflict('already_bound_to_provider', 'Ваша учётная запись уже связана с организацией в маркетплейсе. Откройте кабинет поставщика.');
  }
  if (input.registration.inn !== account.orgInn) {
    throw new AppError('forbidden', 'onboarding_inn_mismatch', `ИНН в заявке не совпадает с ИНН организации, от имени которой вы вошли (${account.orgInn}). Исправьте ИНН или войдите от имени нужной организации.`);
  }
  const providerId = randomUUID();
  const token = deps.issuer.issue(userClaims({ id: account.subject, name: account.name, roles: ['provider_admin'], providerId }), 120);
  const answer = await deps.registry.register(token.accessToken, { ...input.registration, id: providerId });
  if (answer.status !== 201) {
    const code = String(answer.body.code ?? '');
    const registered = typeof answer.body.provider_id === 'string' && /^[0-9a-f-]{36}$/.test(answer.body.provider_id) ? answer.body.provider_id : undefined;
    if (code === 'inn_already_registered' && registered) {
      // A second representative of a registered organisation: their attempt becomes a request its admin approves.
      await openJoinRequest(accounts.em(), account.id, registered);
      throw conflict(
        'join_requested',
        `Организация с ИНН ${account.orgInn} уже зарегистрирована в маркетплейсе. Мы передали её администратору вашу просьбу о доступе; когда он её одобрит, войдите снова.`,
        { provider_id: registered },
      );
    }
    if (PASSED.has(code)) {
      const kind = answer.status === 400 ? 'validation' : 'conflict';
      const errors = Array.isArray(answer.body.errors) ? (answer.body.errors as FieldProblem[]) : [];
      throw new AppError(kind, code as PassedRegistryCode, String(answer.body.detail ?? 'Заявка не принята реестром.'), {}, errors);
    }
    throw new AppError('unprocessable', 'provider_registration_refused', `Реестр не принял заявку: ${String(answer.body.detail ?? answer.status)}`);
  }
  await withTransaction(accounts.em(), async (tx) => {
    await insertGrant(tx, { accountId: account.id, role: 'provider_admin', providerId, grantedBy: SYSTEM_ONBOARDING });
  });
  return { provider: answer.body, session: await renewOwnSession(deps, accounts, session) };
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

function ownProvider(session: WebSession): string {
  if (!session.user.roles.includes('provider_admin') || !session.user.providerId) {
    throw forbidden('Приглашать и отключать сотрудников может администратор поставщика.', 'forbidden');
  }
  return session.user.providerId;
}

/**
 * A provider admin invites a person by e-mail: a single-use link valid for 7 days, with the role they
 * will have. The letter is sent when SMTP is configured; the link is answered to the admin as well,
 * so an undelivered letter loses nothing.
 */
export async function invite(
  deps: Deps,
  input: { session?: WebSession; email: string; role: Invitation['role']; linkOf(token: string): string },
): Promise<{ invitation: Invitation; token: string; emailed: boolean }> {
  const accounts = accountsOf(deps);
  if (!input.session) throw noSession();
  const providerId = ownProvider(input.session);
  const token = randomBytes(32).toString('base64url');
  const invitation = await insertInvitation(accounts.em(), {
    tokenSha256: digest(token),
    providerId,
    role: input.role,
    email: input.email,
    invitedBy: input.session.user.id,
    expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
  });
  let emailed = false;
  if (deps.mailer) {
    const until = new Intl.DateTimeFormat('ru-RU', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Ulyanovsk' }).format(new Date(invitation.expiresAt));
    try {
      await deps.mailer.send({
        to: input.email,
        subject: 'Приглашение в кабинет поставщика социальных услуг',
        text: [
          `${input.session.user.name} приглашает вас в кабинет организации на портале социальных сертификатов как ${input.role === 'provider_admin' ? 'администратора' : 'сотрудника'}.`,
          '',
          `Чтобы принять приглашение, откройте ссылку, войдите через Госуслуги и нажмите «Принять приглашение»: ${input.linkOf(token)}`,
          '',
          `Ссылка действует до ${until} (время Ульяновска) и только один раз. Если вы не ждали этого письма, просто удалите его.`,
        ].join('\n'),
      });
      emailed = true;
    } catch (err) {
      deps.logger?.warn({ err, invitation: invitation.id }, 'the invitation e-mail was not sent; the admin has the link');
    }
  }
  return { invitation, token, emailed };
}

export async function providerInvitations(deps: Deps, input: { session?: WebSession }): Promise<Invitation[]> {
  const accounts = accountsOf(deps);
  if (!input.session) throw noSession();
  return listInvitations(accounts.em(), ownProvider(input.session));
}

const invitationNotFound = () => notFound('invitation_not_found', 'Приглашение не найдено: проверьте, что ссылка скопирована целиком, или попросите администратора организации прислать новое.');

/** What an invitation offers, for the page its link opens (no sign-in needed to read it). */
export async function describeInvitation(deps: Deps, input: { token: string }): Promise<Invitation> {
  const found = await findInvitationByToken(accountsOf(deps).em(), digest(input.token));
  if (!found) throw invitationNotFound();
  return found;
}

/** The signed-in person takes the invitation: once, before it expires; they get the role at the organisation at once. */
export async function acceptInvitation(deps: Deps, input: { session?: WebSession; token: string }): Promise<{ invitation: Invitation; session: WebSession }> {
  const { accounts, session, account } = await signedInAccount(deps, input.session);
  await accounts.limiter.byAddress(`invitation ${session.address ?? 'unknown'}`);
  await accounts.limiter.byAccount(`invitation ${account.id}`);
  const invitation = await withTransaction(accounts.em(), async (tx) => {
    const found = await findInvitationByToken(tx, digest(input.token), true);
    if (!found) throw invitationNotFound();
    if (found.acceptedAt) throw conflict('invitation_used', 'Это приглашение уже использовано. Если вы не входили по нему, сообщите администратору организации.');
    if (Date.parse(found.expiresAt) <= Date.now()) throw conflict('invitation_expired', 'Срок приглашения истёк (7 дней). Попросите администратора организации прислать новое.');
    const other = (await activeGrants(tx, account.id)).find((g) => g.providerId && g.providerId !== found.providerId);
    if (other) throw conflict('already_bound_to_provider', 'Ваша учётная запись уже связана с другой организацией. Чтобы перейти, попросите её администратора отключить вас.');
    await insertGrant(tx, { accountId: account.id, role: found.role, providerId: found.providerId, grantedBy: found.invitedBy });
    await markAccepted(tx, found.id, account.id);
    return { ...found, acceptedBy: account.id, acceptedAt: new Date().toISOString() };
  });
  return { invitation, session: await renewOwnSession(deps, accounts, session) };
}

export async function providerStaff(deps: Deps, input: { session?: WebSession }) {
  const accounts = accountsOf(deps);
  if (!input.session) throw noSession();
  return staffOfProvider(accounts.em(), ownProvider(input.session));
}

/** A provider admin removes a person from the organisation: their roles there are revoked and their sessions end at once. */
export async function removeStaff(deps: Deps, input: { session?: WebSession; accountId: string }): Promise<void> {
  const accounts = accountsOf(deps);
  if (!input.session) throw noSession();
  const providerId = ownProvider(input.session);
  if (input.accountId === input.session.accountId) {
    throw conflict('cannot_remove_self', 'Себя отключить нельзя: пусть это сделает другой администратор организации.');
  }
  const revoked = await withTransaction(accounts.em(), (tx) => revokeProviderGrants(tx, input.accountId, providerId, input.session!.user.id));
  if (revoked === 0) throw notFound('staff_not_found', 'Такого сотрудника в организации нет: возможно, его уже отключили. Обновите список.');
  await deps.sessions.revokeAccount(input.accountId);
}

/** The open requests of representatives who asked to join the admin's organisation. */
export async function joinRequests(deps: Deps, input: { session?: WebSession }): Promise<JoinRequestRow[]> {
  const accounts = accountsOf(deps);
  if (!input.session) throw noSession();
  return openJoinRequests(accounts.em(), ownProvider(input.session));
}

/** The admin approves (the person gets the role at the organisation; their sessions end so the next sign-in carries it) or declines. */
export async function decideJoin(
  deps: Deps,
  input: { session?: WebSession; id: string; decision: 'approved' | 'declined'; role?: Invitation['role'] },
): Promise<void> {
  if (!input.session) throw noSession();
  await decideJoinAs(deps, ownProvider(input.session), input.session.user.id, input);
}

/**
 * The marketplace admin decides any organisation's request: the way the head of a state institution
 * (entered by the committee, so with no provider admin yet) becomes its provider admin.
 */
export async function decideJoinAsMarketplaceAdmin(
  deps: Deps,
  input: { session?: WebSession; id: string; decision: 'approved' | 'declined'; role?: Invitation['role'] },
): Promise<void> {
  if (!input.session) throw noSession();
  if (!input.session.user.roles.includes('admin')) throw forbidden('Запросы любых организаций рассматривает администратор маркетплейса.');
  await decideJoinAs(deps, null, input.session.user.id, input);
}

/** Every organisation's open requests, for the marketplace admin. */
export async function allJoinRequests(deps: Deps, input: { session?: WebSession }): Promise<JoinRequestRow[]> {
  const accounts = accountsOf(deps);
  if (!input.session) throw noSession();
  if (!input.session.user.roles.includes('admin')) throw forbidden('Запросы любых организаций видит администратор маркетплейса.');
  return openJoinRequests(accounts.em(), null);
}

async function decideJoinAs(
  deps: Deps,
  providerFilter: string | null,
  actor: string,
  input: { id: string; decision: 'approved' | 'declined'; role?: Invitation['role'] },
): Promise<void> {
  const accounts = accountsOf(deps);
  const decided = await withTransaction(accounts.em(), async (tx) => {
    const request = await decideJoinRequest(tx, input.id, providerFilter, input.decision, actor);
    if (!request) throw notFound('join_request_not_found', 'Такого открытого запроса нет: возможно, его уже рассмотрели. Обновите страницу.');
    if (input.decision === 'approved') {
      const other = (await activeGrants(tx, request.accountId)).find((g) => g.providerId && g.providerId !== request.providerId);
      if (other) throw conflict('already_bound_to_provider', 'Этот человек уже связан с другой организацией; одобрить запрос нельзя.');
      await insertGrant(tx, { accountId: request.accountId, role: input.role ?? 'provider_staff', providerId: request.providerId, grantedBy: actor });
    }
    return request;
  });
  if (input.decision === 'approved') await deps.sessions.revokeAccount(decided.accountId);
}
