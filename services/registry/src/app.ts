import express, { Router } from 'express';
import type { Server } from 'node:http';
import { authenticate, closeAll, closeHttpServer, createServiceRuntime, createHttpApp, healthRouter, createEventConsumer, listen, OutboxRelay, outboxLagReader, Queue, serviceMetrics, type Closer, sqlOf, auditLogRouter } from '@esc/service-kit';
import { withFastRoutes } from '@esc/service-kit/hot';
import { documentUploadRouter } from './api/document-uploads';
import { privateRouter, publicRouter } from './api/routes';
import { committeePublicRouter, committeeRouter } from './api/committee-routes';
import { providerRoundsRouter } from './api/provider-rounds-routes';
import { publicSearch, registryFastRoutes } from './api/public-search';
import { loadRegistryConfig, regionTimeZonesOf, type RegistryConfig } from './config';
import { migrations } from './data-access/migrations';
import { REGISTRY_SCHEMA } from './data-access/schema';
import { LocalDiskStorage } from './data-access/document-storage';
import { DistrictMapFiles } from './data-access/districts';
import { registryEntities } from './data-access/entities';
import { pageCards } from './data-access/search-index';
import { SearchPool } from './data-access/sql-client';
import { onCapacityReserved } from './domain/capacity';
import type { Deps } from './domain/deps';
import { onFeedbackSubmitted } from './domain/ratings';
import { SearchCache } from './domain/search';

export { REGISTRY_SCHEMA };
/** Every event the registry publishes goes to this queue, for consumers that read all of them. */
export const REGISTRY_EVENTS_QUEUE = 'registry-events';
export const REGISTRY_TOPICS = ['catalog.cost_changed', 'provider.admitted', 'provider.suspended', 'provider.excluded', 'round.application_decided', 'round.appeal_decided'] as const;
/**
 * The provider status changes also go to certificates' inbox (CERTIFICATES_INBOX_QUEUE), which stops a
 * suspended or excluded provider's bookings and acts, and to settlement's (SETTLEMENT_INBOX_QUEUE),
 * which holds its acts for review as the region's rule says.
 */
export const CERTIFICATES_TOPICS: ReadonlyArray<(typeof REGISTRY_TOPICS)[number]> = ['provider.admitted', 'provider.suspended', 'provider.excluded'];
export const SETTLEMENT_TOPICS = CERTIFICATES_TOPICS;

/** The committee's decisions go to the notifications service (its NOTIFICATIONS_QUEUE), which tells the provider's people. */
export const NOTIFICATIONS_TOPICS: ReadonlyArray<(typeof REGISTRY_TOPICS)[number]> = ['round.application_decided', 'round.appeal_decided'];

/** Where the relay sends each topic the registry publishes. */
export function registryRoutes(certificatesInbox: string, notificationsInbox = 'notifications-inbox', settlementInbox = 'settlement-inbox'): Record<string, string[]> {
  return Object.fromEntries(
    REGISTRY_TOPICS.map((topic) => [
      topic,
      [
        REGISTRY_EVENTS_QUEUE,
        ...(CERTIFICATES_TOPICS.includes(topic) ? [certificatesInbox] : []),
        ...(SETTLEMENT_TOPICS.includes(topic) ? [settlementInbox] : []),
        ...(NOTIFICATIONS_TOPICS.includes(topic) ? [notificationsInbox] : []),
      ],
    ]),
  );
}

/** What tests may replace of the use cases' dependencies (see domain/deps.ts). */
export type RegistryDeps = Partial<Pick<Deps, 'now'>>;

