import type { MikroORM } from '@mikro-orm/postgresql';

import type { Mailer } from '@esc/service-kit';

/**
 * Sends one SMS through whatever gateway is configured; throws when it does not take it. An error
 * with `permanent: true` (an unknown number) is not retried.
 */
export interface SmsSender {
  send(message: { to: string; text: string }): Promise<void>;
}

export interface RetryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
}

/** What the notifications use cases need from outside: the database and the senders that are on. */
export interface Deps {
  orm: MikroORM;
  mailer?: Mailer;
  sms?: SmsSender;
  email: RetryPolicy;
  smsRetry: RetryPolicy;
}
