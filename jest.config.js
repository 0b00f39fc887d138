/**
 * One jest run for the whole monorepo. Tests import workspace packages from
 * their sources, so `npm test` needs no build for unit tests; the end-to-end
 * tests run the built services (`npm test` builds first).
 */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@srs/testkit/pure$': '<rootDir>/packages/testkit/src/pure',
    '^@srs/(browser-kit|classifier|config|core|db|devstack|http|logging|queue|testkit)$': '<rootDir>/packages/$1/src',
  },
  rootDir: __dirname,
};

module.exports = {
  testTimeout: 60_000,
  // Integration tests mostly wait on I/O (Kannel, Redis, PostgreSQL): more workers than cores pays off.
  maxWorkers: 4,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/packages/*/src/**/*.test.ts',
        '<rootDir>/services/*/src/**/*.test.ts',
        '<rootDir>/test/deployment/**/*.test.ts',
        '<rootDir>/test/docs/**/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/packages/*/test/**/*.test.ts',
        '<rootDir>/services/*/test/**/*.test.ts',
        '<rootDir>/test/integration/**/*.test.ts',
        '<rootDir>/test/e2e/**/*.test.ts',
      ],
    },
  ],
};
