import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';
import { WorkOrder } from '../work-orders/entities/work-order.entity';

/** JSON text nested `depth` levels: {"a":{"a":…}} */
function nestedJson(depth: number, leaf = '1'): string {
  return '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
}

/** Dates that an ISO 8601 check let through but Date or a database cannot take (issue 5, item 6). */
const BAD_DATES: Array<[string, unknown]> = [
  ['an ordinal date', '2030-100'],
  ['a week date', '2030-W01-1'],
  ['an hour-only time', '2030-01-01T10Z'],
  ['a comma fraction', '2030-01-01T10:00:00,5Z'],
  ['an offset beyond +14:00', '2030-01-01T10:00:00+14:30'],
  ['an hour-only offset', '2030-01-01T10:00:00+14'],
  ['an offset without a colon', '2030-01-01T10:00:00+0800'],
  ['no offset', '2030-01-01T10:00:00'],
  ['a date only', '2030-01-01'],
  ['February 30th', '2030-02-30T10:00:00Z'],
  ['hour 24', '2030-01-01T24:00:00Z'],
  ['year 9999', '9999-12-31T23:59:59-05:00'],
  ['year 1999', '1999-12-31T23:59:59Z'],
  ['year 2101', '2101-01-01T00:00:00Z'],
  ['a number', 1893456000000],
];

