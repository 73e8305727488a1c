import request from 'supertest';
import { DEMO_PASSWORD } from '../../demo-data/demo-organisation';
import { enginesUnderTest, startTestApp, type TestApp } from '../../testing/test-app';

/** Checks a 429: the documented error body and a Retry-After header in whole seconds within the window. */
function expectTooMany(response: request.Response, message: RegExp): void {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(message), correlationId: expect.any(String), code: 'RATE_LIMITED' });
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe.each(enginesUnderTest())('rate limits (%s)', (engine) => {
  let t: TestApp;
  const login = (username: string, password: string, ip = '127.0.0.1') =>
    request(t.server).post('/api/auth/login').set('X-Forwarded-For', ip).send({ username, password });

  beforeAll(async () => {
    t = await startTestApp(engine, {
      env: {
        RATE_LIMIT_WINDOW: '1m',
        RATE_LIMIT_LOGIN_PER_USERNAME: '3',
        RATE_LIMIT_LOGIN_PER_IP: '6',
        RATE_LIMIT_API_PER_USER: '20',
        // The lockout must not answer first: these tests are about the rate limits.
        LOGIN_MAX_FAILURES: '100',
      },
    });
  });

  afterAll(async () => {
    await t.close();
  });

  it('limits logins per username (whatever the case), across client addresses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await login('agent1', 'wrong', `10.0.0.${i + 1}`)).status);
    expect(statuses).toEqual([401, 401, 401]);
    const fourth = await login('AGENT1', DEMO_PASSWORD, '10.0.0.9');
    expectTooMany(fourth, /^Too many login attempts: try again in \d+ seconds$/);
    // Another username is not affected.
    expect((await login('agent2', DEMO_PASSWORD, '10.0.0.9')).status).toBe(200);
  });

  it('limits logins per client address, across usernames', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(`nobody${i}`, 'wrong', '10.1.0.1')).status);
    expect(statuses).toEqual(Array(6).fill(401));
    expectTooMany(await login('dispatcher1', DEMO_PASSWORD, '10.1.0.1'), /^Too many login attempts/);
    expect((await login('dispatcher1', DEMO_PASSWORD, '10.1.0.2')).status).toBe(200);
  });

  it('limits the whole API per user, not per route; another user has a budget of their own', async () => {
    const token = (await login('reviewer1', DEMO_PASSWORD, '10.2.0.1')).body.accessToken as string;
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const path = i % 2 === 0 ? '/api/me' : '/api/work-orders';
      statuses.push((await request(t.server).get(path).set('Authorization', `Bearer ${token}`).set('X-Forwarded-For', `10.2.1.${i}`)).status);
    }
    expect(statuses).toEqual(Array(20).fill(200));
    expectTooMany(await request(t.server).get('/api/me').set('Authorization', `Bearer ${token}`), /^Too many requests: try again in \d+ seconds$/);
    const other = (await login('callback1', DEMO_PASSWORD, '10.2.0.2')).body.accessToken as string;
    expect((await request(t.server).get('/api/me').set('Authorization', `Bearer ${other}`)).status).toBe(200);
  });

  it('limits unauthenticated requests (and requests with bad tokens) per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      statuses.push((await request(t.server).get('/api/me').set('Authorization', 'Bearer forged').set('X-Forwarded-For', '10.3.0.1')).status);
    }
    expect(statuses).toEqual(Array(20).fill(401));
    expectTooMany(await request(t.server).get('/api/health').set('X-Forwarded-For', '10.3.0.1'), /^Too many requests/);
  });
});
