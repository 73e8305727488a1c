import request from 'supertest';
import { DEMO_PASSWORD } from '../demo-data/demo-organisation';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';

const MAX_FAILURES = 5;
const PARALLEL = 40;

/** Status counts, e.g. { 401: 4, 423: 36 }. */
function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** The answers without the remaining lock time, so two lockouts made a moment apart compare equal. */
const shape = (responses: request.Response[]) =>
  responses.map((r) => `${r.status} ${String(r.body.message).replace(/\d+ minutes/, 'N minutes')}`).sort();

describe.each(enginesUnderTest())('login lockout under parallel guesses (%s)', (engine) => {
  let t: TestApp;
  const login = (username: string, password: string) => request(t.server).post('/api/auth/login').send({ username, password });
  const burst = (username: string, passwords: string[]) => Promise.all(passwords.map((password) => login(username, password)));

  beforeAll(async () => {
    t = await startTestApp(engine, { env: { LOGIN_MAX_FAILURES: String(MAX_FAILURES), LOGIN_LOCK_DURATION: '15m' } });
  });

  afterAll(async () => {
    await t.close();
  });

  it(`${PARALLEL} parallel wrong passwords: ${MAX_FAILURES - 1} × 401, the rest 423; then the right password is refused too`, async () => {
    const responses = await burst('agent1', Array.from({ length: PARALLEL }, (_, i) => `wrong-${i}`));
    expect(tally(responses.map((r) => r.status))).toEqual({ 401: MAX_FAILURES - 1, 423: PARALLEL - MAX_FAILURES + 1 });
    const right = await login('agent1', DEMO_PASSWORD);
    expect(right.status).toBe(423);
    expect(right.body.message).toMatch(/locked/);
  });

  it('an unknown username gets the identical sequence of statuses and messages', async () => {
    const known = await burst('agent2', Array.from({ length: PARALLEL }, (_, i) => `wrong-${i}`));
    const unknown = await burst('no-such-user', Array.from({ length: PARALLEL }, (_, i) => `wrong-${i}`));
    expect(shape(unknown)).toEqual(shape(known));
    const afterKnown = await login('agent2', DEMO_PASSWORD);
    const afterUnknown = await login('no-such-user', DEMO_PASSWORD);
    expect([afterUnknown.status, afterUnknown.body.message]).toEqual([afterKnown.status, afterKnown.body.message]);
  });

  it('with the right password among parallel wrong ones, it only succeeds if decided before the lock', async () => {
    const passwords = Array.from({ length: PARALLEL }, (_, i) => (i === PARALLEL / 2 ? DEMO_PASSWORD : `wrong-${i}`));
    const responses = await burst('dispatcher1', passwords);
    const counts = tally(responses.map((r) => r.status));
    const right = responses[PARALLEL / 2];
    expect([200, 423]).toContain(right.status);
    expect(counts[200] ?? 0).toBe(right.status === 200 ? 1 : 0);
    // Refused: it came after the lock, so exactly the limit's worth of guesses got a 401. Accepted: it came
    // before the lock and reset the count, so at most twice that many (before it and after it).
    if (right.status === 423) expect(counts[401]).toBe(MAX_FAILURES - 1);
    expect(counts[401]).toBeLessThanOrEqual(2 * (MAX_FAILURES - 1));
    expect((counts[401] ?? 0) + (counts[423] ?? 0) + (counts[200] ?? 0)).toBe(PARALLEL);
    expect((await login('dispatcher1', DEMO_PASSWORD)).status).toBe(423);
  });

  it('failures decay: the count starts afresh after the lock duration without failures', async () => {
    for (let i = 1; i < MAX_FAILURES; i++) expect((await login('reviewer1', 'wrong')).status).toBe(401);
    t.clock.set(new Date(Date.now() + 16 * 60_000));
    try {
      // Without the decay this would be the fifth failure and lock the account.
      expect((await login('reviewer1', 'wrong')).status).toBe(401);
      expect((await login('reviewer1', DEMO_PASSWORD)).status).toBe(200);
    } finally {
      t.clock.set(null);
    }
  });
});
