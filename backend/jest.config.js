/** Unit tests (*.spec.ts) and database-backed integration tests (*.int-spec.ts), which run on SQLite and, with TEST_MYSQL_URL, on MariaDB/MySQL. */
module.exports = {
  rootDir: 'src',
  testEnvironment: 'node',
  testRegex: '.*\\.(int-)?spec\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.spec.json' }] },
  globalSetup: '<rootDir>/testing/global-setup.ts',
  testTimeout: 60000,
};
