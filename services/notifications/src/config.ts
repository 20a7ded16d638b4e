import { z } from 'zod';
import { baseConfigShape, parseConfig, port } from '@esc/service-kit';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const notificationsConfigSchema = z.object({
  ...baseConfigShape,
  PORT: port(4005),
  DB_POOL_MAX: z.coerce.number().int().min(2).max(100).default(5),
  RUN_MIGRATIONS: flag.default(true),
  /** Consumes the events the other services route to INBOX_QUEUE; tests stop it to show nothing is lost. */
  CONSUMERS_ENABLED: flag.default(true),
  /** The queue the other services' outbox relays route notices' events to (their NOTIFICATIONS_QUEUE). */
  INBOX_QUEUE: z.string().regex(/^[\w-]{1,64}$/).default('notifications-inbox'),
  /** The SMTP server e-mails go through (`smtp://host:port`, `smtps://user:password@host:port`); unset, no e-mail is sent. */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default('Маркетплейс социальных сертификатов <noreply@esc.local>'),
  /** How often due e-mails and SMS are sent, and the first e-mail retry's delay (it doubles, up to an hour) until the attempts run out. */
  EMAIL_EVERY_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
  EMAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /**
   * Where SMS go: `dev` records them in notifications.dev_sms (development and tests; `pnpm start`
   * sets it), `off` sends none. A real operator is another SmsSender adapter beside the dev one.
   */
  SMS_ADAPTER: z.enum(['off', 'dev']).default('off'),
  SMS_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  SMS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  /** BullMQ lock of an event being handled: after a crash the event is handled again once it lapses. */
  EVENT_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
});

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;

export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  return parseConfig(notificationsConfigSchema, env);
}
