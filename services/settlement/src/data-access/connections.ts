import type { MikroORM } from '@mikro-orm/postgresql';
import { sqlOn, type Sql } from '@esc/service-kit';
import { withSqlClient, withSqlTransaction } from '@esc/service-kit/hot';

/**
 * A transaction on a raw connection of the ORM's pool: settlement's set-based statements over a
 * period's lines run here, where the ORM's client-side parameter formatting would cost more than the
 * work. Serialization failures and deadlocks are retried as a whole.
 */
export function inRawTransaction<T>(orm: MikroORM, work: (sql: Sql) => Promise<T>): Promise<T> {
  return withSqlTransaction(orm, (client) => work(sqlOn(client)));
}

/** A raw connection of the ORM's pool without a transaction: reads, and writes that stand alone. */
export function onRawConnection<T>(orm: MikroORM, work: (sql: Sql) => Promise<T>): Promise<T> {
  return withSqlClient(orm, (client) => work(sqlOn(client)));
}