export async function createRegistryService(overrides: Partial<RegistryConfig> = {}, deps: RegistryDeps = {}) {
  const config: RegistryConfig = { ...loadRegistryConfig(), ...overrides };
  const { logger, orm, redis, verifier } = await createServiceRuntime('registry', REGISTRY_SCHEMA, migrations, config, registryEntities);

  const searchPool = new SearchPool(config.DATABASE_URL, config.SEARCH_DB_POOL_MAX, logger);
  const useCaseDeps: Deps = {
    orm,
    now: deps.now ?? (() => new Date()),
    regionTimeZones: regionTimeZonesOf(config),
    documents: new LocalDiskStorage(config.DOCUMENTS_DIR),
    districts: new DistrictMapFiles(config.DISTRICTS_DIR),
    search: { pageCards: (query) => pageCards(searchPool.query, query), version: () => searchPool.version() },
  };
  const search = publicSearch(useCaseDeps, new SearchCache<Buffer>(config.SEARCH_CACHE_TTL_MS));
  const metrics = serviceMetrics('registry');
  const inbox = new Queue(config.INBOX_QUEUE, { connection: redis, prefix: config.QUEUE_PREFIX });
  metrics.watchQueues([inbox]);
  metrics.watchOutbox(outboxLagReader(orm, REGISTRY_SCHEMA));
  const api = Router();
  api.use(authenticate(verifier), auditLogRouter(orm, REGISTRY_SCHEMA), privateRouter(useCaseDeps), committeeRouter(useCaseDeps), providerRoundsRouter(useCaseDeps));
  const main = createHttpApp({
    logger,
    bodyLimit: config.BODY_LIMIT,
    publicRouters: [
      metrics.router(verifier),
      healthRouter({
        database: () => sqlOf(orm.em.fork()).run('select 1'),
        redis: () => redis.ping(),
      }),
      publicRouter(useCaseDeps, search),
      committeePublicRouter(useCaseDeps),
    ],
    routers: [api],
  });
  // Browser forms send documents as multipart/form-data, which the service-kit app refuses (415)
  // before any route; those uploads are answered in front of it, everything else goes on to it.
  const app = express().disable('x-powered-by').use(documentUploadRouter(useCaseDeps, verifier, logger), main);

  const relay = new OutboxRelay({
    orm,
    schema: REGISTRY_SCHEMA,
    connection: redis,
    routes: registryRoutes(config.CERTIFICATES_INBOX_QUEUE, config.NOTIFICATIONS_QUEUE, config.SETTLEMENT_INBOX_QUEUE),
    logger,
    prefix: config.QUEUE_PREFIX,
  });
  let server: Server | undefined;
  let relayStarted = false;
  let consumer: ReturnType<typeof createEventConsumer> | undefined;

  return {
    app,
    config,
    orm,
    logger,
    async start(port = config.PORT) {
      if (config.OUTBOX_RELAY_ENABLED) {
        relay.start();
        relayStarted = true;
      }
      if (config.CONSUMERS_ENABLED) {
        consumer = createEventConsumer({
          orm,
          schema: REGISTRY_SCHEMA,
          consumer: 'registry-ratings',
          queueName: config.INBOX_QUEUE,
          connection: redis,
          handlers: { 'feedback.submitted': onFeedbackSubmitted(logger), 'provider.capacity_reserved': onCapacityReserved(logger) },
          logger,
          prefix: config.QUEUE_PREFIX,
        });
      }
      const fastRoutes = registryFastRoutes(search);
      const listening = await listen(metrics.instrument(withFastRoutes(app, fastRoutes, { verifier, logger }), fastRoutes), port);
      server = listening.server;
      logger.info({ url: listening.url }, 'registry listening');
      return listening;
    },
    async stop() {
      const closers: Closer[] = [];
      if (server) closers.push({ name: 'http', close: () => closeHttpServer(server!) });
      if (relayStarted) closers.push({ name: 'outbox relay', close: () => relay.stop() });
      if (consumer) closers.push({ name: 'event consumer', close: () => consumer!.close() });
      closers.push(
        { name: 'inbox queue', close: () => inbox.close() },
        { name: 'redis', close: () => redis.quit() },
        { name: 'search pool', close: () => searchPool.close() },
        { name: 'orm', close: () => orm.close() },
      );
      await closeAll(closers, logger);
    },
  };
}

export type RegistryService = Awaited<ReturnType<typeof createRegistryService>>;
