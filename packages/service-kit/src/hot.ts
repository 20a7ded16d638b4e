/**
 * The hot paths' machinery, imported from `@esc/service-kit/hot` so that using it is a visible decision:
 * raw connections and transactions outside the ORM, pipelined transactions, group commit, routes served
 * in front of Express, and hand-built array literals. Everything else goes through the main entry point.
 */
export * from './sql-transaction';
export * from './sql-arrays';
export * from './group-commit';
export * from './fast-routes';
