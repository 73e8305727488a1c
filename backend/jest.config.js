/** Unit tests (*.spec.ts) and database-backed integration tests (*.int-spec.ts), which run on SQLite and, with TEST_MYSQL_URL, on MariaDB/MySQL. */
module.exports = {
  rootDir: 'src',
  testEnvironment: 'node',
  testRegex: '.*\\.(int-)?spec\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.spec.json' }] },
  // Checks MariaDB, and migrates and seeds the run's template databases (testing/database-templates.ts).
  globalSetup: '<rootDir>/testing/global-setup.ts',
  globalTeardown: '<rootDir>/testing/global-teardown.ts',
  testTimeout: 60000,
  // Two suites at a time, also on a 2-core machine (jest's own default there is one): each suite has its own SQLite
  // file, scratch MariaDB database, Redis key prefix and ports, and much of a suite's time is spent waiting on the
  // database. Halves the run on CI's 2 cores (docs/architecture.md, "Tests"); --maxWorkers overrides it.
  maxWorkers: 2,
};
