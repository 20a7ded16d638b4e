import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@esc/testing/src/database';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Queue, type Worker } from 'bullmq';
import {
  OutboxRelay,
  createEventConsumer,
  createOrm,
  createRedis,
  outboxSchemaSql,
  withTransaction,
  writeOutboxEvent,
  type EntityManager,
  type EventEnvelope,
  type Redis,
} from '../src';
import { gate, silentLogger, waitFor } from './helpers';

const SCHEMA = 'kit_test';
const CONSUMER = 'kit-test-consumer';
const ROUTES: Record<string, string[]> = {
  'kit.rolled_back': ['kit-inspect'],
  'kit.fanout': ['kit-inspect', 'kit-inspect-2'],
  'kit.unrouted': [],
  'kit.consumed': ['kit-consume'],
  'kit.flaky': ['kit-consume'],
  'kit.bulk': ['kit-bulk'],
};

let db: TestDatabase;
let orm: MikroORM;
let redis: Redis;
let relay: OutboxRelay;
let worker: Worker;
const prefix = `kit-outbox-${randomUUID().slice(0, 8)}`;
const queues = new Map<string, Queue>();
const relays: OutboxRelay[] = [];

/** The flaky handler fails its first attempt and holds its retry until the test opens the gate. */
let flakyAttempts = 0;
let releaseRetry = gate();

function queue(name: string): Queue {
  let q = queues.get(name);
  if (!q) {
    q = new Queue(name, { connection: redis, prefix });
    queues.set(name, q);
  }
  return q;
}

function newRelay(batchSize?: number): OutboxRelay {
  const created = new OutboxRelay({ orm, schema: SCHEMA, connection: redis, routes: ROUTES, logger: silentLogger, prefix, batchSize });
  relays.push(created);
  return created;
}

async function sql<R = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<R[]> {
  return orm.em.fork().execute(query, params);
}

async function commitEvent(topic: string, payload: unknown): Promise<string> {
  return withTransaction(orm.em.fork(), (em) => writeOutboxEvent(em, SCHEMA, topic, payload));
}

async function recordEffect(event: EventEnvelope, em: EntityManager): Promise<void> {
  await em.execute(`insert into "${SCHEMA}".effects (event_id, note) values (?, ?)`, [event.id, JSON.stringify(event.payload)]);
}

const countOf = async (table: 'effects' | 'processed_events', eventId: string) =>
  Number((await sql<{ n: string }>(`select count(*) as n from "${SCHEMA}".${table} where event_id = ?`, [eventId]))[0]?.n);

const jobState = async (queueName: string, jobId: string) => (await queue(queueName).getJob(jobId))?.getState();

async function streamEvents(queueName: string): Promise<Array<{ event: string; jobId: string }>> {
  const entries = await redis.xrange(`${prefix}:${queueName}:events`, '-', '+');
  return entries.map(([, fields]) => {
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
    return { event: record.event ?? '', jobId: record.jobId ?? '' };
  });
}

async function drain(r: OutboxRelay): Promise<number> {
  let total = 0;
  for (let n = await r.publishPending(); n > 0; n = await r.publishPending()) total += n;
  return total;
}

beforeAll(async () => {
  db = await createTestDatabase('kit_outbox');
  orm = await createOrm({ databaseUrl: db.url, schema: SCHEMA, entities: [], migrations: [], logger: silentLogger });
  const em = orm.em.fork();
  await em.execute(`create schema "${SCHEMA}"`);
  for (const statement of outboxSchemaSql(SCHEMA)) await em.execute(statement);
  // No unique key on purpose: a handler running twice would leave two rows.
  await em.execute(`create table "${SCHEMA}".effects (event_id uuid not null, note text)`);

  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  relay = newRelay();
  worker = createEventConsumer({
    orm,
    schema: SCHEMA,
    consumer: CONSUMER,
    queueName: 'kit-consume',
    connection: redis,
    logger: silentLogger,
    prefix,
    handlers: {
      'kit.consumed': recordEffect,
      'kit.flaky': async (event, em) => {
        flakyAttempts += 1;
        await recordEffect(event, em);
        if (flakyAttempts === 1) throw new Error('the first attempt fails after its side effect');
        await releaseRetry.promise;
      },
    },
  });
  await worker.waitUntilReady();
});

