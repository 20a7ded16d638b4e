import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm, createRedis, migrate, OutboxRelay, outboxSchemaSql, sqlOf, withTransaction, writeOutboxEvent } from '@esc/service-kit';
import { createTestDatabase, httpClient, startTestGateway, type HttpClient, type TestDatabase, type TestGateway } from '@esc/testing';
import { createNotificationsService, NOTIFICATIONS_CONSUMER, type NotificationsService } from '../src/app';
import type { NotificationsConfig } from '../src/config';
import { NOTICE_TOPICS } from '../src/domain/events';

/** A publishing service's side as it really is: an outbox written in a transaction and the relay that moves it to the queue. */
const PUBLISHER_SCHEMA = 'publisher';

export const IVANOVA = '11223344595';
export const SMIRNOV = '12345678964';
export const ZABOTA = '6e9de740-d447-49a2-a48f-a219e95a9be5';

/** An `act.recorded` payload for the citizen with this SNILS, as certificates publishes it. */
export const actRecorded = (snils: string, over: Record<string, unknown> = {}) => ({
  delivery_id: randomUUID(),
  certificate_number: '73-2026-000017',
  recipient_snils: snils,
  region_code: '73',
  provider_name: 'АНО «Забота»',
  service_name: 'Социально-бытовые услуги на дому',
  units: 3,
  delivered_on: '2026-12-04',
  confirm_by: '2026-12-10T09:30:00Z',
  ...over,
});

export interface NotificationsHarness {
  service: NotificationsService;
  gateway: TestGateway;
  db: TestDatabase;
  url: string;
  as(username: string): Promise<HttpClient>;
  /** Commits an event in the publisher's outbox and relays it to the notifications inbox queue; answers the event id. */
  publish(topic: string, payload: unknown, eventId?: string): Promise<string>;
  /** Stops the service (HTTP and consumer); the events published meanwhile wait in the queue. */
  stopService(): Promise<void>;
  startService(): Promise<void>;
  handled(): Promise<number>;
  waitFor<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export async function startNotifications(label: string, overrides: Partial<NotificationsConfig> = {}, options: Parameters<typeof createNotificationsService>[1] = {}): Promise<NotificationsHarness> {
  const db = await createTestDatabase(label);
  const gateway = await startTestGateway();
  const tag = randomUUID().slice(0, 8);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const config: Partial<NotificationsConfig> = {
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    JWKS_URL: gateway.jwksUrl,
    LOG_LEVEL: (process.env.TEST_LOG_LEVEL as NotificationsConfig['LOG_LEVEL']) ?? 'silent',
    QUEUE_PREFIX: `test-${tag}`,
    INBOX_QUEUE: `notifications-inbox-${tag}`,
    ...overrides,
  };
  let service = await createNotificationsService(config, options);
  let url = (await service.start(0)).url;
  let running = true;

  const publisherOrm: MikroORM = await createOrm({ databaseUrl: db.url, schema: PUBLISHER_SCHEMA, entities: [], migrations: [], poolMax: 2 });
  await migrate(publisherOrm, PUBLISHER_SCHEMA);
  for (const sql of outboxSchemaSql(PUBLISHER_SCHEMA)) await sqlOf(publisherOrm.em.fork()).run(sql);
  const publisherRedis = createRedis(redisUrl);
  const silent = { warn: () => undefined } as never;
  const relay = new OutboxRelay({
    orm: publisherOrm,
    schema: PUBLISHER_SCHEMA,
    connection: publisherRedis,
    routes: Object.fromEntries(NOTICE_TOPICS.map((t) => [t, [config.INBOX_QUEUE!]])),
    logger: silent,
    prefix: config.QUEUE_PREFIX,
  });
  const clients = new Map<string, HttpClient>();

  const harness: NotificationsHarness = {
    get service() {
      return service;
    },
    gateway,
    db,
    get url() {
      return url;
    },
    async as(username) {
      const key = `${username}@${url}`;
      let client = clients.get(key);
      if (!client) {
        client = httpClient(url, await gateway.signIn(username));
        clients.set(key, client);
      }
      return client;
    },
    async publish(topic, payload, eventId = randomUUID()) {
      await withTransaction(publisherOrm.em.fork(), (tx) => writeOutboxEvent(tx, PUBLISHER_SCHEMA, topic, payload, eventId));
      await relay.publishPending();
      return eventId;
    },
    async stopService() {
      if (!running) return;
      running = false;
      await service.stop();
    },
    async startService() {
      if (running) return;
      service = await createNotificationsService(config, options);
      url = (await service.start(0)).url;
      running = true;
    },
    async handled() {
      const row = await sqlOf(publisherOrm.em.fork()).one<{ n: number }>(
        `select count(*)::int as n from notifications.processed_events where consumer = $1`,
        [NOTIFICATIONS_CONSUMER],
      );
      return row!.n;
    },
    async waitFor(what, probe, done, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      while (Date.now() < deadline) {
        last = await probe();
        if (done(last as never)) return last as never;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    },
    async stop() {
      await relay.stop();
      publisherRedis.disconnect();
      await publisherOrm.close();
      await harness.stopService();
      await gateway.stop();
      await db.drop();
    },
  };
  return harness;
}
