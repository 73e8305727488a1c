import request from 'supertest';
import { startTestApp, type TestApp } from './testing/test-app';
import { WORK_ORDER_ACTIONS } from './work-orders/work-order.enums';

describe('OpenAPI document', () => {
  let t: TestApp;
  let document: { paths: Record<string, Record<string, { summary?: string; requestBody?: unknown }>>; components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    const response = await request(t.server).get('/api/docs-json');
    expect(response.status).toBe(200);
    document = response.body;
  });

  afterAll(async () => {
    await t.close();
  });

  it.each(WORK_ORDER_ACTIONS)('describes POST /api/work-orders/{id}/%s with a summary and a body', (action) => {
    const operation = document.paths[`/api/work-orders/{id}/${action}`]?.post;
    expect(operation).toBeDefined();
    expect(operation.summary).toEqual(expect.any(String));
    expect(operation.requestBody).toBeDefined();
  });

  it('describes the other endpoints', () => {
    const expected: [string, string][] = [
      ['/api/auth/login', 'post'],
      ['/api/auth/refresh', 'post'],
      ['/api/auth/logout', 'post'],
      ['/api/me', 'get'],
      ['/api/work-orders', 'post'],
      ['/api/work-orders', 'get'],
      ['/api/work-orders/{id}', 'get'],
      ['/api/work-orders/{id}/attachments/{attachmentId}', 'get'],
      ['/api/attachments', 'post'],
      ['/api/units', 'get'],
      ['/api/categories', 'get'],
      ['/api/users', 'get'],
      ['/api/health', 'get'],
    ];
    for (const [path, method] of expected) expect({ path, method, present: Boolean(document.paths[path]?.[method]) }).toEqual({ path, method, present: true });
    expect(document.components.schemas).toHaveProperty('RegisterWorkOrderDto');
    expect(document.components.schemas).toHaveProperty('DispatchDto');
  });

  it('serves the Swagger UI at /api/docs', async () => {
    const response = await request(t.server).get('/api/docs/');
    expect(response.status).toBe(200);
    expect(response.text).toContain('swagger');
  });
});
