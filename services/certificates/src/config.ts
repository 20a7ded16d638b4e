import { z } from 'zod';
import { baseConfigShape, regionTimeZonesSetting, ConfigError, parseConfig, port, regionTimeZoneMap, regionTimeZoneProblems } from '@esc/service-kit';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const certificatesConfigSchema = z.object({
  ...baseConfigShape,
  PORT: port(4003),
  DB_POOL_MAX: z.coerce.number().int().min(2).max(100).default(10),
  RUN_MIGRATIONS: flag.default(true),
  /** Moves committed outbox events to BullMQ; tests read the outbox table instead. */
  OUTBOX_RELAY_ENABLED: flag.default(true),
  /** Runs the job workers (lapsed confirmations, expiry, bulk issues, recovery) in this process. */
  JOBS_ENABLED: flag.default(true),
  /** Consumes the events other services route to INBOX_QUEUE (the registry's provider.* status changes). */
  CONSUMERS_ENABLED: flag.default(true),
  GATEWAY_URL: z.url().default('http://127.0.0.1:4000'),
  LEDGER_URL: z.url().default('http://127.0.0.1:4001'),
  /** Recording waits for the ledger with the act's lines locked: an unanswered request gives up after this. */
  LEDGER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  REGISTRY_URL: z.url().default('http://127.0.0.1:4002'),
  SERVICE_CLIENT_ID: z.string().min(1).default('certificates'),
  SERVICE_CLIENT_SECRET: z.string().min(1).default('dev-secret-certificates'),
  /** How long a citizen has to confirm or dispute a delivered service before it is posted for them. */
  CONFIRMATION_WINDOW_SECONDS: z.coerce.number().int().min(1).max(30 * 86400).default(72 * 3600),
  /**
   * The ledger hold outlives the window by this much so the lapse job can post it; if this service is
   * down longer than that, the ledger voids the hold and the provider is not paid for an unconfirmed act.
   */
  HOLD_GRACE_SECONDS: z.coerce.number().int().min(0).max(30 * 86400).default(24 * 3600),
  /**
   * A ledger hold placed for an act whose act was never written (the service stopped between the two)
   * is voided this long after it was placed, unless the act is sent again first; longer than any
   * recording can take, retries included.
   */
  ABANDONED_HOLD_AFTER_SECONDS: z.coerce.number().int().min(1).max(30 * 86400).default(600),
  /** How often lapsed confirmations are posted and interrupted ledger calls are completed. */
  SWEEP_EVERY_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  EXPIRY_EVERY_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
  /** Where redemption.posted goes (settlement) and where feedback.submitted goes (registry). */
  SETTLEMENT_QUEUE: z.string().regex(/^[\w-]{1,64}$/).default('settlement-inbox'),
  REGISTRY_QUEUE: z.string().regex(/^[\w-]{1,64}$/).default('registry-inbox'),
  /** Where the events the notifications service turns into notices go (act.recorded, act.auto_confirmed, act.disputed, booking.*, certificate.issued). */
  NOTIFICATIONS_QUEUE: z.string().regex(/^[\w-]{1,64}$/).default('notifications-inbox'),
  /** The queue other services route this service's incoming events to; the registry's CERTIFICATES_INBOX_QUEUE names the same. */
  INBOX_QUEUE: z.string().regex(/^[\w-]{1,64}$/).default('certificates-inbox'),
  /** A bulk issue's CSV travels in the request body. */
  BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'a size such as 50mb').default('50mb'),
  /**
   * The IANA time zone of each region, `code=Zone` separated by commas (e.g. `63=Europe/Samara,77=Europe/Moscow`),
   * on top of the built-in ones (73=Europe/Ulyanovsk), as in settlement. Validity, expiry and deadlines count the
   * region's own days; a region with no zone is refused rather than dated in Moscow time.
   */
  REGION_TIME_ZONES: regionTimeZonesSetting(),
});

export type CertificatesConfig = z.infer<typeof certificatesConfigSchema>;

export function loadCertificatesConfig(env: NodeJS.ProcessEnv = process.env): CertificatesConfig {
  return parseConfig(certificatesConfigSchema, env);
}

/** The time zone of each region, the built-in ones with REGION_TIME_ZONES on top; start-up fails when the spec is bad. */
export function regionTimeZonesOf(config: Pick<CertificatesConfig, 'REGION_TIME_ZONES'>): ReadonlyMap<string, string> {
  const problems = regionTimeZoneProblems(config.REGION_TIME_ZONES);
  if (problems.length) throw new ConfigError(problems.map((p) => `REGION_TIME_ZONES: ${p}`));
  return regionTimeZoneMap(config.REGION_TIME_ZONES);
}
