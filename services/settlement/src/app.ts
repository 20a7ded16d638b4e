import { Router } from 'express';
import type { Server } from 'node:http';
import { LedgerClient, ServiceTokenSource } from '@esc/ledger-client';
import {
  authenticate,
  closeAll,
  closeHttpServer,
  createEventConsumer,
  createHttpApp,
  createServiceRuntime,
  healthRouter,
  listen,
  OutboxRelay,
  outboxLagReader,
  Queue,
  serviceMetrics,
  type Closer,
  sqlOf,
  auditLogRouter,
} from '@esc/service-kit';
import { financeViewsRouter } from './api/finance-routes';
import { settlementRouter } from './api/routes';
import { providerMoneyRouter } from './api/provider-money-routes';
import { LedgerAccountsReader } from './clients/ledger-accounts';
import { RegistryProviderDirectory, type ProviderDirectory } from './clients/provider-directory';
import { loadSettlementConfig, payerOf, regionTimeZonesOf, type SettlementConfig } from './config';
import { settlementEntities } from './data-access/entities';
import { migrations } from './data-access/migrations';
import { SETTLEMENT_SCHEMA } from './data-access/schema';
import type { Deps } from './domain/context';
import { onProviderStatusChanged, STANDING_TOPICS } from './domain/provider-standing';
import { onRedemptionPosted } from './domain/redemptions';
import { closeWithin } from './closing';
import { SettlementJobs } from './jobs/settlement-jobs';

export { SETTLEMENT_SCHEMA };
export const SETTLEMENT_CONSUMER = 'settlement-redemptions';

export interface SettlementDeps {
  /** Where provider names, INN and bank details come from; the registry over HTTP unless given. */
  providerDirectory?: ProviderDirectory;
  /** Now; real time unless given (tests fix it to date payment files). */
  clock?: () => Date;
}

export async function createSettlementService(overrides: Partial<SettlementConfig> = {}, deps: SettlementDeps = {}) {
  const config: SettlementConfig = { ...loadSettlementConfig(), ...overrides };
  const regionTimeZones = regionTimeZonesOf(config);
  const { logger, orm, redis, verifier } = await createServiceRuntime('settlement', SETTLEMENT_SCHEMA, migrations, config, settlementEntities);
  const tokens = new ServiceTokenSource({
    gatewayUrl: config.GATEWAY_URL,
    clientId: config.SERVICE_CLIENT_ID,
    clientSecret: config.SERVICE_CLIENT_SECRET,
  });
  const ledger = new LedgerClient({ baseUrl: config.LEDGER_URL, token: tokens.token });
  const reader = new LedgerAccountsReader(config.LEDGER_URL, tokens.token);
  const directory = deps.providerDirectory ?? new RegistryProviderDirectory(config.REGISTRY_URL, tokens.token);
  const domainDeps: Deps = {
    orm,
    ledger,
    reader,
    directory,
    payer: payerOf(config),
    regionTimeZones,
    clock: deps.clock ?? (() => new Date()),
  };
  const jobs = new SettlementJobs(domainDeps, redis, logger, {
    queueName: config.JOBS_QUEUE,
    prefix: config.QUEUE_PREFIX,
    lockMs: config.JOB_LOCK_MS,
    recoveryEveryMs: config.RECOVERY_EVERY_MS,
    cron: config.RUN_SCHEDULE_CRON,
    tz: config.RUN_SCHEDULE_TZ,
    postingChunk: config.POSTING_CHUNK,
  });

  const metrics = serviceMetrics('settlement');
  const inbox = new Queue(config.INBOX_QUEUE, { connection: redis, prefix: config.QUEUE_PREFIX });
  metrics.watchQueues([inbox, jobs.queue]);
  const api = Router();
  api.use(authenticate(verifier), auditLogRouter(orm, SETTLEMENT_SCHEMA), financeViewsRouter(domainDeps), settlementRouter({ deps: domainDeps, jobs }), providerMoneyRouter(domainDeps));
  const app = createHttpApp({
    logger,
    bodyLimit: config.BODY_LIMIT,
    publicRouters: [
      metrics.router(verifier),
      healthRouter({
        database: () => sqlOf(orm.em.fork()).run('select 1'),
        redis: () => redis.ping(),
      }),
    ],
    routers: [api],
  });

  let server: Server | undefined;
  let consumer: ReturnType<typeof createEventConsumer> | undefined;
  let jobsStarted = false;

  // Settlement's events are the notices' (notifications' inbox); it publishes nothing else yet.
  const relay = new OutboxRelay({
    orm,
    schema: SETTLEMENT_SCHEMA,
    connection: redis,
    routes: Object.fromEntries(SETTLEMENT_NOTICE_TOPICS.map((topic) => [topic, [config.NOTIFICATIONS_QUEUE]])),
    logger,
    prefix: config.QUEUE_PREFIX,
  });
  let relayStarted = false;
  metrics.watchOutbox(outboxLagReader(orm, SETTLEMENT_SCHEMA));

  return {
    app,
    config,
    orm,
    logger,
    ledger,
    jobs,
    async start(port = config.PORT) {
      if (config.OUTBOX_RELAY_ENABLED) {
        relay.start();
        relayStarted = true;
      }
      if (config.JOBS_ENABLED) {
        consumer = createEventConsumer({
          orm,
          schema: SETTLEMENT_SCHEMA,
          consumer: SETTLEMENT_CONSUMER,
          queueName: config.INBOX_QUEUE,
          connection: redis,
          handlers: {
            'redemption.posted': onRedemptionPosted(logger),
            ...Object.fromEntries(Object.keys(STANDING_TOPICS).map((topic) => [topic, onProviderStatusChanged(logger)])),
          },
          logger,
          prefix: config.QUEUE_PREFIX,
          lockMs: config.JOB_LOCK_MS,
        });
        await jobs.start();
        jobsStarted = true;
      }
      const listening = await listen(metrics.instrument(app), port);
      server = listening.server;
      logger.info({ url: listening.url }, 'settlement listening');
      return listening;
    },
    async stop() {
      const closers: Closer[] = [];
      if (server) closers.push({ name: 'http', close: () => closeHttpServer(server!) });
      if (relayStarted) closers.push({ name: 'outbox relay', close: () => relay.stop() });
      // After a Redis outage a BullMQ worker can wait on a connection that is gone; shutdown moves on.
      if (consumer) closers.push({ name: 'event consumer', close: () => closeWithin(consumer!, 10_000, logger) });
      if (jobsStarted) closers.push({ name: 'jobs', close: () => jobs.stop() });
      else closers.push({ name: 'queue', close: () => jobs.queue.close() });
      closers.push({ name: 'inbox queue', close: () => inbox.close() }, { name: 'redis', close: () => redis.quit() }, { name: 'orm', close: () => orm.close() });
      await closeAll(closers, logger);
    },
  };
}

/** The topics the notifications service turns into notices. */
export const SETTLEMENT_NOTICE_TOPICS = ['batch.awaiting_approval', 'payout.paid', 'payout.returned', 'statement.lines_unmatched'] as const;

export type SettlementService = Awaited<ReturnType<typeof createSettlementService>>;
