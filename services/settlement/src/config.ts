import { z } from 'zod';
import { baseConfigShape, regionTimeZonesSetting, ConfigError, DEFAULT_REGION_TIME_ZONES, parseConfig, port, regionTimeZoneEntries, regionTimeZoneProblems } from '@esc/service-kit';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const settlementConfigSchema = z.object({
  ...baseConfigShape,
  PORT: port(4004),
  DB_POOL_MAX: z.coerce.number().int().min(2).max(100).default(10),
  RUN_MIGRATIONS: flag.default(true),
  /** Consumes redemption.posted and runs the settlement jobs; off for a process that only serves HTTP. */
  JOBS_ENABLED: flag.default(true),
  /** The queue the certificates relay routes redemption.posted to, and the registry's relay provider.admitted / suspended / excluded. */
  INBOX_QUEUE: z.string().regex(/^[\w-]{1,64}$/).default('settlement-inbox'),
  /** Moves committed outbox events (the notices' events) to BullMQ; tests read the outbox table instead. */
  OUTBOX_RELAY_ENABLED: flag.default(true),
  /** The notifications service's inbox (its INBOX_QUEUE): batches awaiting approval, payouts paid or returned, unmatched statement lines. */
  NOTIFICATIONS_QUEUE: z.string().regex(/^[\w-]{1,64}$/).default('notifications-inbox'),
  /** Runs, batch postings and statement postings. */
  JOBS_QUEUE: z.string().regex(/^[\w-]{1,64}$/).default('settlement-jobs'),
  /** How often unfinished runs and postings are looked for in the database and queued again (Redis may have lost them). */
  RECOVERY_EVERY_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** BullMQ lock of a running job or incoming event: after a crash another process takes it over once it lapses. */
  JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Transfers per ledger request when a batch is posted (the ledger takes up to 8,000). */
  POSTING_CHUNK: z.coerce.number().int().min(1).max(8000).default(8000),
  /** Cron for the scheduled run of the previous month, per region with unsettled lines. */
  RUN_SCHEDULE_CRON: z.string().min(9).default('0 3 1 * *'),
  RUN_SCHEDULE_TZ: z.string().min(1).default('Europe/Ulyanovsk'),
  GATEWAY_URL: z.url().default('http://127.0.0.1:4000'),
  LEDGER_URL: z.url().default('http://127.0.0.1:4001'),
  REGISTRY_URL: z.url().default('http://127.0.0.1:4002'),
  SERVICE_CLIENT_ID: z.string().min(1).default('settlement'),
  SERVICE_CLIENT_SECRET: z.string().min(1).default('dev-secret-settlement'),
  /** Statements travel base64-encoded in JSON. */
  BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'a size such as 20mb').default('20mb'),
  /** The regional finance body that pays (the payer of every payment order); one region per deployment. */
  PAYER_REGION_CODE: z.string().regex(/^[0-9]{2}$/).default('73'),
  PAYER_NAME: z.string().min(1).default('Министерство социального развития Ульяновской области'),
  PAYER_INN: z.string().regex(/^[0-9]{10}$/).default('7325000052'),
  PAYER_KPP: z.string().regex(/^[0-9]{9}$/).default('732501001'),
  PAYER_ACCOUNT: z.string().regex(/^[0-9]{20}$/).default('03221643730000006800'),
  PAYER_BIC: z.string().regex(/^[0-9]{9}$/).default('017308101'),
  PAYER_BANK_NAME: z.string().min(1).default('ОТДЕЛЕНИЕ УЛЬЯНОВСК БАНКА РОССИИ//УФК по Ульяновской области г. Ульяновск'),
  PAYER_CORRESPONDENT_ACCOUNT: z.string().regex(/^[0-9]{20}$/).default('40102810645370000061'),
  /** The city of the payer's bank, «г. Ульяновск» style (1C `ПлательщикБанк2`). */
  PAYER_BANK_CITY: z.string().max(100).default('г. Ульяновск'),
  /**
   * The IANA time zone of each region, `code=Zone` separated by commas (e.g. `63=Europe/Samara,77=Europe/Moscow`),
   * on top of the built-in ones (73=Europe/Ulyanovsk). Dates in payment files are the region's business date;
   * a region with no zone is refused at export rather than dated in Moscow time.
   */
  REGION_TIME_ZONES: regionTimeZonesSetting(),
});

export type SettlementConfig = z.infer<typeof settlementConfigSchema>;

/** The zones every deployment knows (shared with the other services); REGION_TIME_ZONES adds to them or overrides them. */
export { DEFAULT_REGION_TIME_ZONES };

export function loadSettlementConfig(env: NodeJS.ProcessEnv = process.env): SettlementConfig {
  return parseConfig(settlementConfigSchema, env);
}

/**
 * The time zone of each region, the built-in ones with REGION_TIME_ZONES on top; start-up fails when the
 * spec is bad or the payer's own region has no zone.
 */
export function regionTimeZonesOf(config: Pick<SettlementConfig, 'REGION_TIME_ZONES' | 'PAYER_REGION_CODE'>): ReadonlyMap<string, string> {
  const problems = regionTimeZoneProblems(config.REGION_TIME_ZONES);
  const zones = new Map(Object.entries(DEFAULT_REGION_TIME_ZONES));
  for (const { code, zone } of regionTimeZoneEntries(config.REGION_TIME_ZONES)) zones.set(code, zone);
  if (!zones.has(config.PAYER_REGION_CODE)) {
    problems.push(`REGION_TIME_ZONES: no time zone for the payer's region ${config.PAYER_REGION_CODE} (PAYER_REGION_CODE)`);
  }
  if (problems.length) throw new ConfigError(problems.map((p) => (p.startsWith('REGION_TIME_ZONES') ? p : `REGION_TIME_ZONES: ${p}`)));
  return zones;
}

export interface Payer {
  regionCode: string;
  name: string;
  inn: string;
  kpp: string;
  account: string;
  bic: string;
  bankName: string;
  correspondentAccount: string;
  /** «г. Ульяновск»; empty when not configured. */
  bankCity: string;
}

export function payerOf(config: SettlementConfig): Payer {
  return {
    regionCode: config.PAYER_REGION_CODE,
    name: config.PAYER_NAME,
    inn: config.PAYER_INN,
    kpp: config.PAYER_KPP,
    account: config.PAYER_ACCOUNT,
    bic: config.PAYER_BIC,
    bankName: config.PAYER_BANK_NAME,
    correspondentAccount: config.PAYER_CORRESPONDENT_ACCOUNT,
    bankCity: config.PAYER_BANK_CITY,
  };
}
