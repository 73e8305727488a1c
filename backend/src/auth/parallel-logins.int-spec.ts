import request from 'supertest';
import { DEMO_PASSWORD } from '../demo-data/demo-organisation';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';

/**
 * A shift starts: many different people log in at the same moment. No login may fail because another user's login
 * held a lock (on MariaDB a range delete of expired refresh tokens once gap-locked neighbouring users' inserts and
 * deadlocked them into 409 "busy").
 */
describe.each(enginesUnderTest())('parallel logins of different users (%s)', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(engine, { env: { RATE_LIMIT_LOGIN_PER_IP: '1000' } });
  });

  afterAll(async () => {
    await t.close();
  });

  it('lets 20 users log in at once, twice over (the second round also drops nothing it should keep)', async () => {
    const users = (await t.get('admin', '/api/users?pageSize=100')).body;
    const usernames: string[] = (Array.isArray(users) ? users : users.items)
      .map((u: { username: string }) => u.username)
      .filter((name: string) => name !== 'admin')
      .slice(0, 20);
    expect(usernames.length).toBe(20);
    for (let round = 0; round < 2; round++) {
      const answers = await Promise.all(usernames.map((username) => request(t.server).post('/api/auth/login').send({ username, password: DEMO_PASSWORD })));
      expect(answers.map((a) => a.status)).toEqual(usernames.map(() => 200));
      expect(answers.every((a) => typeof a.body.accessToken === 'string' && typeof a.body.refreshToken === 'string')).toBe(true);
    }
  });
});
