import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from './logger';
import { withTransaction, type EntityManager } from './orm';
import { sqlOf } from './sql';
import { watchRedisEmptied, type RedisEmptiedWatch } from './redis';

/** Batches hold it shared, a republish after Redis came back empty exclusively. */
const relayLockName = (schema: string) => `${schema}.outbox-relay`;

export interface EventEnvelope<P = unknown> {
  id: string;
  topic: string;
  occurred_at: string;
  payload: P;
}

/** DDL for a service's outbox and its consumer log; each service runs it in its first migration. */
export function outboxSchemaSql(schema: string): string[] {
  return [
    `create table "${schema}".outbox (
       seq bigserial primary key,
       id uuid not null unique,
       topic text not null,
       payload jsonb not null,
       occurred_at timestamptz not null default clock_timestamp(),
       published_at timestamptz
     )`,
    `create index outbox_unpublished on "${schema}".outbox (seq) where published_at is null`,
    `create table "${schema}".processed_events (
       consumer text not null,
       event_id uuid not null,
       processed_at timestamptz not null default now(),
       primary key (consumer, event_id)
     )`,
  ];
}

/** Writes an event in the caller's transaction: it leaves only if the change commits. */
export async function writeOutboxEvent(em: EntityManager, schema: string, topic: string, payload: unknown, id: string = randomUUID()) {
  await sqlOf(em).run(`insert into "${schema}".outbox (id, topic, payload) values ($1, $2, $3) on conflict (id) do nothing`, [id, topic, JSON.stringify(payload)]);
  return id;
}

export interface OutboxRelayOptions {
  orm: MikroORM;
  schema: string;
  connection: Redis;
  /** Which queues receive each topic; a topic nobody subscribes to is marked published and dropped. */
  routes: Record<string, string[]>;
  logger: Logger;
  intervalMs?: number;
  batchSize?: number;
  /** BullMQ key prefix (QUEUE_PREFIX); consumers must use the same one. */
  prefix?: string;
  /**
   * Runs in the relay's transaction once a batch is on its queues, just before it is marked published:
   * what it writes commits exactly when the batch is marked, so it sees each event once, in outbox order.
   */
  onBatch?: (em: EntityManager, events: EventEnvelope[]) => Promise<void>;
  /**
   * When Redis comes back empty, the events published this long ago or later are published again (their
   * consumers skip what they handled): an event may have waited that long in a queue for a consumer
   * that was down. Default 7 days.
   */
  replayWindowMs?: number;
  /** How often the relay looks whether Redis has come back empty (besides on every reconnection). */
  emptiedCheckEveryMs?: number;
}

/**
 * Moves committed outbox rows to BullMQ. Delivery is at least once: the job id is the event id, so a
 * re-publish after a crash is deduplicated by BullMQ, and consumers record what they handled.
 */
