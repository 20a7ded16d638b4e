/** Integration tests share one PostgreSQL and Redis; each test file gets its own database. */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testMatch: ['<rootDir>/services/*/test/**/*.test.ts', '<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/tests/**/*.test.ts'],
  testTimeout: 60000,
  globalSetup: '<rootDir>/jest.global-setup.ts',
  globalTeardown: '<rootDir>/infra/dev/jest-global-teardown.ts',
};
