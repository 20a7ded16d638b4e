import { withTransaction, type Principal } from '@esc/service-kit';
import * as store from '../data-access/delivery-store';
import type { OutboundChannel } from './channels';
import type { Deps, RetryPolicy } from './context';
import type { FailedDelivery } from './model';

/** The delay before attempt n + 1: doubling from the base, at most an hour. */
export const retryDelayMs = (attempts: number, baseMs: number) => Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempts - 1));

/**
 * Sends the e-mails and SMS that are due (of the channels whose sender is on), each in its own
 * transaction that holds its row: a second sender skips it, and its outcome (delivered, retried later,
 * or failed for good after the channel's maxAttempts) commits with it. Answers how many were handled.
 */
export async function sendDue(deps: Deps, limit = 20): Promise<number> {
  const channels: OutboundChannel[] = [...(deps.mailer ? (['email'] as const) : []), ...(deps.sms ? (['sms'] as const) : [])];
  if (channels.length === 0) return 0;
  let handled = 0;
  for (; handled < limit; handled++) {
    const done = await withTransaction(deps.orm.em.fork(), async (tx) => {
      const [due] = await store.lockDue(tx, channels, 1);
      if (!due) return false;
      const policy: RetryPolicy = due.channel === 'email' ? deps.email : deps.smsRetry;
      try {
        if (due.channel === 'email') await deps.mailer!.send({ to: due.address, subject: due.title, text: emailText(due.body) });
        else await deps.sms!.send({ to: due.address, text: due.body });
        await store.markDelivered(tx, due.id);
      } catch (err) {
        const attempts = due.attempts + 1;
        const retry = isPermanent(err) || attempts >= policy.maxAttempts ? null : retryDelayMs(attempts, policy.retryBaseMs);
        await store.markAttemptFailed(tx, due.id, (err as Error)?.message ?? String(err), retry);
      }
      return true;
    });
    if (!done) break;
  }
  return handled;
}

/** An SMTP 5xx (no such mailbox) or an SMS gateway's permanent refusal will not change by waiting: it fails at once, for an admin to see. */
function isPermanent(err: unknown): boolean {
  const code = (err as { responseCode?: unknown })?.responseCode;
  if (typeof code === 'number' && code >= 500 && code < 600) return true;
  return (err as { permanent?: unknown })?.permanent === true;
}

/** E-mails and SMS that could not be delivered, newest first: what an admin looks at. */
export async function listFailedDeliveries(deps: Deps, _principal: Principal, input: { limit: number }): Promise<FailedDelivery[]> {
  return store.failedDeliveries(deps.orm.em.fork(), input.limit);
}

export function emailText(body: string): string {
  return `${body}\n\nВсе уведомления — в личном кабинете, в разделе «Уведомления».\nПисьмо отправлено автоматически, отвечать на него не нужно.`;
}
