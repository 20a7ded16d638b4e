import { Router } from 'express';
import type { Server } from 'node:http';
import { LedgerClient, ServiceTokenSource } from '@esc/ledger-client';
import { authenticate, closeAll, closeHttpServer, createEventConsumer, createHttpApp, createJobWorker, createServiceRuntime, healthRouter, listen, OutboxRelay, outboxLagReader, Queue, serviceMetrics, type Closer, sqlOf, auditLogRouter, watchRedisEmptied, type RedisEmptiedWatch } from '@esc/service-kit';
import { withFastRoutes } from '@esc/service-kit/hot';
import { certificatesFastRoutes, certificatesRouter } from './api/routes';
import { providerCabinetRouter } from './api/provider-cabinet-routes';
import { deficitsRouter } from './api/deficit-routes';
import { dashboardRouter, openDataRouter } from './api/dashboard-routes';
import { RegistryClient } from './clients/registry-client';
import { loadCertificatesConfig, regionTimeZonesOf, type CertificatesConfig } from './config';
import { migrations } from './data-access/migrations';
import { CERTIFICATES_ENTITIES } from './data-access/entities';
import { CERTIFICATES_SCHEMA } from './data-access/schema';
import { SYSTEM_PRINCIPAL, type Deps } from './domain/context';
import { resumeUnfinishedBulkIssues } from './domain/bulk-issues';
import { onProviderStatusChanged, STANDING_TOPICS } from './domain/provider-standing';
import { recordActivity } from './domain/activity-audit';
import { bulkIssueQueueOn } from './jobs/bulk-issue-job';
import { CERTIFICATES_JOBS, CERTIFICATES_QUEUE, jobHandlers } from './jobs/schedules';
import { assertCalendarCovers, todayInRussia } from './domain/working-days';

/** The topics the notifications service turns into notices. */
const NOTICE_TOPICS = [
  'act.recorded',
  'act.confirmation_due',
  'act.auto_confirmed',
  'act.disputed',
  'booking.created',
  'booking.accepted',
  'booking.declined',
  'certificate.issued',
  'certificate.expiring',
  'certificate.expired',
  'certificate.suspended',
  'certificate.revoked',
  'assessment.recognised',
  'programme.drawn',
  'refusal.recorded',
] as const;

export { CERTIFICATES_SCHEMA };

/** The key holding the run id of the Redis process whose schedules and bulk issue jobs were last put back. */
export const schedulesWatchKey = (config: Pick<CertificatesConfig, 'QUEUE_PREFIX'>) => `${config.QUEUE_PREFIX}:certificates:schedules`;

