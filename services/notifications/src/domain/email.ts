import { forbidden, withTransaction, type Principal } from '@esc/service-kit';
import * as store from '../data-access/email-store';
import { citizenKey, providerKey } from './audience';
import type { Deps } from './context';
import type { FailedEmail } from './model';

/** The key whose e-mail the caller sets: a citizen their own, a provider's admin the provider's. */
export function managedKey(principal: Principal): string {
  if (principal.kind === 'user' && principal.roles.includes('citizen') && principal.snils) return citizenKey(principal.snils);
  if (principal.kind === 'user' && principal.roles.includes('provider_admin') && principal.providerId) return providerKey(principal.providerId);
  throw forbidden('Адрес для уведомлений задаёт получатель сертификата, а для поставщика — его администратор.', 'forbidden');
}

export async function readEmailSetting(deps: Deps, principal: Principal): Promise<{ email: string | null }> {
  const contact = await store.findContact(deps.orm.em.fork(), managedKey(principal));
  return { email: contact?.email ?? null };
}

export async function setEmailSetting(deps: Deps, principal: Principal, input: { email: string | null }): Promise<{ email: string | null }> {
  const key = managedKey(principal);
  await withTransaction(deps.orm.em.fork(), (tx) => store.upsertContact(tx, key, input.email, principal.subject));
  return { email: input.email };
}

/** The delay before attempt n + 1: doubling from the base, at most an hour. */
export const retryDelayMs = (attempts: number, baseMs: number) => Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempts - 1));

/**
 * Sends the e-mails that are due, each in its own transaction that holds its row: a second sender skips
 * it, and its outcome (delivered, retried later, or failed for good after maxAttempts) commits with it.
 * Answers how many were handled.
 */
export async function sendDueEmails(deps: Deps, limit = 20): Promise<number> {
  const mailer = deps.mailer;
  if (!mailer) return 0;
  let handled = 0;
  for (; handled < limit; handled++) {
    const done = await withTransaction(deps.orm.em.fork(), async (tx) => {
      const [email] = await store.lockDueEmails(tx, 1);
      if (!email) return false;
      try {
        await mailer.send({ to: email.address, subject: email.title, text: emailText(email.body) });
        await store.markEmailDelivered(tx, email.id);
      } catch (err) {
        const attempts = email.attempts + 1;
        // A 5xx answer (no such mailbox) will not change by waiting: it fails at once, for an admin to see.
        const permanent = isPermanent(err);
        const retry = permanent || attempts >= deps.email.maxAttempts ? null : retryDelayMs(attempts, deps.email.retryBaseMs);
        await store.markEmailAttemptFailed(tx, email.id, (err as Error)?.message ?? String(err), retry);
      }
      return true;
    });
    if (!done) break;
  }
  return handled;
}

function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** E-mails that could not be delivered, newest first: what an admin looks at. */
export async function listFailedEmails(deps: Deps, _principal: Principal, input: { limit: number }): Promise<FailedEmail[]> {
  return store.failedEmails(deps.orm.em.fork(), input.limit);
}

export function emailText(body: string): string {
  return `${body}\n\nВсе уведомления — в личном кабинете, в разделе «Уведомления».\nПисьмо отправлено автоматически, отвечать на него не нужно.`;
}
