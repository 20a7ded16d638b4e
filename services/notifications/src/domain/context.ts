import type { MikroORM } from '@mikro-orm/postgresql';

/** Sends one e-mail; throws when the server does not take it. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/** What the notifications use cases need from outside: the database and, when e-mail is on, the mailer. */
export interface Deps {
  orm: MikroORM;
  mailer?: Mailer;
  email: { maxAttempts: number; retryBaseMs: number };
}