export async function createCertificatesService(overrides: Partial<CertificatesConfig> = {}, options: { clock?: () => Date } = {}) {
  const config: CertificatesConfig = { ...loadCertificatesConfig(), ...overrides };
  // 442-FZ deadlines count working days: the service does not run in a year its calendar lacks.
  const calendar = assertCalendarCovers(todayInRussia());
  const regionTimeZones = regionTimeZonesOf(config);
  const { logger, orm, redis, verifier } = await createServiceRuntime('certificates', CERTIFICATES_SCHEMA, migrations, config, CERTIFICATES_ENTITIES);
  if (calendar.nextYearMissing) {
    logger.warn({ year: calendar.nextYearMissing }, 'the production calendar lacks next year: deadlines reaching into it are refused (calendar_year_missing) until it is added');
  }
  const queue = new Queue(CERTIFICATES_QUEUE, { connection: redis, prefix: config.QUEUE_PREFIX });
  const tokens = new ServiceTokenSource({ gatewayUrl: config.GATEWAY_URL, clientId: config.SERVICE_CLIENT_ID, clientSecret: config.SERVICE_CLIENT_SECRET });
  const deps: Deps = {
    orm,
    ledger: new LedgerClient({ baseUrl: config.LEDGER_URL, token: tokens.token, timeoutMs: config.LEDGER_TIMEOUT_MS }),
    registry: new RegistryClient(config.REGISTRY_URL, tokens.token),
    settings: { confirmationWindowSeconds: config.CONFIRMATION_WINDOW_SECONDS, holdGraceSeconds: config.HOLD_GRACE_SECONDS, abandonedHoldAfterSeconds: config.ABANDONED_HOLD_AFTER_SECONDS },
    regionTimeZones,
    clock: options.clock ?? (() => new Date()),
    bulkIssueQueue: bulkIssueQueueOn(queue),
  };

  const metrics = serviceMetrics('certificates');
  const inbox = new Queue(config.INBOX_QUEUE, { connection: redis, prefix: config.QUEUE_PREFIX });
  metrics.watchQueues([queue, inbox]);
  metrics.watchOutbox(outboxLagReader(orm, CERTIFICATES_SCHEMA));
  const api = Router();
  api.use(authenticate(verifier), auditLogRouter(orm, CERTIFICATES_SCHEMA), certificatesRouter(deps), providerCabinetRouter(deps), deficitsRouter(deps), dashboardRouter(deps));
  const app = createHttpApp({
    logger,
    bodyLimit: config.BODY_LIMIT,
    publicRouters: [metrics.router(verifier), healthRouter({ database: () => sqlOf(orm.em.fork()).run('select 1'), redis: () => redis.ping() }), openDataRouter(deps)],
    routers: [api],
  });

  const relay = new OutboxRelay({
    orm,
    schema: CERTIFICATES_SCHEMA,
    connection: redis,
    routes: {
      'redemption.posted': [config.SETTLEMENT_QUEUE],
      'feedback.submitted': [config.REGISTRY_QUEUE],
      'provider.capacity_reserved': [config.REGISTRY_QUEUE],
      ...Object.fromEntries(NOTICE_TOPICS.map((topic) => [topic, [config.NOTIFICATIONS_QUEUE]])),
    },
    logger,
    prefix: config.QUEUE_PREFIX,
    // Acts and bookings reach the audit log from their events, off the acts' hot path (ADR 0003).
    onBatch: recordActivity,
  });
  let worker: ReturnType<typeof createJobWorker> | undefined;
  let server: Server | undefined;
  let relayStarted = false;
  let consumer: ReturnType<typeof createEventConsumer> | undefined;
  let schedules: RedisEmptiedWatch | undefined;

  return {
    app,
    config,
    orm,
    deps,
    logger,
    queue,
    /** Looks now whether Redis is a new process and if so puts back what this service keeps in it (the watch also looks on its own). */
    checkRedisEmptied: (): Promise<void> => schedules?.check() ?? Promise.resolve(),
    async start(port = config.PORT) {
      if (config.OUTBOX_RELAY_ENABLED) {
        relay.start();
        relayStarted = true;
      }
      if (config.JOBS_ENABLED) {
        worker = createJobWorker(CERTIFICATES_QUEUE, CERTIFICATES_JOBS, jobHandlers(deps), redis, logger, { prefix: config.QUEUE_PREFIX });
        const schedule = async () => {
          await queue.upsertJobScheduler('post-lapsed-confirmations', { every: config.SWEEP_EVERY_MS }, { name: 'post-lapsed-confirmations' });
          await queue.upsertJobScheduler('complete-interrupted', { every: config.SWEEP_EVERY_MS }, { name: 'complete-interrupted' });
          await queue.upsertJobScheduler('expire-certificates', { every: config.EXPIRY_EVERY_MS }, { name: 'expire-certificates' });
          // The register of deficits follows the certificates through the month; a person may also recompute it at once.
          await queue.upsertJobScheduler('compute-deficits', { every: config.EXPIRY_EVERY_MS }, { name: 'compute-deficits' });
          // A bulk issue's job lives in Redis too, its file and progress in the database: the job is put back from them.
          const resumed = await resumeUnfinishedBulkIssues(deps, SYSTEM_PRINCIPAL);
          if (resumed > 0) logger.info({ resumed }, 'unfinished bulk issues queued again');
        };
        await schedule();
        // The schedules live in Redis: one that restarts empty would otherwise stop every sweep until this process restarts.
        schedules = watchRedisEmptied(redis, schedulesWatchKey(config), schedule, logger);
      }
      if (config.CONSUMERS_ENABLED) {
        const onStatus = onProviderStatusChanged(logger);
        consumer = createEventConsumer({
          orm,
          schema: CERTIFICATES_SCHEMA,
          consumer: 'certificates-provider-standing',
          queueName: config.INBOX_QUEUE,
          connection: redis,
          handlers: Object.fromEntries(Object.keys(STANDING_TOPICS).map((topic) => [topic, onStatus])),
          logger,
          prefix: config.QUEUE_PREFIX,
        });
      }
      const fastRoutes = certificatesFastRoutes(deps);
      const listening = await listen(metrics.instrument(withFastRoutes(app, fastRoutes, { verifier, logger }), fastRoutes), port);
      server = listening.server;
      logger.info({ url: listening.url }, 'certificates listening');
      return listening;
    },
    async stop() {
      const closers: Closer[] = [];
      if (server) closers.push({ name: 'http', close: () => closeHttpServer(server!) });
      if (relayStarted) closers.push({ name: 'outbox relay', close: () => relay.stop() });
      if (schedules) closers.push({ name: 'schedules', close: () => schedules!.stop() });
      if (worker) closers.push({ name: 'job worker', close: () => worker!.close() });
      if (consumer) closers.push({ name: 'event consumer', close: () => consumer!.close() });
      closers.push({ name: 'queue', close: () => queue.close() }, { name: 'inbox queue', close: () => inbox.close() }, { name: 'redis', close: () => redis.quit() }, { name: 'orm', close: () => orm.close() });
      await closeAll(closers, logger);
    },
  };
}

export type CertificatesService = Awaited<ReturnType<typeof createCertificatesService>>;
