import request from 'supertest';
import { DEMO_CENTER_USERS, DEMO_PASSWORD } from '../demo-data/demo-organisation';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';

describe.each(enginesUnderTest())('authentication (%s)', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(engine, { env: { LOGIN_MAX_FAILURES: '5', LOGIN_LOCK_DURATION: '15m' } });
  });

  afterAll(async () => {
    await t.close();
  });

  const login = (username: string, password: string) => request(t.server).post('/api/auth/login').send({ username, password });

  it('every demo user can log in with the demo password', async () => {
    const users = await t.get('admin', '/api/users?pageSize=100');
    const all: { username: string; role: string }[] = [...users.body.items];
    for (let page = 2; all.length < users.body.total; page++) {
      all.push(...(await t.get('admin', `/api/users?pageSize=100&page=${page}`)).body.items);
    }
    const usernames = all.map((u) => u.username);
    expect(usernames).toEqual(expect.arrayContaining(DEMO_CENTER_USERS.map((u) => u.username)));
    expect(usernames).toEqual(expect.arrayContaining(['cgj_admin', 'cgj_handler', 'dc_cy_1_handler', 'water_handler']));
    expect(all.length).toBeGreaterThanOrEqual(7 + 2 * 30);
    for (const username of usernames) {
      const response = await login(username, DEMO_PASSWORD);
      expect({ username, status: response.status }).toEqual({ username, status: 200 });
      expect(response.body.user.username).toBe(username);
    }
  });

  it('login answers tokens and the user with role and unit; GET /api/me answers the same user', async () => {
    const response = await login('dc_cy_handler', DEMO_PASSWORD);
    expect(response.body).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
      user: { username: 'dc_cy_handler', role: 'handler', unit: { code: 'dc_cy', type: 'street' } },
    });
    const me = await request(t.server).get('/api/me').set('Authorization', `Bearer ${response.body.accessToken}`);
    expect(me.status).toBe(200);
    expect(me.body).toEqual(response.body.user);
  });

  it('rejects a wrong password or unknown user with the same 401', async () => {
    const wrong = await login('agent2', 'nope');
    const unknown = await login('nobody', 'nope');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it('locks the account for 15 minutes after 5 failed logins', async () => {
    for (let i = 1; i <= 4; i++) expect((await login('reviewer1', 'wrong')).status).toBe(401);
    const fifth = await login('reviewer1', 'wrong');
    expect(fifth.status).toBe(423);
    expect(fifth.body.message).toMatch(/locked for 15 minutes/);
    const right = await login('reviewer1', DEMO_PASSWORD);
    expect(right.status).toBe(423);
    t.clock.set(new Date(Date.now() + 16 * 60_000));
    try {
      expect((await login('reviewer1', DEMO_PASSWORD)).status).toBe(200);
    } finally {
      t.clock.set(null);
    }
  });

  it('refresh trades a refresh token for a new pair; logout revokes it; an access token is not a refresh token', async () => {
    const first = await login('callback1', DEMO_PASSWORD);
    const refreshed = await request(t.server).post('/api/auth/refresh').send({ refreshToken: first.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.user.username).toBe('callback1');
    const misuse = await request(t.server).post('/api/auth/refresh').send({ refreshToken: first.body.accessToken });
    expect(misuse.status).toBe(401);
    const out = await request(t.server).post('/api/auth/logout').set('Authorization', `Bearer ${refreshed.body.accessToken}`);
    expect(out.status).toBe(204);
    const revoked = await request(t.server).post('/api/auth/refresh').send({ refreshToken: refreshed.body.refreshToken });
    expect(revoked.status).toBe(401);
    expect(revoked.body.message).toMatch(/revoked/);
  });

  it('protects every API route: no token, a bad token or a refresh token as access token → 401', async () => {
    expect((await request(t.server).get('/api/work-orders')).status).toBe(401);
    expect((await request(t.server).get('/api/work-orders').set('Authorization', 'Bearer not-a-token')).status).toBe(401);
    const pair = await login('agent1', DEMO_PASSWORD);
    const wrongKind = await request(t.server).get('/api/me').set('Authorization', `Bearer ${pair.body.refreshToken}`);
    expect(wrongKind.status).toBe(401);
    expect((await request(t.server).get('/api/health')).status).toBe(200);
  });

  it('access tokens expire', async () => {
    const pair = await login('agent1', DEMO_PASSWORD);
    const realNow = Date.now;
    Date.now = () => realNow() + 16 * 60_000;
    try {
      const response = await request(t.server).get('/api/me').set('Authorization', `Bearer ${pair.body.accessToken}`);
      expect(response.status).toBe(401);
      expect(response.body.message).toMatch(/expired/);
    } finally {
      Date.now = realNow;
    }
  });
});
