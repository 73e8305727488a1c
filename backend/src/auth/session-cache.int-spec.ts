import request from 'supertest';
import { DataSource } from 'typeorm';
import { User } from '../users/user.entity';
import { UserAccountsService } from '../users/user-accounts.service';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';

/**
 * The guard checks tokens against a per-process cache of each user's session state (issue 8): no read of the user per
 * request, and still every change that ends sessions is in force at once, because it publishes `cache.user` once
 * committed.
 */
describe.each(enginesUnderTest())('session state cache (%s)', (engine) => {
  let t: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await startTestApp(engine);
    dataSource = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t.close();
  });

  const me = (accessToken: string) => request(t.server).get('/api/me').set('Authorization', `Bearer ${accessToken}`);
  const login = async (username: string): Promise<string> => {
    const response = await request(t.server).post('/api/auth/login').send({ username, password: 'Demo@12345' });
    expect(response.status).toBe(200);
    return response.body.accessToken as string;
  };
  const userId = async (username: string) => (await dataSource.getRepository(User).findOneByOrFail({ username })).id;

  /** Counts the statements that read the users table while `work` runs. */
  async function userReadsDuring(work: () => Promise<unknown>): Promise<number> {
    const logger = dataSource.logger;
    const original = logger.logQuery;
    let reads = 0;
    logger.logQuery = (query, parameters, queryRunner) => {
      if (/^\s*SELECT\b/i.test(query) && /[`"]users[`"]/.test(query)) reads++;
      original.call(logger, query, parameters, queryRunner);
    };
    try {
      await work();
    } finally {
      logger.logQuery = original;
    }
    return reads;
  }

  it('serves a known token without reading the user again', async () => {
    const token = await login('reviewer1');
    expect((await me(token)).status).toBe(200);
    const reads = await userReadsDuring(async () => {
      for (let i = 0; i < 5; i++) expect((await request(t.server).get('/api/categories').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    });
    expect(reads).toBe(0);
  });

  it('refuses the token of a user disabled a moment ago at once, although the state was cached', async () => {
    const token = await login('dispatcher1');
    expect((await me(token)).status).toBe(200);
    expect(await t.app.get(UserAccountsService).sessionState(await userId('dispatcher1'))).toMatchObject({ active: true });
    const patch = await request(t.server)
      .patch(`/api/users/${await userId('dispatcher1')}`)
      .set('Authorization', `Bearer ${await t.token('admin')}`)
      .send({ active: false });
    expect(patch.status).toBe(200);
    const refused = await me(token);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/deactivated/);
  });

  it('a write to users made outside the services (a script through the DataSource) drops the cached state too', async () => {
    const token = await login('supervisor1');
    expect((await me(token)).status).toBe(200);
    await dataSource.getRepository(User).increment({ username: 'supervisor1' }, 'tokenVersion', 1);
    expect((await me(token)).status).toBe(401);
  });
});
