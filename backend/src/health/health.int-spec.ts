import request from 'supertest';
import { startTestApp, type TestApp } from '../testing/test-app';

describe('health and correlation ids', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });

  afterAll(async () => {
    await t.close();
  });

  it('GET /api/health checks the database without a login', async () => {
    const response = await request(t.server).get('/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', database: { status: 'up' } });
  });

  it('echoes a sane incoming correlation id and makes one otherwise', async () => {
    const given = await request(t.server).get('/api/health').set('x-correlation-id', 'call-20261122-0001');
    expect(given.headers['x-correlation-id']).toBe('call-20261122-0001');
    const made = await request(t.server).get('/api/health').set('x-correlation-id', 'bad id with spaces');
    expect(made.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 503 when the database is gone', async () => {
    const { DataSource } = await import('typeorm');
    const dataSource = t.app.get(DataSource);
    await dataSource.destroy();
    const response = await request(t.server).get('/api/health');
    expect(response.status).toBe(503);
    expect(response.body.message).toBe('The database does not answer');
    await dataSource.initialize();
  });
});
