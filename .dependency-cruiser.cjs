/**
 * The shape of a service, checked by `pnpm lint`: no import cycles; `domain` never reaches into `api`,
 * Express or the PostgreSQL driver; `api` reaches the data only through `domain`. The composition root
 * (`src/app.ts`, `src/main.ts`) wires everything and is exempt.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules that import each other cannot be understood or tested apart; move the shared part down a layer.',
      from: { path: '^(services|packages)/' },
      to: { circular: true },
    },
    {
      name: 'domain-not-to-api',
      severity: 'error',
      comment: 'Use cases and rules do not know HTTP: views and request parsing live in src/api.',
      from: { path: '^services/[^/]+/src/domain/' },
      to: { path: '^services/[^/]+/src/api/' },
    },
    {
      name: 'domain-not-to-express-or-driver',
      severity: 'error',
      comment: 'The domain speaks neither Express nor the database driver; stores in src/data-access do.',
      from: { path: '^services/[^/]+/src/domain/' },
      to: { path: 'node_modules/(express|pg|pg-pool|pg-protocol|knex|kysely|@types/express|@types/pg)/' },
    },
    {
      name: 'api-not-to-data-access',
      severity: 'error',
      comment: 'Routes call use cases in src/domain, which call the stores.',
      from: { path: '^services/[^/]+/src/api/' },
      to: { path: '^services/[^/]+/src/data-access/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|generated)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['cjs', 'es6'],
  },
};
