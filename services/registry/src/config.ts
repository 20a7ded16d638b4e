import { join } from 'node:path';
import { z } from 'zod';
import { baseConfigShape, ConfigError, parseConfig, port, regionTimeZoneMap, regionTimeZoneProblems, regionTimeZonesSetting } from '@esc/service-kit';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const registryConfigSchema = z.object({
  ...baseConfigShape,
  PORT: port(4002),
  DB_POOL_MAX: z.coerce.number().int().min(2).max(100).default(10),
  /** Connections of the public search's own pool (two cores serve it best with a few). */
  SEARCH_DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(6),
  RUN_MIGRATIONS: flag.default(true),
  /** Moves committed outbox events to BullMQ; tests read the outbox table instead. */
  OUTBOX_RELAY_ENABLED: flag.default(true),
  CONSUMERS_ENABLED: flag.default(true),
  /**
   * How long an unchanged public search answer may be kept in memory (a change of the providers shown
   * drops it at once, whichever instance made it); 0 turns the cache off.
   */
  SEARCH_CACHE_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(60_000),
  /** Uploaded documents (local disk storage). */
  DOCUMENTS_DIR: z.string().min(1).default(join(__dirname, '..', '..', '..', 'infra', '.data', 'registry-documents')),
  /** Documents travel base64-encoded in JSON: a 10 MB file is about 13.4 MB on the wire. */
  BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'a size such as 15mb').default('15mb'),
  /** Per-region district maps for the navigator, one `<region code>.geojson` each. */
  DISTRICTS_DIR: z.string().min(1).default(join(__dirname, '..', 'geo')),
  /** The queue other services route the registry's incoming events to (feedback.submitted). */
  INBOX_QUEUE: z.string().regex(/^[\w-]{1,64}$/).default('registry-inbox'),
  /** Certificates' inbox (its INBOX_QUEUE): the provider.* status changes go there as well as to registry-events. */
  CERTIFICATES_INBOX_QUEUE: z.string().regex(/^[\w-]{1,64}$/).default('certificates-inbox'),
  /** Settlement's inbox (its INBOX_QUEUE): the provider.* status changes go there too, for what is payable of a suspended or excluded provider's acts. */
  SETTLEMENT_INBOX_QUEUE: z.string().regex(/^[\w-]{1,64}$/).default('settlement-inbox'),
  /** The notifications service's inbox (its INBOX_QUEUE): the committee's decisions on applications and appeals go there. */
  NOTIFICATIONS_QUEUE: z.string().regex(/^[\w-]{1,64}$/).default('notifications-inbox'),
  /** Each region's IANA zone, `code=Zone` separated by commas, on top of the built-in ones (73=Europe/Ulyanovsk), as in certificates and settlement. */
  REGION_TIME_ZONES: regionTimeZonesSetting(),
});

export type RegistryConfig = z.infer<typeof registryConfigSchema>;

export function loadRegistryConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  return parseConfig(registryConfigSchema, env);
}

/** The time zone of each region, the built-in ones with REGION_TIME_ZONES on top; start-up fails when the spec is bad. */
export function regionTimeZonesOf(config: Pick<RegistryConfig, 'REGION_TIME_ZONES'>): ReadonlyMap<string, string> {
  const problems = regionTimeZoneProblems(config.REGION_TIME_ZONES);
  if (problems.length) throw new ConfigError(problems.map((p) => `REGION_TIME_ZONES: ${p}`));
  return regionTimeZoneMap(config.REGION_TIME_ZONES);
}
