export * from './database';
export * from './gateway';
export * from './http';
export * from './pgbench';
export * from './cpu';
export * from './bench-connection';
export * from './idempotency';
export * from './esia-dev';
