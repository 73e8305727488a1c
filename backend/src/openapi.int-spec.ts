import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DEMO_PASSWORD } from './demo-data/demo-organisation';
import { OpenApiConformance, type OpenApiDocument } from './testing/openapi-conformance';
import { startTestApp, type TestApp } from './testing/test-app';
import { WorkOrderDriver } from './testing/work-order-driver';
import { WORK_ORDER_ACTIONS } from './work-orders/work-order.enums';

describe('OpenAPI document', () => {
  let t: TestApp;
  let document: OpenApiDocument;
  let api: OpenApiConformance;

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    const response = await request(t.server).get('/api/docs-json');
    expect(response.status).toBe(200);
    document = response.body;
    api = new OpenApiConformance(document);
  });

  afterAll(async () => {
    await t.close();
  });

  it('names every schema class once: two DTO classes of one name would be merged into one schema', () => {
    // @nestjs/swagger keys schemas by class name: a second class of the same name silently replaces the first
    // in the document (and in the console's generated types).
    const owners = new Map<string, string[]>();
    const walk = (directory: string): void => {
      for (const entry of readdirSync(directory, { withFileTypes: true })) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(response|dto)\.ts$/.test(entry.name) || /[/\\]dto[/\\][^/\\]+\.ts$/.test(path)) {
          for (const [, name] of readFileSync(path, 'utf8').matchAll(/^export class (\w+)/gm)) owners.set(name, [...(owners.get(name) ?? []), path]);
        }
      }
    };
    walk(__dirname);
    expect([...owners].filter(([, paths]) => paths.length > 1)).toEqual([]);
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

  describe('responses', () => {
    it('every operation documents a success answer with a body schema (a 204 without one)', () => {
      for (const { path, method, operation } of operations()) {
        const successes = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
        expect({ path, method, successes: successes.length }).toEqual({ path, method, successes: 1 });
        const [status, response] = successes[0];
        const schemas = Object.values(response.content ?? {}).map((media) => media.schema);
        if (status === '204') expect({ path, method, schemas }).toEqual({ path, method, schemas: [] });
        else expect({ path, method, hasSchema: schemas.length > 0 && schemas.every(Boolean) }).toEqual({ path, method, hasSchema: true });
      }
    });

    it('every error answer is the shared error body, and every route behind the login documents 401', () => {
      for (const { path, method, operation } of operations()) {
        for (const [status, response] of Object.entries(operation.responses).filter(([s]) => /^[45]\d\d$/.test(s))) {
          expect({ path, method, status, schema: response.content?.['application/json']?.schema }).toEqual({
            path,
            method,
            status,
            schema: { $ref: '#/components/schemas/ApiErrorResponse' },
          });
        }
        if (operation.security?.length) expect({ path, method, documents401: '401' in operation.responses }).toEqual({ path, method, documents401: true });
      }
    });

    it('the work-order detail has a timeline of events and the allowed actions as an enum of every action (WORK_ORDER_ACTIONS)', () => {
      const detail = api.resolve(api.responseSchema('/api/work-orders/{id}', 'get', 200));
      expect(detail).toBe(api.schema('WorkOrderDetailResponse'));
      const { timeline, allowedActions } = detail.properties ?? {};
      expect(timeline).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/TimelineEventResponse' } });
      expect(api.schema('TimelineEventResponse').properties).toEqual(
        expect.objectContaining({ action: expect.anything(), fromStatus: expect.anything(), toStatus: expect.anything(), createdAt: { type: 'string', format: 'date-time' } }),
      );
      expect(allowedActions.type).toBe('array');
      const actionEnum = api.resolve(allowedActions.items ?? {});
      expect(actionEnum).toMatchObject({ type: 'string' });
      expect(actionEnum.enum).toEqual([...WORK_ORDER_ACTIONS]);
      expect(actionEnum.enum).toHaveLength(34);
      expect(detail.required).toEqual(expect.arrayContaining(['timeline', 'allowedActions', 'attachments', 'parent', 'children', 'linkedOrders', 'mergedOrders', 'returns']));
      for (const action of WORK_ORDER_ACTIONS) expect(api.resolve(api.responseSchema(`/api/work-orders/{id}/${action}`, 'post', 200))).toBe(detail);
    });

    it('the work-order list is a page of work orders', () => {
      const page = api.resolve(api.responseSchema('/api/work-orders', 'get', 200));
      expect(page.properties).toEqual({
        items: { type: 'array', items: { $ref: '#/components/schemas/WorkOrderResponse' } },
        total: expect.objectContaining({ type: 'integer' }),
        page: expect.objectContaining({ type: 'integer' }),
        pageSize: expect.objectContaining({ type: 'integer' }),
        totalExact: expect.objectContaining({ type: 'boolean' }),
        hasMore: expect.objectContaining({ type: 'boolean' }),
        nextCursor: expect.objectContaining({ type: 'string', nullable: true }),
      });
      expect(page.required).toEqual(expect.arrayContaining(['items', 'total', 'page', 'pageSize', 'totalExact', 'hasMore', 'nextCursor']));
    });

    it('the download is a binary body', () => {
      const content = document.paths['/api/work-orders/{id}/attachments/{attachmentId}'].get.responses['200'].content ?? {};
      expect(Object.keys(content)).toEqual(expect.arrayContaining(['image/png', 'application/pdf']));
      for (const media of Object.values(content)) expect(media.schema).toEqual({ type: 'string', format: 'binary' });
    });
  });

  // What the code really answers must match what the document says, key for key and type for type,
  // so that the schema cannot silently drift from the services.
  describe('real answers match the document', () => {
    let d: WorkOrderDriver;

    beforeAll(async () => {
      d = await new WorkOrderDriver(t).load();
    });

    const conforms = (path: string, method: string, response: request.Response) => expect(api.problemsOf(path, method, response)).toEqual([]);

    it('logging in, refreshing, /api/me and the user list', async () => {
      const login = await request(t.server).post('/api/auth/login').send({ username: 'dc_cy_handler', password: DEMO_PASSWORD });
      conforms('/api/auth/login', 'post', login);
      conforms('/api/auth/refresh', 'post', await request(t.server).post('/api/auth/refresh').send({ refreshToken: login.body.refreshToken }));
      conforms('/api/me', 'get', await request(t.server).get('/api/me').set('Authorization', `Bearer ${login.body.accessToken}`));
      conforms('/api/users', 'get', await t.get('admin', '/api/users?pageSize=100'));
      conforms('/api/auth/login', 'post', await request(t.server).post('/api/auth/login').send({ username: 'agent1', password: 'wrong' }));
    });

    it('the unit and category trees, and the health check', async () => {
      conforms('/api/units', 'get', await t.get('admin', '/api/units'));
      conforms('/api/units', 'get', await t.get('dc_handler', '/api/units'));
      conforms('/api/categories', 'get', await t.get('agent1', '/api/categories'));
      conforms('/api/health', 'get', await request(t.server).get('/api/health'));
    });

    it('a registered order, in its detail and in the list', async () => {
      const order = await d.register();
      conforms('/api/work-orders/{id}', 'get', await t.get('supervisor1', `/api/work-orders/${order.id}`));
      const list = await t.get('supervisor1', '/api/work-orders');
      expect(list.body.items.map((o: { id: number }) => o.id)).toContain(order.id);
      conforms('/api/work-orders', 'get', list);
    });

    it('an order with files, a lead and assisting units, a child, a link and a merged repeat, as the center and as a unit see it', async () => {
      const token = await t.token('agent1');
      const upload = await request(t.server).post('/api/attachments').set('Authorization', `Bearer ${token}`).attach('file', Buffer.from('现场情况说明'), '说明.txt');
      conforms('/api/attachments', 'post', upload);
      const registered = await t.post('agent1', '/api/work-orders', d.registration({ attachmentIds: [upload.body.id], latitude: 39.9, longitude: 116.4 }));
      conforms('/api/work-orders', 'post', registered);
      const order = registered.body;
      conforms(
        '/api/work-orders/{id}/dispatch',
        'post',
        await d.try('dispatcher1', order.id, 'dispatch', { leadUnitId: d.unit('dc'), assistingUnitIds: [d.unit('cgj')] }),
      );
      await d.act('dc_handler', order.id, 'accept');
      const withChild = await d.try('dc_handler', order.id, 'sub-dispatch', { unitId: d.unit('dc_cy'), instruction: '请街道现场核实' });
      conforms('/api/work-orders/{id}/sub-dispatch', 'post', withChild);
      const other = await d.register();
      await d.act('agent1', order.id, 'link', { targetId: other.id });
      const repeat = await d.dispatched('cgj');
      await d.act('agent2', repeat.id, 'merge', { targetId: order.id, note: '重复来电' });

      const center = await t.get('supervisor1', `/api/work-orders/${order.id}`);
      expect(center.body).toMatchObject({ attachments: [expect.anything()], children: [expect.anything()], linkedOrders: [expect.anything()], mergedOrders: [expect.anything()] });
      conforms('/api/work-orders/{id}', 'get', center);
      conforms('/api/work-orders/{id}', 'get', await t.get('dc_handler', `/api/work-orders/${order.id}`));
      conforms('/api/work-orders/{id}', 'get', await t.get('supervisor1', `/api/work-orders/${withChild.body.children[0].id}`));
      conforms('/api/work-orders', 'get', await t.get('dc_handler', '/api/work-orders?pageSize=100'));
    });

    it('the error answers', async () => {
      const order = await d.register();
      conforms('/api/work-orders/{id}', 'get', await t.get('supervisor1', '/api/work-orders/999999'));
      conforms('/api/work-orders/{id}', 'get', await t.get('supervisor1', '/api/work-orders/abc'));
      conforms('/api/work-orders/{id}', 'get', await request(t.server).get(`/api/work-orders/${order.id}`));
      const stale = await t.post('dispatcher1', `/api/work-orders/${order.id}/dispatch`, { version: order.version + 5 });
      expect(stale.body.details).toEqual(expect.objectContaining({ currentVersion: order.version }));
      conforms('/api/work-orders/{id}/dispatch', 'post', stale);
      const wrongRole = await d.try('reviewer1', order.id, 'dispatch');
      expect(wrongRole.status).toBe(403);
      conforms('/api/work-orders/{id}/dispatch', 'post', wrongRole);
      conforms('/api/work-orders', 'post', await t.post('agent1', '/api/work-orders', d.registration({ categoryId: d.category('C01') })));
    });
  });
});
