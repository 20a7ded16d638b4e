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
});

export type NotificationsConfig = z.infer<typeof notificationsConfigSchema>;

export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  return parseConfig(notificationsConfigSchema, env);
}
