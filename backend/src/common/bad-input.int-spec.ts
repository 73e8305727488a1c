import request from 'supertest';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';

/** Bad input of every kind gets a 4xx with a message that says what is wrong — never a 500. */
describe.each(enginesUnderTest())('bad input (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let order: OrderBody;

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    order = await d.dispatched('cgj');
  });

  afterAll(async () => {
    await t.close();
  });

  const expectError = (response: request.Response, status: number, message: RegExp) => {
    expect({ status: response.status, message: response.body.message }).toEqual({ status, message: expect.stringMatching(message) });
    expect(response.body).toMatchObject({ statusCode: status, error: expect.any(String), correlationId: expect.any(String) });
    expect(response.headers['x-correlation-id']).toBe(response.body.correlationId);
  };

  describe('registering', () => {
    it.each([
      ['a missing title', { title: undefined }, /title must be a string/],
      ['an empty title', { title: '' }, /title must be longer than or equal to 1/],
      ['an overlong title', { title: '长'.repeat(201) }, /title must be shorter than or equal to 200/],
      ['an overlong content', { content: 'x'.repeat(10001) }, /content must be shorter than or equal to 10000/],
      ['a wrong channel', { channel: 'fax' }, /channel must be one of the following values/],
      ['a wrong request type', { requestType: 'wish' }, /requestType must be one of the following values/],
      ['a wrong urgency', { urgency: 'asap' }, /urgency must be one of/],
      ['a phone with letters', { citizenPhone: '138abc' }, /citizenPhone must be a phone number/],
      ['a latitude out of range', { latitude: 123 }, /latitude must be a latitude/],
      ['a category id of the wrong type', { categoryId: 'lamp' }, /categoryId must be an integer/],
      ['an unknown field', { priority: 'high' }, /property priority should not exist/],
      ['a confidential flag as text', { citizenConfidential: 'yes' }, /citizenConfidential must be a boolean/],
      ['an attachment id that is no uuid', { attachmentIds: ['x'] }, /each value in attachmentIds must be a UUID/],
    ])('rejects %s with 400', async (_what, overrides, message) => {
      expectError(await t.post('agent1', '/api/work-orders', d.registration(overrides)), 400, message);
    });

    it.each([
      ['an unknown category', () => ({ categoryId: 999999 }), /Category 999999 does not exist/],
      ['a non-leaf category', () => ({ categoryId: d.category('C01') }), /not a leaf/],
      ['a street that is not in the district', () => ({ districtUnitId: d.unit('xc'), streetUnitId: d.unit('dc_cy') }), /does not belong to district/],
      ['a district id that is a bureau', () => ({ districtUnitId: d.unit('cgj') }), /is not a district/],
      ['an attachment that does not exist', () => ({ attachmentIds: ['6f1c1f0e-4c59-4b8e-9a55-0f4b7e1c2a11'] }), /do not exist/],
    ])('rejects %s with 422', async (_what, overrides, message) => {
      expectError(await t.post('agent1', '/api/work-orders', d.registration(overrides())), 422, message);
    });

    it('rejects a body that is not JSON with 400', async () => {
      const response = await request(t.server)
        .post('/api/work-orders')
        .set('Authorization', `Bearer ${await t.token('agent1')}`)
        .set('Content-Type', 'application/json')
        .send('{"title": "路灯", ');
      expectError(response, 400, /JSON at position/);
    });

    it('rejects a JSON array or scalar body with 400', async () => {
      const response = await request(t.server)
        .post('/api/work-orders')
        .set('Authorization', `Bearer ${await t.token('agent1')}`)
        .set('Content-Type', 'application/json')
        .send('[1,2]');
      expect(response.status).toBe(400);
    });
  });

  describe('actions', () => {
    it('unknown order → 404; a non-numeric id → 400', async () => {
      expectError(await t.get('agent1', '/api/work-orders/999999'), 404, /Work order 999999 does not exist/);
      expectError(await t.post('cgj_handler', '/api/work-orders/999999/accept', { version: 1 }), 404, /does not exist/);
      expectError(await t.get('agent1', '/api/work-orders/abc'), 400, /whole number/);
    });

    it('an unknown action → 404', async () => {
      expectError(await t.post('cgj_handler', `/api/work-orders/${order.id}/teleport`, { version: order.version }), 404, /Cannot POST/);
    });

    it.each([
      ['accept', {}, /version must be an integer/],
      ['accept', { version: 'one' }, /version must be an integer/],
      ['accept', { version: 0 }, /version must not be less than 1/],
      ['return', { version: 1 }, /reason must be a string/],
      ['return', { version: 1, reason: 'x'.repeat(2001) }, /reason must be shorter than or equal to 2000/],
      ['contact', { version: 1, method: 'pigeon', note: 'x' }, /method must be one of/],
      ['request-extension', { version: 1, reason: '需要时间', requestedDueAt: 'next week' }, /requestedDueAt must be a valid ISO 8601/],
      ['dispatch', { version: 1, assistingUnitIds: [1, 1] }, /assistingUnitIds's elements must be unique/],
    ])('%s with %j → 400', async (action, body, message) => {
      expectError(await t.post('cgj_handler', `/api/work-orders/${order.id}/${action}`, body), 400, message);
    });

    it('dispatch to an unknown unit or to the center itself → 422', async () => {
      const fresh = await d.register();
      expectError(await d.try('dispatcher1', fresh.id, 'dispatch', { leadUnitId: 999999 }), 422, /Lead unit 999999 does not exist/);
      expectError(await d.try('dispatcher1', fresh.id, 'dispatch', { leadUnitId: d.unit('center') }), 422, /cannot be the hotline center/);
      expectError(await d.try('dispatcher1', fresh.id, 'dispatch', { leadUnitId: d.unit('cgj'), assistingUnitIds: [d.unit('cgj')] }), 422, /also be an assisting unit/);
    });
  });

  describe('lists', () => {
    it.each([
      ['pageSize=101', /pageSize must not be greater than 100/],
      ['pageSize=0', /pageSize must not be less than 1/],
      ['page=abc', /page must be an integer/],
      ['status=finished', /status must be one of/],
      ['sortBy=password', /sortBy must be one of/],
      ['sortOrder=up', /sortOrder must be one of/],
      ['createdFrom=yesterday', /createdFrom must be an ISO 8601/],
      ['unknown=1', /property unknown should not exist/],
    ])('GET /api/work-orders?%s → 400', async (query, message) => {
      expectError(await t.get('agent1', `/api/work-orders?${query}`), 400, message);
    });

    it('a date range that ends before it starts → 422', async () => {
      expectError(await t.get('agent1', '/api/work-orders?createdFrom=2026-02-01T00:00:00Z&createdTo=2026-01-01T00:00:00Z'), 422, /before createdTo/);
    });
  });

  it('login with missing fields → 400', async () => {
    expectError(await request(t.server).post('/api/auth/login').send({ username: 'agent1' }), 400, /password must be a string/);
  });
});

describe('oversized bodies', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('sqlite');
  });

  afterAll(async () => {
    await t.close();
  });

  it('a JSON body over 1 MB → 413 with a message', async () => {
    const response = await request(t.server)
      .post('/api/work-orders')
      .set('Authorization', `Bearer ${await t.token('agent1')}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ content: 'x'.repeat(1_100_000) }));
    expect(response.status).toBe(413);
    expect(response.body.message).toBe('The request body is too large');
  });
});
