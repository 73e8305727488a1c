import { TEST_PASSWORD_HASH_ENV } from '../testing/test-password-hash';
import { ConfigValidationError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('defaults to the embedded SQLite database, port 3000 and Asia/Shanghai', () => {
    const sut = loadConfig({});
    expect(sut.database).toMatchObject({ engine: 'sqlite', sqlitePath: './data/jiesu.sqlite' });
    expect(sut.port).toBe(3000);
    expect(sut.centerTimeZone).toBe('Asia/Shanghai');
    expect(sut.auth).toMatchObject({ accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 7 * 86400, loginMaxFailures: 5, loginLockSeconds: 900 });
    expect(sut.attachments.maxBytes).toBe(20 * 1024 * 1024);
    expect(sut.seedDemoData).toBe(true);
  });

  it('hashes passwords at argon2id 64 MiB, 3 iterations, 4 lanes unless PASSWORD_HASH_* says otherwise', () => {
    expect(loadConfig({}).auth.passwordHash).toEqual({ memoryKib: 65536, iterations: 3, parallelism: 4 });
    const sut = loadConfig({ NODE_ENV: 'production', PASSWORD_HASH_MEMORY_KIB: '19456', PASSWORD_HASH_ITERATIONS: '2', PASSWORD_HASH_PARALLELISM: '1' });
    expect(sut.auth.passwordHash).toEqual({ memoryKib: 19456, iterations: 2, parallelism: 1 });
  });

  it.each([
    [{ PASSWORD_HASH_MEMORY_KIB: '19455' }, 'PASSWORD_HASH_MEMORY_KIB: must be at least 19456 KiB'],
    [{ PASSWORD_HASH_ITERATIONS: '1' }, 'PASSWORD_HASH_ITERATIONS: must be at least 2'],
    [{ PASSWORD_HASH_MEMORY_KIB: '64', PASSWORD_HASH_PARALLELISM: '16', NODE_ENV: 'test' }, 'must be at least 8 KiB per lane (128 KiB for PASSWORD_HASH_PARALLELISM=16)'],
    [{ PASSWORD_HASH_PARALLELISM: '0' }, 'PASSWORD_HASH_PARALLELISM'],
    [{ PASSWORD_HASH_MEMORY_KIB: 'lots' }, 'PASSWORD_HASH_MEMORY_KIB: must be a number of KiB'],
  ])('refuses a password hash cost below the floor or argon2 limits: %j', (env, message) => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...env })).toThrow(ConfigValidationError);
    expect(() => loadConfig({ NODE_ENV: 'production', ...env })).toThrow(message);
  });

  it('allows a password hash cost below OWASP\'s floor only with NODE_ENV=test (the tests hash hundreds of passwords)', () => {
    expect(loadConfig({ NODE_ENV: 'test', ...TEST_PASSWORD_HASH_ENV }).auth.passwordHash).toEqual({ memoryKib: 1024, iterations: 1, parallelism: 1 });
    expect(() => loadConfig({ NODE_ENV: 'development', ...TEST_PASSWORD_HASH_ENV })).toThrow('less is allowed only with NODE_ENV=test');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(3000);
  });

  it('takes MySQL and MariaDB URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://u:p@db:3306/jiesu' }).database).toMatchObject({ engine: 'mysql', url: 'mysql://u:p@db:3306/jiesu', sqlitePath: null });
    expect(loadConfig({ DATABASE_URL: 'mariadb://u@db/jiesu' }).database).toMatchObject({ engine: 'mysql', url: 'mysql://u@db/jiesu' });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'postgres://db/jiesu' }, /DATABASE_URL: must start with sqlite: or mysql:\/\//],
    [{ ACCESS_TOKEN_TTL: '15 minutes' }, /ACCESS_TOKEN_TTL: expected a duration/],
    [{ CENTER_TIMEZONE: 'Mars/Olympus' }, /CENTER_TIMEZONE: must be an IANA time zone/],
    [{ JWT_SECRET: 'jiesu-development-secret-change-me' }, /JWT_SECRET: is the secret published in an earlier version/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET: must be at least 16 characters/],
    [{ RATE_LIMIT_API_PER_USER: '0' }, /RATE_LIMIT_API_PER_USER/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL: must start with redis:\/\//],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ CTI_AGENT_GRACE: '30 seconds' }, /CTI_AGENT_GRACE: expected a duration/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigValidationError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads durations in s, m, h and d', () => {
    expect(loadConfig({ ACCESS_TOKEN_TTL: '30s', REFRESH_TOKEN_TTL: '12h', LOGIN_LOCK_DURATION: '1d' }).auth).toMatchObject({
      accessTokenTtlSeconds: 30,
      refreshTokenTtlSeconds: 43200,
      loginLockSeconds: 86400,
    });
  });

  it('gives agents 30 s without a console before they go offline, or CTI_AGENT_GRACE', () => {
    expect(loadConfig({}).cti.agentGraceSeconds).toBe(30);
    expect(loadConfig({ CTI_AGENT_GRACE: '2m' }).cti.agentGraceSeconds).toBe(120);
  });

  it('never seeds demo data in production, whatever SEED_DEMO_DATA says', () => {
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO_DATA: 'auto' }).seedDemoData).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development', SEED_DEMO_DATA: 'auto' }).seedDemoData).toBe(true);
  });

  it('has no JWT secret of its own: unset means the generated one in the data directory', () => {
    expect(loadConfig({}).auth.jwtSecret).toBeNull();
    expect(loadConfig({ NODE_ENV: 'production' }).auth.jwtSecret).toBeNull();
    expect(loadConfig({ JWT_SECRET: 'a-long-enough-secret' }).auth.jwtSecret).toBe('a-long-enough-secret');
  });

  it('reads the rate limits, with defaults', () => {
    expect(loadConfig({}).rateLimits).toEqual({ windowSeconds: 60, loginPerUsername: 10, loginPerIp: 30, apiPerUser: 1200 });
    expect(loadConfig({ RATE_LIMIT_WINDOW: '5m', RATE_LIMIT_LOGIN_PER_USERNAME: '3' }).rateLimits).toMatchObject({ windowSeconds: 300, loginPerUsername: 3 });
  });
});