export class OutboxRelay {
  private readonly queues = new Map<string, Queue>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = false;
  private watch?: RedisEmptiedWatch;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    const { connection, prefix = 'bull', schema, logger } = this.options;
    this.watch = watchRedisEmptied(connection, `${prefix}:outbox-relay:${schema}`, async () => void (await this.republishRecent()), logger, this.options.emptiedCheckEveryMs);
    const tick = async () => {
      if (this.stopped) return;
      try {
        while ((await this.publishPending()) === (this.options.batchSize ?? 500));
      } catch (err) {
        this.options.logger.warn({ err }, 'outbox relay pass failed; retrying');
      }
      if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs ?? 250);
    };
    this.timer = setTimeout(tick, 0);
  }

  /**
   * Marks the events of the replay window unpublished, so that the relay publishes them again. It waits
   * for the batches in flight (in every process) to commit: a batch whose jobs went to the Redis that
   * died would otherwise be marked published after this update and never be published again.
   */
  async republishRecent(): Promise<number> {
    const { orm, schema, replayWindowMs = 7 * 24 * 3600 * 1000 } = this.options;
    const marked = await withTransaction(orm.em.fork(), async (em) => {
      await sqlOf(em).run(`select pg_advisory_xact_lock(hashtext($1))`, [relayLockName(schema)]);
      return sqlOf(em).run(`update "${schema}".outbox set published_at = null where published_at >= clock_timestamp() - $1 * interval '1 millisecond'`, [replayWindowMs]);
    });
    if (marked) this.options.logger.warn({ events: marked }, 'publishing again the outbox events Redis may have lost');
    return marked;
  }

  async publishPending(): Promise<number> {
    this.running = this.publishBatch();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.options.connection, prefix: this.options.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  private async publishBatch(): Promise<number> {
    const { orm, schema, routes } = this.options;
    return withTransaction(orm.em.fork(), async (em) => {
      await sqlOf(em).run(`select pg_advisory_xact_lock_shared(hashtext($1))`, [relayLockName(schema)]);
      const rows = await sqlOf(em).rows<{ seq: string; id: string; topic: string; payload: unknown; occurred_at: string }>(
        `select seq, id, topic, payload, occurred_at from "${schema}".outbox
          where published_at is null order by seq limit $1 for update skip locked`,
        [this.options.batchSize ?? 500],
      );
      if (rows.length === 0) return 0;
      const envelopes = rows.map((row): EventEnvelope => ({ id: row.id, topic: row.topic, occurred_at: row.occurred_at, payload: row.payload }));
      for (const envelope of envelopes) {
        for (const queueName of routes[envelope.topic] ?? []) {
          await this.queue(queueName).add(envelope.topic, envelope, {
            jobId: envelope.id,
            attempts: 10,
            backoff: { type: 'exponential', delay: 500 },
            removeOnComplete: { age: 24 * 3600 },
            removeOnFail: false,
          });
        }
      }
      await this.options.onBatch?.(em, envelopes);
      await sqlOf(em).run(`update "${schema}".outbox set published_at = clock_timestamp() where seq = any($1::bigint[])`, [rows.map((r) => r.seq)]);
      return rows.length;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.watch?.stop();
    await this.running?.catch(() => undefined);
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

export type EventHandler = (event: EventEnvelope, em: EntityManager) => Promise<void>;

export interface EventConsumerOptions {
  orm: MikroORM;
  schema: string;
  consumer: string;
  queueName: string;
  connection: Redis;
  handlers: Record<string, EventHandler>;
  logger: Logger;
  /** BullMQ key prefix (QUEUE_PREFIX); the same as the relay's. */
  prefix?: string;
  concurrency?: number;
  /**
   * BullMQ lock of an event being handled (default 30 s): after a crash, the event is handled again once
   * its lock lapses and a worker finds it stalled (checked every half lock).
   */
  lockMs?: number;
}

/** Handles each event exactly once in effect: the handler and the "processed" mark commit together. */
export function createEventConsumer(options: EventConsumerOptions): Worker {
  const { orm, schema, consumer, handlers, logger } = options;
  const worker = new Worker(
    options.queueName,
    async (job: Job<EventEnvelope>) => {
      const event = job.data;
      const handler = handlers[event.topic];
      if (!handler) throw new Error(`No handler for event topic ${event.topic} in consumer ${consumer}`);
      await withTransaction(orm.em.fork(), async (em) => {
        const inserted = await sqlOf(em).run(`insert into "${schema}".processed_events (consumer, event_id) values ($1, $2) on conflict do nothing`, [
          consumer,
          event.id,
        ]);
        if (inserted === 0) return;
        await handler(event, em);
      });
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 4,
      ...(options.lockMs ? { lockDuration: options.lockMs, stalledInterval: Math.max(500, Math.floor(options.lockMs / 2)) } : {}),
    },
  );
  // Without an 'error' listener an emitted error would be thrown by the EventEmitter.
  worker.on('failed', (job, err) => logger.warn({ err, consumer, jobId: job?.id, topic: job?.data?.topic }, 'event handling failed'));
  worker.on('error', (err) => logger.warn({ err, consumer, queue: options.queueName }, 'event consumer error'));
  return worker;
}
