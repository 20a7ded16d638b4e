import { withTransaction, type Principal } from '@esc/service-kit';
import { writeConfirmationReminders, writeExpiryWarnings } from '../data-access/notice-event-store';
import { todayInEachRegion } from './business-date';
import type { Deps } from './context';

/** How long before an act confirms itself the citizen is reminded to confirm or dispute it. */
export const CONFIRMATION_REMINDER_SECONDS = 24 * 60 * 60;

/** Reminds citizens of acts that confirm themselves within a day (each act once); answers how many. */
export async function remindConfirmations(deps: Deps, _principal: Principal, input: { limit?: number } = {}): Promise<number> {
  const limit = input.limit ?? 500;
  let total = 0;
  for (;;) {
    const written = await withTransaction(deps.orm.em.fork(), (tx) => writeConfirmationReminders(tx, CONFIRMATION_REMINDER_SECONDS, limit));
    total += written;
    if (written < limit) return total;
  }
}

/** Warns citizens of certificates expiring within 30 and within 7 days, by each region's today (each once); answers how many. */
export async function warnExpiring(deps: Deps, _principal: Principal, input: { today?: ReadonlyMap<string, string>; limit?: number } = {}): Promise<number> {
  const limit = input.limit ?? 1000;
  const today = input.today ?? todayInEachRegion(deps);
  let total = 0;
  for (;;) {
    const written = await withTransaction(deps.orm.em.fork(), (tx) => writeExpiryWarnings(tx, today, limit));
    total += written;
    if (written < limit) return total;
  }
}