afterAll(async () => {
  await worker?.close();
  for (const r of relays) await r.stop();
  for (const q of queues.values()) await q.close();
  if (redis) {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
  await orm?.close(true);
  await db?.drop();
});

describe('transactional outbox', () => {
  it('When the transaction that wrote an event rolls back, then the event is never published', async () => {
    const id = randomUUID();
    await expect(
      withTransaction(orm.em.fork(), async (em) => {
        await writeOutboxEvent(em, SCHEMA, 'kit.rolled_back', { n: 1 }, id);
        throw new Error('the business change failed');
      }),
    ).rejects.toThrow('the business change failed');

    expect(await sql(`select 1 from "${SCHEMA}".outbox where id = ?`, [id])).toHaveLength(0);
    expect(await relay.publishPending()).toBe(0);
    expect(await queue('kit-inspect').getJob(id)).toBeUndefined();
  });

  it('When the transaction commits, then the relay publishes the event to every routed queue with the event id as job id', async () => {
    const id = await commitEvent('kit.fanout', { certificate: 'C-1', amount: '1500.00' });
    const unrouted = await commitEvent('kit.unrouted', { ignored: true });

    expect(await relay.publishPending()).toBe(2);

    for (const name of ['kit-inspect', 'kit-inspect-2']) {
      const job = await queue(name).getJob(id);
      expect(job?.id).toBe(id);
      expect(job?.name).toBe('kit.fanout');
      expect(job?.data).toEqual({
        id,
        topic: 'kit.fanout',
        occurred_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        payload: { certificate: 'C-1', amount: '1500.00' },
      });
    }
    const rows = await sql<{ id: string; published_at: Date | null }>(`select id, published_at from "${SCHEMA}".outbox where id in (?)`, [
      [id, unrouted],
    ]);
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.published_at !== null)).toBe(true);
    // Nothing is left to publish, so the next pass is empty.
    expect(await relay.publishPending()).toBe(0);
  });

  it('When the relay publishes the same row twice, then the consumer handles the event once', async () => {
    const id = await commitEvent('kit.consumed', { step: 'first' });
    expect(await relay.publishPending()).toBe(1);
    await waitFor('the event to be consumed', async () => (await jobState('kit-consume', id)) === 'completed');
    expect(await countOf('effects', id)).toBe(1);

    // A relay that crashed between publishing and marking the row publishes it again.
    await sql(`update "${SCHEMA}".outbox set published_at = null where id = ?`, [id]);
    expect(await relay.publishPending()).toBe(1);

    await waitFor('BullMQ to report the duplicate job id', async () =>
      (await streamEvents('kit-consume')).some((e) => e.event === 'duplicated' && e.jobId === id),
    );
    expect(await queue('kit-consume').getJob(id)).toBeDefined();
    expect(await jobState('kit-consume', id)).toBe('completed');
    expect(await countOf('effects', id)).toBe(1);
    expect(await countOf('processed_events', id)).toBe(1);
  });

  it('When the same event is delivered as a second job, then the handler does not run again', async () => {
    const id = await commitEvent('kit.consumed', { step: 'again' });
    expect(await relay.publishPending()).toBe(1);
    await waitFor('the event to be consumed', async () => (await jobState('kit-consume', id)) === 'completed');
    const envelope = (await queue('kit-consume').getJob(id))?.data as EventEnvelope;

    const redeliveryId = `${id}-redelivered`;
    await queue('kit-consume').add('kit.consumed', envelope, { jobId: redeliveryId });
    await waitFor('the redelivered job to complete', async () => (await jobState('kit-consume', redeliveryId)) === 'completed');

    expect(await countOf('effects', id)).toBe(1);
    expect(await countOf('processed_events', id)).toBe(1);
  });

  it('When a handler throws, then nothing it did is kept, no processed mark is left, and the retry succeeds', async () => {
    flakyAttempts = 0;
    releaseRetry = gate();
    const firstFailure = new Promise<string | undefined>((resolve) => {
      const onFailed = (job: { id?: string } | undefined) => {
        worker.off('failed', onFailed);
        resolve(job?.id);
      };
      worker.on('failed', onFailed);
    });

    const id = await commitEvent('kit.flaky', { try: 'me' });
    expect(await relay.publishPending()).toBe(1);
    expect(await firstFailure).toBe(id);

    // The retry waits (backoff, then the gate) until these are checked.
    expect(await countOf('processed_events', id)).toBe(0);
    expect(await countOf('effects', id)).toBe(0);
    expect(await jobState('kit-consume', id)).toMatch(/^(delayed|waiting|active)$/);

    releaseRetry.open();
    await waitFor('the retry to complete', async () => (await jobState('kit-consume', id)) === 'completed');
    expect(flakyAttempts).toBe(2);
    expect((await queue('kit-consume').getJob(id))?.attemptsMade).toBe(2);
    expect(await countOf('processed_events', id)).toBe(1);
    expect(await countOf('effects', id)).toBe(1);
  });

  it('When another relay holds rows locked, then a relay skips them instead of waiting or publishing them too', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await commitEvent('kit.bulk', { i, phase: 'locked' }));
    const lockedIds = ids.slice(0, 3);
    const locked = gate();
    const release = gate();

    // Stands in for a relay in the middle of its pass: the first rows are locked, not yet marked.
    const holder = withTransaction(orm.em.fork(), async (em) => {
      await em.execute(`select seq from "${SCHEMA}".outbox where id in (?) for update`, [lockedIds]);
      locked.open();
      await release.promise;
    });
    await locked.promise;

    const other = newRelay();
    const publishing = other.publishPending();
    let timer: NodeJS.Timeout | undefined;
    try {
      const waited = new Promise<'waited for the locked rows'>((resolve) => {
        timer = setTimeout(() => resolve('waited for the locked rows'), 3000);
      });
      expect(await Promise.race([publishing, waited])).toBe(3);
      for (const id of ids) expect(Boolean(await queue('kit-bulk').getJob(id))).toBe(!lockedIds.includes(id));
    } finally {
      clearTimeout(timer);
      release.open();
      await holder;
      await publishing.catch(() => undefined);
    }
    expect(await other.publishPending()).toBe(3);
    for (const id of ids) expect(await queue('kit-bulk').getJob(id)).toBeDefined();
    expect((await streamEvents('kit-bulk')).filter((e) => e.event === 'duplicated')).toEqual([]);
  });

  it('When two relays run concurrently, then each event is published exactly once', async () => {
    const total = 200;
    const ids = await withTransaction(orm.em.fork(), async (em) => {
      const written: string[] = [];
      for (let i = 0; i < total; i++) written.push(await writeOutboxEvent(em, SCHEMA, 'kit.bulk', { i, phase: 'race' }));
      return written;
    });
    const before = (await streamEvents('kit-bulk')).length;

    const [a, b] = await Promise.all([drain(newRelay(10)), drain(newRelay(10))]);

    expect(a + b).toBe(total);
    const events = (await streamEvents('kit-bulk')).slice(before);
    expect(events.filter((e) => e.event === 'duplicated')).toEqual([]);
    const added = events.filter((e) => e.event === 'added').map((e) => e.jobId);
    expect(added).toHaveLength(total);
    expect(new Set(added)).toEqual(new Set(ids));
    expect(await sql(`select 1 from "${SCHEMA}".outbox where published_at is null`)).toHaveLength(0);
  });

  it('When Redis comes back empty (the events it held are gone), then a started relay publishes the recent events again', async () => {
    const id = await commitEvent('kit.fanout', { phase: 'lost' });
    await drain(relay);
    expect(await jobState('kit-inspect', id)).toBe('waiting');
    // What a restart without persistence leaves: no queued job, no key of the relay's.
    await queue('kit-inspect').obliterate({ force: true });
    await redis.del(`${prefix}:outbox-relay:${SCHEMA}`);
    expect(await jobState('kit-inspect', id)).toBeUndefined();

    const restarted = newRelay();
    restarted.start();
    await waitFor('the lost event to be queued again', async () => (await jobState('kit-inspect', id)) === 'waiting');
    await restarted.stop();
    expect(await jobState('kit-inspect-2', id)).toBe('waiting');
  });

  it('When the relay is started, then it publishes committed events on its own until stopped', async () => {
    const background = newRelay();
    background.start();
    const id = await commitEvent('kit.consumed', { via: 'timer' });
    await waitFor('the background relay to publish and the consumer to handle', async () => (await countOf('effects', id)) === 1);
    await background.stop();
    expect(await jobState('kit-consume', id)).toBe('completed');
  });
});
