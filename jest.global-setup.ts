import { ensurePostgres, ensureRedis, withDatabase } from './infra/dev/backing-services';
import { rememberForTeardown } from './infra/dev/jest-global-teardown';

/** Finds (or starts) PostgreSQL and Redis once; test workers inherit the URLs through the environment. */
export default async function globalSetup(): Promise<void> {
  const postgres = await ensurePostgres();
  const redis = await ensureRedis();
  process.env.DATABASE_URL = postgres.url;
  // packages/testing creates a database per test file through this server's maintenance database.
  process.env.TEST_DATABASE_ADMIN_URL = withDatabase(postgres.url, 'postgres');
  process.env.REDIS_URL = redis.url;
  rememberForTeardown([postgres, redis]);
}
