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
    [{ JWT_SECRET: 'short' }, /JWT_SECRET: must be at least 16 characters/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET: required when NODE_ENV=production/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
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
});