/** Bad input of every kind gets a 4xx with a message that says what is wrong — never a 500. */
describe.each(enginesUnderTest())('bad input (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let order: OrderBody;
  let consoleDir: string;

  beforeAll(async () => {
    // With the console served: its static serving used to turn every body-parser error under /api into 404.
    consoleDir = mkdtempSync(join(tmpdir(), 'jiesu-console-'));
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><div id="app"></div>');
    t = await startTestApp(engine, { env: { CONSOLE_DIR: consoleDir } });
    d = await new WorkOrderDriver(t).load();
    order = await d.dispatched('cgj');
  });

  afterAll(async () => {
    await t.close();
    rmSync(consoleDir, { recursive: true, force: true });
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
      expectError(response, 400, /not valid JSON.*JSON at position/);
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
      ['return', { version: 1, reasonCode: 'other' }, /reason must be a string/],
      ['return', { version: 1, reasonCode: 'other', reason: 'x'.repeat(2001) }, /reason must be shorter than or equal to 2000/],
      ['contact', { version: 1, method: 'pigeon', note: 'x' }, /method must be one of/],
      ['request-extension', { version: 1, reason: '需要时间', requestedDueAt: 'next week' }, /requestedDueAt must be an RFC 3339 date-time/],
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
      ['createdFrom=yesterday', /createdFrom must be an RFC 3339 date-time/],
      ['unknown=1', /property unknown should not exist/],
    ])('GET /api/work-orders?%s → 400', async (query, message) => {
      expectError(await t.get('agent1', `/api/work-orders?${query}`), 400, message);
    });

    it('a date range that ends before it starts → 422', async () => {
      expectError(await t.get('agent1', '/api/work-orders?createdFrom=2026-02-01T00:00:00Z&createdTo=2026-01-01T00:00:00Z'), 422, /before createdTo/);
    });
  });

  describe('item 6: crafted input never reaches the validator or the database', () => {
    it('JSON nested 2,000 levels (4 KB) → 400 before validation, also unauthenticated on login', async () => {
      const deep = nestedJson(2000);
      const login = await request(t.server).post('/api/auth/login').set('Content-Type', 'application/json').send(deep);
      expectError(login, 400, /nested too deeply \(more than 32 levels\)/);
      const arrays = await request(t.server).post('/api/auth/login').set('Content-Type', 'application/json').send('{"username":' + '['.repeat(2000) + ']'.repeat(2000) + '}');
      expectError(arrays, 400, /nested too deeply/);
      const register = await request(t.server)
        .post('/api/work-orders')
        .set('Authorization', `Bearer ${await t.token('agent1')}`)
        .set('Content-Type', 'application/json')
        .send(nestedJson(33));
      expectError(register, 400, /nested too deeply/);
      // Brackets inside strings are text, not nesting.
      const inString = await request(t.server).post('/api/auth/login').send({ username: '{['.repeat(30), password: '[{'.repeat(100) });
      expect(inString.status).toBe(401);
      // 32 levels are parsed and then judged by the DTO.
      const allowed = await request(t.server).post('/api/auth/login').set('Content-Type', 'application/json').send(nestedJson(32));
      expectError(allowed, 400, /property a should not exist/);
    });

    describe.each([
      ['supervise', 'supervisor1', 'replyDueAt', { instruction: '请加快办理' }],
      ['request-extension', 'cgj_handler', 'requestedDueAt', { reason: '需要更多时间' }],
      ['sub-dispatch', 'dc_handler', 'replyDueAt', { instruction: '请街道核实' }],
    ])('%s', (action, username, field, rest) => {
      let target: OrderBody;
      beforeAll(async () => {
        target = await d.processing(action === 'sub-dispatch' ? 'dc' : 'cgj');
      });

      it.each(BAD_DATES)(`rejects ${field} as %s with 400 naming the field`, async (_what, value) => {
        const extra = action === 'sub-dispatch' ? { unitId: d.unit('dc_cy') } : {};
        const response = await d.try(username, target.id, action, { version: target.version, ...rest, ...extra, [field]: value });
        expectError(response, 400, new RegExp(`^${field} (must|is|has)`));
      });
    });

    it.each(BAD_DATES.filter(([, value]) => typeof value === 'string'))('a list filter createdFrom/createdTo as %s → 400', async (_what, value) => {
      const encoded = encodeURIComponent(String(value));
      expectError(await t.get('agent1', `/api/work-orders?createdFrom=${encoded}`), 400, /^createdFrom /);
      expectError(await t.get('agent1', `/api/work-orders?createdTo=${encoded}`), 400, /^createdTo /);
    });

    it('accepts RFC 3339 date-times with any offset up to ±14:00 and fractions', async () => {
      for (const value of ['2026-01-01T00:00:00+08:00', '2026-01-01T00:00:00.123456Z', '2000-01-01T00:00:00+14:00', '2100-12-31T23:59:59-14:00']) {
        expect({ value, status: (await t.get('agent1', `/api/work-orders?createdFrom=${encodeURIComponent(value)}`)).status }).toEqual({ value, status: 200 });
      }
      const listed = await t.get('agent1', `/api/work-orders?createdFrom=${encodeURIComponent('2000-01-01T00:00:00+08:00')}&pageSize=100`);
      expect(listed.body.total).toBeGreaterThan(0);
    });

    it('page and pageSize are bounded, and deep offsets are refused', async () => {
      expectError(await t.get('agent1', '/api/work-orders?page=1000000000000000000'), 400, /page must not be greater than 2001/);
      expectError(await t.get('agent1', '/api/work-orders?page=9007199254740993'), 400, /page must not be greater than/);
      expectError(await t.get('agent1', '/api/work-orders?page=502&pageSize=20'), 400, /follow nextCursor/);
      expectError(await t.get('admin', '/api/users?page=502&pageSize=100'), 400, /narrow the filters/);
      expectError(await t.get('agent1', '/api/work-orders?page=101&pageSize=101'), 400, /pageSize must not be greater than 100/);
      expectError(await t.get('admin', '/api/users?page=10002'), 400, /page must not be greater than/);
      expectError(await t.get('admin', '/api/users?page=1.5'), 400, /page must be an integer/);
      // Work-order lists number their pages only over the first 2,000 orders; deeper, they follow nextCursor.
      const deepest = await t.get('agent1', '/api/work-orders?page=101&pageSize=20');
      expect({ status: deepest.status, items: deepest.body.items }).toEqual({ status: 200, items: [] });
      expectError(await t.get('agent1', '/api/work-orders?page=102&pageSize=20'), 400, /follow nextCursor/);
    });

    it('a deadline in year 9999 is refused, and no date out of 2000–2100 is ever stored', async () => {
      const target = await d.processing('cgj');
      const far = await d.try('supervisor1', target.id, 'supervise', { version: target.version, instruction: '督办', replyDueAt: '9999-12-31T23:59:59-05:00' });
      expectError(far, 400, /replyDueAt must be in the years 2000 to 2100/);
      // The latest date-time accepted is stored and read back as the same instant on both engines.
      const edge = await d.act('supervisor1', target.id, 'supervise', { instruction: '督办', replyDueAt: '2100-12-31T23:59:59-05:00' });
      expect(edge.replyDueAt).toBe('2101-01-01T04:59:59.000Z');
      const rows = await t.app.get(DataSource).getRepository(WorkOrder).find();
      const outOfRange = rows.flatMap((row) =>
        Object.entries(row)
          .filter((entry): entry is [string, Date] => entry[1] instanceof Date)
          .filter(([, date]) => !(date.getUTCFullYear() >= 2000 && date.getUTCFullYear() <= 2101))
          .map(([column, date]) => `${row.id}.${column}=${date.toISOString()}`),
      );
      expect(outOfRange).toEqual([]);
    });
  });

  describe('item 7: unreadable bodies → 400/413/415 in the error shape (the console is served)', () => {
    it('serves the console, so its static serving is in the chain', async () => {
      expect((await request(t.server).get('/work-orders')).text).toContain('<div id="app">');
    });

    it.each([
      ['invalid JSON', 400, 'application/json', '{"username": "agent1", ', /not valid JSON/],
      ['null', 400, 'application/json', 'null', /must be a JSON object/],
      ['a bare string', 400, 'application/json', '"agent1"', /must be a JSON object/],
      ['a number', 400, 'application/json', '42', /must be a JSON object/],
      ['an array', 400, 'application/json', '[{"username":"agent1"}]', /must be a JSON object/],
      ['a blank body', 400, 'application/json', '   ', /must be a JSON object/],
      ['more than 1 MB', 413, 'application/json', JSON.stringify({ username: 'x'.repeat(1_100_000) }), /too large \(at most 1 MB\)/],
      ['charset=utf-16', 415, 'application/json; charset=utf-16', '{"username":"agent1"}', /charset "UTF-16".*UTF-8/],
      ['charset=latin1', 415, 'application/json; charset=latin1', '{"username":"agent1"}', /charset "LATIN1"/],
      ['text/plain', 415, 'text/plain', 'username=agent1', /Content-Type "text\/plain".*application\/json/],
      ['application/xml', 415, 'application/xml', '<login/>', /Content-Type "application\/xml"/],
    ])('%s → %i', async (_what, status, contentType, body, message) => {
      for (const path of ['/api/auth/login', '/api/work-orders/1/accept']) {
        const response = await request(t.server).post(path).set('Content-Type', contentType).send(body);
        expectError(response, status, message);
      }
    });

    it('an unsupported Content-Encoding → 415', async () => {
      const response = await request(t.server)
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'snappy')
        .send('{"username":"agent1"}');
      expectError(response, 415, /Content-Encoding/);
    });

    it('keeps the caller’s correlation id on a refused body', async () => {
      const response = await request(t.server)
        .post('/api/auth/login')
        .set('X-Correlation-Id', 'bad-body-0001')
        .set('Content-Type', 'application/json')
        .send('null');
      expect(response.body).toMatchObject({ statusCode: 400, correlationId: 'bad-body-0001' });
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
    expect(response.body.message).toBe('The request body is too large (at most 1 MB)');
  });
});
