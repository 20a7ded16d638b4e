/** Integration tests share one PostgreSQL and Redis; each test file gets its own database. Web component tests run in jsdom. */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } } }],
    '^.+\\.m?js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // ESM-only packages (the web app's, MikroORM 7 and its Kysely) are compiled to CommonJS like our own code.
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/)?(d3-[^/]*|internmap|@gravity-ui|@bem-react|@mikro-orm|kysely|openid-client|oauth4webapi|jose)[@+/])'],
  moduleNameMapper: { '\\.(css|scss)$': '<rootDir>/services/web/test/style-stub.js' },
  testMatch: [
    '<rootDir>/services/*/test/**/*.test.ts',
    '<rootDir>/services/web/test/**/*.test.tsx',
    '<rootDir>/packages/*/test/**/*.test.ts',
    '<rootDir>/tests/**/*.test.ts',
  ],
  testTimeout: 60000,
  globalSetup: '<rootDir>/jest.global-setup.ts',
  globalTeardown: '<rootDir>/infra/dev/jest-global-teardown.ts',
};
