import { Router } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  authenticate,
  closeAll,
  closeHttpServer,
  createServiceRuntime,
  createHttpApp,
  createJobWorker,
  healthRouter,
  Queue,
  type Closer,
} from '@esc/service-kit';
import { ledgerRouter } from './api/routes';
import { withTransferFastPath } from './api/transfer-fast-path';
import { loadLedgerConfig, type LedgerConfig } from './config';
import { migrations } from './data-access/migrations';
import { TransferBatcher } from './domain/transfer-batcher';
import { applyTransferGroups } from './domain/transfers';
import { HoldExpirySweeper } from './jobs/expire-holds';

export const LEDGER_SCHEMA = 'ledger';
export const LEDGER_QUEUE = 'ledger-jobs';
export const LEDGER_JOBS = ['expire-holds'] as const;

export async function createLedgerService(overrides: Partial<LedgerConfig> = {}) {
  const config: LedgerConfig = { ...loadLedgerConfig(), ...overrides };
  const { logger, orm, redis, verifier } = await createServiceRuntime('ledger', LEDGER_SCHEMA, migrations, config);
  const batcher = new TransferBatcher((groups) => applyTransferGroups(orm, groups), {
    maxInFlight: config.TRANSFER_BATCHES_IN_FLIGHT,
    maxTransfersPerBatch: 8000,
  });
  const submit = batcher.submit.bind(batcher);

  const api = Router();
  api.use(authenticate(verifier), ledgerRouter(orm, batcher));
  const app = createHttpApp({
    logger,
    bodyLimit: config.BODY_LIMIT,
    logSuccessfulRequests: false,
    publicRouters: [
      healthRouter({
        database: () => orm.em.fork().execute('select 1'),
        redis: () => redis.ping(),
      }),
    ],
    routers: [api],
  });

  const handler = withTransferFastPath(app, batcher, verifier, logger);

  const holdSweeper = new HoldExpirySweeper(orm.em, submit);
  const queue = new Queue(LEDGER_QUEUE, { connection: redis, prefix: config.QUEUE_PREFIX });
  let worker: ReturnType<typeof createJobWorker> | undefined;
  let server: Server | undefined;

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
        await queue.upsertJobScheduler('expire-holds', { every: config.HOLD_EXPIRY_EVERY_MS }, { name: 'expire-holds' });
      }
      const listening = await listen(handler, port);
      server = listening.server;
      logger.info({ url: listening.url }, 'ledger listening');
      return listening;
    },
    async stop() {
      const closers: Closer[] = [];
      if (server) closers.push({ name: 'http', close: () => closeHttpServer(server!) });
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

/** As service-kit's listen, for a request listener that is not only the Express app. */
function listen(handler: ReturnType<typeof withTransferFastPath>, port: number, host = '127.0.0.1'): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.keepAliveTimeout = 65_000;
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({ server, url: `http://${host}:${address.port}` });
    });
  });
}

export type LedgerService = Awaited<ReturnType<typeof createLedgerService>>;
