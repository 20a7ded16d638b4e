import { Router } from 'express';
import type { Server } from 'node:http';
import { authenticate, closeAll, closeHttpServer, createServiceRuntime, createHttpApp, createJobWorker, healthRouter, listen, Queue, serviceMetrics, type Closer, sqlOf, watchRedisEmptied, type RedisEmptiedWatch } from '@esc/service-kit';
import { withFastRoutes } from '@esc/service-kit/hot';
import { ledgerFastRoutes, ledgerRouter } from './api/routes';
import { loadLedgerConfig, type LedgerConfig } from './config';
import { migrations } from './data-access/migrations';
import type { Deps } from './domain/context';
import { createTransferBatcher } from './domain/transfer-batcher';
import { HoldExpirySweeper } from './jobs/expire-holds';

export const LEDGER_SCHEMA = 'ledger';
export const LEDGER_QUEUE = 'ledger-jobs';
export const LEDGER_JOBS = ['expire-holds'] as const;

export async function createLedgerService(overrides: Partial<LedgerConfig> = {}) {
  const config: LedgerConfig = { ...loadLedgerConfig(), ...overrides };
  const { logger, orm, redis, verifier } = await createServiceRuntime('ledger', LEDGER_SCHEMA, migrations, config);
  const deps: Deps = { orm, batcher: createTransferBatcher(orm, config.TRANSFER_BATCHES_IN_FLIGHT) };

  const metrics = serviceMetrics('ledger');
  const api = Router();
  api.use(authenticate(verifier), ledgerRouter(deps));
  const app = createHttpApp({
    logger,
    bodyLimit: config.BODY_LIMIT,
    logSuccessfulRequests: false,
    publicRouters: [
      metrics.router(verifier),
      healthRouter({
        database: () => sqlOf(orm.em.fork()).run('select 1'),
        redis: () => redis.ping(),
      }),
    ],
    routers: [api],
  });

  const fastRoutes = ledgerFastRoutes(deps);
  const handler = metrics.instrument(withFastRoutes(app, fastRoutes, { verifier, logger, logSuccessfulRequests: false }), fastRoutes);

  const holdSweeper = new HoldExpirySweeper(deps);
  const queue = new Queue(LEDGER_QUEUE, { connection: redis, prefix: config.QUEUE_PREFIX });
  metrics.watchQueues([queue]);
  let worker: ReturnType<typeof createJobWorker> | undefined;
  let server: Server | undefined;
  let schedules: RedisEmptiedWatch | undefined;

  return {
    app,
    config,
    orm,
    logger,
    expireHolds: () => holdSweeper.sweep(),
    async start(port = config.PORT) {
      if (config.JOBS_ENABLED) {
        worker = createJobWorker(LEDGER_QUEUE, LEDGER_JOBS, { 'expire-holds': () => holdSweeper.sweep() }, redis, logger, {
          prefix: config.QUEUE_PREFIX,
        });
        const schedule = () => queue.upsertJobScheduler('expire-holds', { every: config.HOLD_EXPIRY_EVERY_MS }, { name: 'expire-holds' }).then(() => undefined);
        await schedule();
        // The schedule lives in Redis: one that restarts empty would otherwise stop holds from ever timing out until this process restarts.
        schedules = watchRedisEmptied(redis, `${config.QUEUE_PREFIX}:ledger:schedules`, schedule, logger);
      }
      const listening = await listen(handler, port);
      server = listening.server;
      logger.info({ url: listening.url }, 'ledger listening');
      return listening;
    },
    async stop() {
      const closers: Closer[] = [];
      if (server) closers.push({ name: 'http', close: () => closeHttpServer(server!) });
      if (schedules) closers.push({ name: 'schedules', close: () => schedules!.stop() });
      if (worker) closers.push({ name: 'worker', close: () => worker!.close() });
      closers.push(
        { name: 'queue', close: () => queue.close() },
        { name: 'redis', close: () => redis.quit() },
        { name: 'orm', close: () => orm.close() },
      );
      await closeAll(closers, logger);
    },
  };
}

export type LedgerService = Awaited<ReturnType<typeof createLedgerService>>;
