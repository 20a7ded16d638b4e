import { MikroORM, type EntityManager, type Options, type PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { MigrationObject } from '@mikro-orm/core';
import type { Logger } from './logger';
import { sqlOf } from './sql';

export type { EntityManager };

export interface OrmOptions {
  databaseUrl: string;
  schema: string;
  entities: Options['entities'];
  migrations: MigrationObject[];
  poolMax?: number;
  logger?: Logger;
}

export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  const orm = await MikroORM.init<PostgreSqlDriver>({
    clientUrl: options.databaseUrl,
    schema: options.schema,
    entities: options.entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    pool: { min: 0, max: options.poolMax ?? 10 },
    migrations: {
      tableName: `${options.schema}.mikro_orm_migrations`,
      migrationsList: options.migrations,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    debug: false,
    logger: (message) => options.logger?.debug(message),
  });
  return orm as MikroORM;
}

export async function migrate(orm: MikroORM, schema: string): Promise<void> {
  await sqlOf(orm.em.fork()).run(`create schema if not exists "${schema}"`);
  await orm.migrator.up();
}

const RETRYABLE = new Set(['40001', '40P01']);

function sqlState(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code ?? e?.cause?.code;
}

/**
 * One business operation, one transaction. A call inside an open transaction joins it, so use cases
 * compose; the outermost call retries serialization failures and deadlocks.
 */
export async function withTransaction<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>, attempts = 4): Promise<T> {
  if (em.isInTransaction()) return work(em);
  for (let attempt = 1; ; attempt++) {
    try {
      return await em.transactional((tx) => work(tx as EntityManager));
    } catch (err) {
      const state = sqlState(err);
      if (attempt >= attempts || !state || !RETRYABLE.has(state)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
    }
  }
}
