/** Cross-package end-to-end tests: the built server as a real process, its API, and the console in Chromium. */
module.exports = {
  testEnvironment: 'node',
  testRegex: '.*\\.e2e-spec\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testTimeout: 120000,
  // The SQLite database with the demo data that fresh servers start on, made once per run (support/server.ts).
  globalSetup: '<rootDir>/support/global-setup.ts',
  globalTeardown: '<rootDir>/support/global-teardown.ts',
  // Two suites at a time (jest's own default on a 2-core machine is one): each starts its own server on a free port
  // with its own data directory (and scratch MariaDB database, Redis key prefix), and each browser suite its own
  // Chromium; a suite waits for the events it needs, never for a time. --maxWorkers overrides it.
  maxWorkers: 2,
};
