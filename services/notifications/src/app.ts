import { Router } from 'express';
import type { Server } from 'node:http';
import { authenticate, closeAll, closeHttpServer, createEventConsumer, createHttpApp, createServiceRuntime, healthRouter, listen, Queue, serviceMetrics, smtpMailer, sqlOf, type Closer } from '@esc/service-kit';
import { notificationsRouter } from './api/routes';

import { devSmsSender } from './clients/dev-sms';
import { OutboundSender } from './jobs/outbound-sender';
import { loadNotificationsConfig, type NotificationsConfig } from './config';
import { migrations } from './data-access/migrations';
import { NOTIFICATIONS_SCHEMA } from './data-access/schema';
import type { Deps, SmsSender } from './domain/context';
import { NOTICE_HANDLERS } from './domain/deliver';

export { NOTIFICATIONS_SCHEMA };
export const NOTIFICATIONS_CONSUMER = 'notifications-notices';

/** `sms` replaces the configured SMS adapter (tests plant a failing operator). */
export async function createNotificationsService(overrides: Partial<NotificationsConfig> = {}, options: { sms?: SmsSender } = {}) {
  const config: NotificationsConfig = { ...loadNotificationsConfig(), ...overrides };
  const { logger, orm, redis, verifier } = await createServiceRuntime('notifications', NOTIFICATIONS_SCHEMA, migrations, config);
  const mailer = config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.MAIL_FROM) : undefined;
  const sms = options.sms ?? (config.SMS_ADAPTER === 'dev' ? devSmsSender(orm) : undefined);
  const deps: Deps = {
    orm,
    mailer,
    sms,
    email: { maxAttempts: config.EMAIL_MAX_ATTEMPTS, retryBaseMs: config.EMAIL_RETRY_BASE_MS },
    smsRetry: { maxAttempts: config.SMS_MAX_ATTEMPTS, retryBaseMs: config.SMS_RETRY_BASE_MS },
  };
  const sender = new OutboundSender(deps, logger, config.EMAIL_EVERY_MS);

  const metrics = serviceMetrics('notifications');
  const inbox = new Queue(config.INBOX_QUEUE, { connection: redis, prefix: config.QUEUE_PREFIX });
  metrics.watchQueues([inbox]);
  const api = Router();
  api.use(authenticate(verifier), notificationsRouter(deps));
  const app = createHttpApp({
    logger,
    bodyLimit: config.BODY_LIMIT,
    publicRouters: [metrics.router(verifier), healthRouter({ database: () => sqlOf(orm.em.fork()).run('select 1'), redis: () => redis.ping() })],
    routers: [api],
  });

  let server: Server | undefined;
  let consumer: ReturnType<typeof createEventConsumer> | undefined;

  const startConsumer = () => {
    if (consumer) return;
    consumer = createEventConsumer({
      orm,
      schema: NOTIFICATIONS_SCHEMA,
      consumer: NOTIFICATIONS_CONSUMER,
      queueName: config.INBOX_QUEUE,
      connection: redis,
      handlers: NOTICE_HANDLERS,
      logger,
      prefix: config.QUEUE_PREFIX,
      lockMs: config.EVENT_LOCK_MS,
    });
  };

  return {
    app,
    config,
    orm,
    deps,
    logger,
    /** Starts consuming the inbox queue (start does it when CONSUMERS_ENABLED); events published meanwhile waited there. */
    startConsumer,
    async stopConsumer() {
      await consumer?.close();
      consumer = undefined;
    },
    async start(port = config.PORT) {
      if (config.CONSUMERS_ENABLED) startConsumer();
      if (mailer || sms) sender.start();
      const listening = await listen(metrics.instrument(app), port);
      server = listening.server;
      logger.info({ url: listening.url }, 'notifications listening');
      return listening;
    },
    async stop() {
      const closers: Closer[] = [];
      if (server) closers.push({ name: 'http', close: () => closeHttpServer(server!) });
      if (consumer) closers.push({ name: 'event consumer', close: () => consumer!.close() });
      if (mailer || sms) closers.push({ name: 'e-mail and SMS sender', close: () => sender.stop().then(() => mailer?.close()) });
      closers.push({ name: 'inbox queue', close: () => inbox.close() }, { name: 'redis', close: () => redis.quit() }, { name: 'orm', close: () => orm.close() });
      await closeAll(closers, logger);
    },
  };
}

export type NotificationsService = Awaited<ReturnType<typeof createNotificationsService>>;
