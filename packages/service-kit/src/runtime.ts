import type { MigrationObject } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { createJwtVerifier, type TokenVerifier } from './auth';
import { createLogger, type Logger } from './logger';
import { createOrm, migrate, type OrmOptions } from './orm';
import { createRedis } from './redis';
import { assertPipeliningSupported } from './pipelined-session';
import { sqlPipeliningOn, withSqlClient } from './sql-transaction';

export interface RuntimeConfig {
  LOG_LEVEL: string;
  DATABASE_URL: string;
  DB_POOL_MAX: number;
  RUN_MIGRATIONS: boolean;
  REDIS_URL: string;
  JWKS_URL: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
}

export interface ServiceRuntime {
  logger: Logger;
  orm: MikroORM;
  redis: Redis;
  verifier: TokenVerifier;
}

/** What every service starts with: its logger, its schema migrated, Redis, and the gateway's token verifier. */
export async function createServiceRuntime(
  service: string,
  schema: string,
  migrations: MigrationObject[],
  config: RuntimeConfig,
  entities: OrmOptions['entities'] = [],
): Promise<ServiceRuntime> {
  const logger = createLogger(service, config.LOG_LEVEL);
  const orm = await createOrm({ databaseUrl: config.DATABASE_URL, schema, entities, migrations, poolMax: config.DB_POOL_MAX, logger });
  if (config.RUN_MIGRATIONS) await migrate(orm, schema);
  // Fails start-up, not the first busy transaction, when node-postgres no longer has what pipelining uses.
  if (sqlPipeliningOn()) await withSqlClient(orm, async (client) => assertPipeliningSupported(client));
  return {
    logger,
    orm,
    redis: createRedis(config.REDIS_URL),
    verifier: createJwtVerifier({ jwksUri: config.JWKS_URL, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }),
  };
}
