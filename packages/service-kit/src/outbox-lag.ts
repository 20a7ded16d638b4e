import type { MikroORM } from '@mikro-orm/postgresql';
import { sqlOf } from './sql';

/** Unpublished outbox rows and the oldest one's age in seconds (the partial index outbox_unpublished serves it). */
export function outboxLagReader(orm: MikroORM, schema: string): () => Promise<{ unpublished: number; oldestAgeSeconds: number }> {
  return async () => {
    const [row] = await sqlOf(orm.em.fork()).rows<{ unpublished: string; oldest_age: string | null }>(
      `select count(*) as unpublished, extract(epoch from clock_timestamp() - min(occurred_at)) as oldest_age
         from "${schema}".outbox where published_at is null`,
    );
    return { unpublished: Number(row?.unpublished ?? 0), oldestAgeSeconds: Math.max(0, Number(row?.oldest_age ?? 0)) };
  };
}
