import { call, login, type RunningServer, startServer } from '../support/server';

/** The parts of the API's answers this test reads. */
interface Page<T> {
  total: number;
  items: T[];
}
interface CategoryNode {
  id: number;
  name: string;
  children: CategoryNode[];
}
interface Order {
  id: number;
  version: number;
  title: string;
  status: string;
  citizenPhone: string;
  timeline: unknown[];
}

/** The built server as a real process, on an empty database that it migrates and seeds, used the way a client would. */
describe('the platform as started by npm start', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({}, { empty: true });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('creates the demo data on first start and every center demo user can log in', async () => {
    for (const username of ['admin', 'agent1', 'agent2', 'dispatcher1', 'reviewer1', 'callback1', 'supervisor1', 'cgj_handler', 'dc_cy_1_admin']) {
      expect(await login(server.url, username)).toEqual(expect.any(String));
    }
    const list = await call<Page<Order>>(server.url, 'GET', '/api/work-orders?pageSize=100', await login(server.url, 'supervisor1'));
    expect(list.body.total).toBeGreaterThanOrEqual(50);
  });

  it('serves the built console at / and the API documentation at /api/docs', async () => {
    const page = await call(server.url, 'GET', '/');
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('<div id="app">');
    const deepLink = await call(server.url, 'GET', '/work-orders');
    expect(deepLink.status).toBe(200);
    const openapi = await call<{ paths: Record<string, unknown> }>(server.url, 'GET', '/api/docs-json');
    expect(Object.keys(openapi.body.paths)).toContain('/api/work-orders/{id}/dispatch');
    const unknownApi = await call(server.url, 'GET', '/api/nothing-here');
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.body).toMatchObject({ statusCode: 404, correlationId: expect.any(String) });
  });

  it('takes a citizen request from the call to closing', async () => {
    const agent = await login(server.url, 'agent1');
    const categories = await call<CategoryNode[]>(server.url, 'GET', '/api/categories', agent);
    const streetLight = categories.body.flatMap((c) => c.children).flatMap((c) => c.children).find((c) => c.name === '路灯');
    const registered = await call<Order>(server.url, 'POST', '/api/work-orders', agent, {
      channel: 'phone',
      citizenName: '端到端测试',
      citizenPhone: '13700007777',
      address: '朝阳街道朝阳路1号',
      categoryId: streetLight?.id,
      title: '路灯不亮',
      content: '朝阳路1号门口路灯不亮。',
    });
    expect(registered.status).toBe(201);
    let order = registered.body;
    const step = async (username: string, action: string, body: Record<string, unknown> = {}) => {
      const response = await call<Order>(server.url, 'POST', `/api/work-orders/${order.id}/${action}`, await login(server.url, username), { version: order.version, ...body });
      expect({ action, status: response.status }).toEqual({ action, status: 200 });
      order = response.body;
    };
    await step('dispatcher1', 'dispatch');
    await step('cgj_handler', 'accept');
    await step('cgj_handler', 'contact', { method: 'phone', note: '已联系' });
    await step('cgj_handler', 'reply', { content: '已修复' });
    // 领导审签: the bureau's admin signs the handler's reply off before it reaches the center.
    expect(order.status).toBe('unit_review');
    await step('cgj_admin', 'unit-approve-reply');
    await step('reviewer1', 'approve-reply');
    await step('callback1', 'callback', { resolved: true, satisfaction: 'satisfied' });
    expect(order.status).toBe('closed');
    expect(order.timeline).toHaveLength(8);
    const handlerView = await call<Order>(server.url, 'GET', `/api/work-orders/${order.id}`, await login(server.url, 'cgj_handler'));
    expect(handlerView.body.citizenPhone).toBe('137****7777');
  });
});

describe('the platform on MariaDB/MySQL', () => {
  const mysqlUrl = process.env.TEST_MYSQL_URL;
  const run = mysqlUrl ? it : it.skip;

  run('starts, migrates an empty database and seeds the demo data', async () => {
    const { createConnection } = await import('mysql2/promise');
    const name = `jiesu_e2e_${Date.now().toString(36)}`;
    const admin = await createConnection({ uri: mysqlUrl });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const url = new URL(mysqlUrl as string);
    url.pathname = `/${name}`;
    let server: RunningServer | null = null;
    try {
      server = await startServer({ DATABASE_URL: url.toString() });
      const health = await call<{ database: unknown }>(server.url, 'GET', '/api/health');
      expect(health.body.database).toMatchObject({ status: 'up', engine: expect.stringMatching(/mysql|mariadb/) });
      const list = await call<Page<Order>>(server.url, 'GET', '/api/work-orders?pageSize=5', await login(server.url, 'dispatcher1'));
      expect(list.body.total).toBeGreaterThanOrEqual(50);
      expect(list.body.items[0].title).toMatch(/[\u4e00-\u9fff]/);
    } finally {
      await server?.stop();
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    }
  });
});
