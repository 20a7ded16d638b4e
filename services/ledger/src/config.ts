import { z } from 'zod';
import { baseConfigShape, parseConfig, port } from '@esc/service-kit';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ledgerConfigSchema = z.object({
  ...baseConfigShape,
  PORT: port(4001),
  /** Worker processes serving HTTP on the same port (node:cluster). */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(1),
  DB_POOL_MAX: z.coerce.number().int().min(2).max(100).default(10),
  RUN_MIGRATIONS: flag.default(true),
  JOBS_ENABLED: flag.default(true),
  /** Transactions applying transfer batches at once in this process. */
  TRANSFER_BATCHES_IN_FLIGHT: z.coerce.number().int().min(1).max(16).default(2),
  HOLD_EXPIRY_EVERY_MS: z.coerce.number().int().min(100).max(3_600_000).default(1000),
});

export type LedgerConfig = z.infer<typeof ledgerConfigSchema>;

export function loadLedgerConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  return parseConfig(ledgerConfigSchema, env);
}
