import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEvent } from '../audit/audit-event.entity';
import { DEMO_PASSWORD } from '../demo-data/demo-organisation';
import { OpenApiConformance, type OpenApiDocument } from '../testing/openapi-conformance';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';
import { passwordProblem } from './password-policy';
import { User } from './user.entity';

interface Pair {
  accessToken: string;
  refreshToken: string;
  user: { id: number; mustChangePassword: boolean };
}

describe.each(enginesUnderTest())('users administration (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let api: OpenApiConformance;
  let dataSource: DataSource;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    api = new OpenApiConformance((await request(t.server).get('/api/docs-json')).body as OpenApiDocument);
    dataSource = t.app.get(DataSource);
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await t?.close();
  });

  const as = async (username: string) => `Bearer ${await t.token(username)}`;
  const createUser = async (body: object, username = 'admin') =>
    request(t.server).post('/api/users').set('Authorization', await as(username)).set('x-correlation-id', 'users-admin-test-01').send(body);
  const patchUser = async (id: number | string, body: object, username = 'admin') =>
    request(t.server).patch(`/api/users/${id}`).set('Authorization', await as(username)).send(body);
  const resetPassword = async (id: number | string, username = 'admin') =>
    request(t.server).post(`/api/users/${id}/reset-password`).set('Authorization', await as(username)).send({});
  const login = (username: string, password: string) => request(t.server).post('/api/auth/login').send({ username, password });
  const loggedIn = async (username: string, password = DEMO_PASSWORD): Promise<Pair> => {
    const response = await login(username, password);
    expect(response.status).toBe(200);
    return response.body as Pair;
  };
  const me = (accessToken: string) => request(t.server).get('/api/me').set('Authorization', `Bearer ${accessToken}`);
  const workOrders = (accessToken: string) => request(t.server).get('/api/work-orders').set('Authorization', `Bearer ${accessToken}`);
  const refresh = (refreshToken: string) => request(t.server).post('/api/auth/refresh').send({ refreshToken });
  const changePassword = (accessToken: string, body: object) =>
    request(t.server).post('/api/auth/change-password').set('Authorization', `Bearer ${accessToken}`).send(body);
  /** The administration rows about a user (logins and logouts are audited under the user too). */
  const auditRows = async (id: number) =>
    (await dataSource.getRepository(AuditEvent).find({ where: { targetType: 'user', targetId: String(id) }, order: { id: 'ASC' } })).filter((r) => r.action.startsWith('user.'));
  const userId = async (username: string) => (await dataSource.getRepository(User).findOneByOrFail({ username })).id;

  /** Opens a socket with the token and waits for 'ready'; resolves `closed` with the 'unauthorized' message once the server ends it. */
  async function openSocket(accessToken: string): Promise<{ socket: Socket; closed: Promise<string> }> {
    const socket = io(url, { auth: { token: accessToken }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('ready', () => resolve());
      socket.once('unauthorized', (e: { message: string }) => reject(new Error(e.message)));
      socket.once('connect_error', reject);
    });
    const told = new Promise<string>((resolve) => socket.once('unauthorized', (e: { message: string }) => resolve(e.message)));
    const disconnected = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    return { socket, closed: Promise.all([told, disconnected]).then(([message]) => message) };
  }

  let serial = 0;
  /** A new handler of 朝阳街道 with its one-time password. */
  const newHandler = async (extra: object = {}) => {
    serial += 1;
    const response = await createUser({ username: `t_handler_${serial}`, displayName: `测试承办人${serial}`, role: 'handler', unitId: d.unit('dc_cy'), ...extra });
    expect(response.status).toBe(201);
    return response.body as { user: { id: number; username: string; displayName: string; role: string; unitId: number; active: boolean; mustChangePassword: boolean }; oneTimePassword: string };
  };
  /** A new handler who has changed the one-time password to `password`. */
  const readyHandler = async (password = 'Handler2026pass') => {
    const created = await newHandler();
    const first = await loggedIn(created.user.username, created.oneTimePassword);
    expect((await changePassword(first.accessToken, { currentPassword: created.oneTimePassword, newPassword: password })).status).toBe(204);
    return { ...created.user, password };
  };

  describe('POST /api/users', () => {
    it('creates an account with a one-time password that meets the policy; the audit row holds no password', async () => {
      const response = await createUser({ username: 'Li.Na', displayName: ' 朝阳街道承办人李娜 ', role: 'handler', unitId: d.unit('dc_cy') });
      expect(response.status).toBe(201);
      expect(api.problemsOf('/api/users', 'post', response)).toEqual([]);
      const { user, oneTimePassword } = response.body;
      expect(user).toEqual({
        id: expect.any(Number),
        username: 'li.na',
        displayName: '朝阳街道承办人李娜',
        role: 'handler',
        unitId: d.unit('dc_cy'),
        unit: { id: d.unit('dc_cy'), code: 'dc_cy', name: expect.any(String), type: 'street' },
        active: true,
        mustChangePassword: true,
      });
      expect(passwordProblem(oneTimePassword)).toBeNull();

      const rows = await auditRows(user.id);
      expect(rows.map((r) => r.action)).toEqual(['user.create']);
      expect(rows[0]).toMatchObject({ actorRole: 'admin', correlationId: 'users-admin-test-01' });
      expect(JSON.parse(rows[0].details)).toEqual({ before: null, after: user });
      expect(rows[0].details).not.toContain(oneTimePassword);
      expect(rows[0].details).not.toContain('argon2');
      expect(rows[0].details).not.toContain('passwordHash');
    });

    it('creates center accounts in the center', async () => {
      const response = await createUser({ username: 't_agent_new', displayName: '新话务员', role: 'agent', unitId: d.unit('center') });
      expect(response.status).toBe(201);
      expect(response.body.user).toMatchObject({ role: 'agent', unitId: d.unit('center') });
    });

    it.each([
      ['the same name', 'agent1'],
      ['the same name in another case', 'AGENT1'],
    ])('answers 409 for %s', async (_case, username) => {
      const response = await createUser({ username, displayName: '重复', role: 'agent', unitId: d.unit('center') });
      expect(response.status).toBe(409);
      expect(response.body.message).toContain('agent1 is already taken');
    });

    it('answers 422 for a unit role in a deactivated unit', async () => {
      const unit = await request(t.server).post('/api/units').set('Authorization', await as('admin')).send({ code: 't_closed_street', name: '撤销街道', type: 'street', parentId: d.unit('dc') });
      expect(unit.status).toBe(201);
      expect((await request(t.server).patch(`/api/units/${unit.body.id}`).set('Authorization', await as('admin')).send({ active: false })).status).toBe(200);
      const response = await createUser({ username: 't_in_closed', displayName: '无处', role: 'handler', unitId: unit.body.id });
      expect(response.status).toBe(422);
      expect(response.body.message).toContain('is deactivated');
    });

    it.each([
      ['a unit role in the center', { role: 'handler', unitId: 'center' }, 'not to the center'],
      ['a unit administrator in the center', { role: 'unit_admin', unitId: 'center' }, 'not to the center'],
      ['a center role in a unit', { role: 'agent', unitId: 'dc' }, 'is a center role'],
      ['an administrator in a unit', { role: 'admin', unitId: 'cgj' }, 'is a center role'],
      ['a unit that does not exist', { role: 'handler', unitId: 999999 }, 'Unit 999999 does not exist'],
    ])('answers 422 for %s', async (_case, body, message) => {
      const unitId = typeof body.unitId === 'string' ? d.unit(body.unitId) : body.unitId;
      const response = await createUser({ username: 't_misplaced', displayName: '放错了', ...body, unitId });
      expect(response.status).toBe(422);
      expect(response.body.message).toContain(message);
    });

    it.each([
      ['a username with a space', { username: 'li na' }, 'username must be 2 to 64'],
      ['a one-letter username', { username: 'x' }, 'username must be 2 to 64'],
      ['an unknown role', { role: 'mayor' }, 'role must be one of'],
      ['no display name', { displayName: undefined }, 'displayName must be a string'],
      ['a password given by the admin', { password: 'Chosen12345' }, 'property password should not exist'],
      ['a text unit id', { unitId: '3' }, 'unitId must be a whole number'],
    ])('answers 400 for %s', async (_case, body, message) => {
      const response = await createUser({ username: 't_invalid', displayName: '无效', role: 'handler', unitId: d.unit('dc_cy'), ...body });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(message);
    });

    it.each(['agent1', 'dispatcher1', 'supervisor1', 'dc_admin', 'dc_handler'])('answers 403 to %s on every administration route', async (username) => {
      const target = await userId('dc_cy_handler');
      expect((await createUser({ username: 't_forbidden', displayName: '无权', role: 'handler', unitId: d.unit('dc_cy') }, username)).status).toBe(403);
      expect((await patchUser(target, { displayName: '改名' }, username)).status).toBe(403);
      expect((await resetPassword(target, username)).status).toBe(403);
    });
  });

  describe('GET /api/users for a unit administrator (assigning orders)', () => {
    const list = async (username: string, query = '') =>
      request(t.server).get(`/api/users${query}`).set('Authorization', await as(username));

    it('lists the staff of their own unit only', async () => {
      const own = await list('dc_admin');
      expect(own.status).toBe(200);
      expect(own.body.items.length).toBeGreaterThan(0);
      expect(own.body.items.every((user: { unitId: number }) => user.unitId === d.unit('dc'))).toBe(true);
      expect(own.body.items.map((user: { username: string }) => user.username)).toEqual(expect.arrayContaining(['dc_admin', 'dc_handler']));
      expect((await list('dc_admin', `?unitId=${d.unit('dc')}&role=handler`)).body.items.map((user: { username: string }) => user.username)).toContain('dc_handler');
    });

    it('answers 403 for another unit, and to handlers', async () => {
      const other = await list('dc_admin', `?unitId=${d.unit('dc_cy')}`);
      expect(other.status).toBe(403);
      expect(other.body.message).toContain('own unit');
      expect((await list('dc_handler')).status).toBe(403);
    });
  });

  describe('the one-time password', () => {
    it('logs in with a flag; every other route answers 403 PASSWORD_CHANGE_REQUIRED until it is changed', async () => {
      const created = await newHandler();
      const first = await login(created.user.username.toUpperCase(), created.oneTimePassword);
      expect(first.status).toBe(200);
      expect(first.body.user.mustChangePassword).toBe(true);
      const token = first.body.accessToken as string;

      const mine = await me(token);
      expect(mine.status).toBe(200);
      expect(mine.body.mustChangePassword).toBe(true);
      const blocked = await workOrders(token);
      expect(blocked.status).toBe(403);
      expect(blocked.body).toMatchObject({ statusCode: 403, code: 'PASSWORD_CHANGE_REQUIRED' });
      expect(api.problemsOf('/api/work-orders', 'get', blocked)).toEqual([]);
      expect((await request(t.server).get('/api/units').set('Authorization', `Bearer ${token}`)).body.code).toBe('PASSWORD_CHANGE_REQUIRED');

      const wrong = await changePassword(token, { currentPassword: 'not-the-password1', newPassword: 'Handler2026pass' });
      expect(wrong.status).toBe(422);
      expect(wrong.body.message).toContain('current password is wrong');
      const weak = await changePassword(token, { currentPassword: created.oneTimePassword, newPassword: 'short1' });
      expect(weak.status).toBe(400);
      expect(weak.body.message).toContain('at least 10 characters');
      const same = await changePassword(token, { currentPassword: created.oneTimePassword, newPassword: created.oneTimePassword });
      expect(same.status).toBe(422);

      expect((await changePassword(token, { currentPassword: created.oneTimePassword, newPassword: 'Handler2026pass' })).status).toBe(204);
      // Changing the password ends every session, this one included; the one-time password is gone.
      expect((await me(token)).status).toBe(401);
      expect((await login(created.user.username, created.oneTimePassword)).status).toBe(401);
      const again = await loggedIn(created.user.username, 'Handler2026pass');
      expect(again.user.mustChangePassword).toBe(false);
      expect((await workOrders(again.accessToken)).status).toBe(200);
      expect((await me(again.accessToken)).body.mustChangePassword).toBe(false);

      const change = (await dataSource.getRepository(AuditEvent).find({ where: { action: 'auth.password-change', targetId: String(created.user.id) } }))[0];
      expect(JSON.parse(change.details)).toMatchObject({ via: 'change-password', wasOneTime: true });
      expect(change.details).not.toContain('Handler2026pass');
    });

    it('lets the flagged account log out', async () => {
      const created = await newHandler();
      const first = await loggedIn(created.user.username, created.oneTimePassword);
      expect((await request(t.server).post('/api/auth/logout').set('Authorization', `Bearer ${first.accessToken}`)).status).toBe(204);
    });

    it('answers 400 for a malformed change request', async () => {
      const response = await changePassword(await t.token('agent2'), { newPassword: 'Whatever2026x' });
      expect(response.status).toBe(400);
      expect(response.body.message).toContain('currentPassword must be a string');
    });
  });

  describe('PATCH /api/users/:id', () => {
    it('changes the display name without ending the sessions', async () => {
      const handler = await readyHandler();
      const pair = await loggedIn(handler.username, handler.password);
      const response = await patchUser(handler.id, { displayName: '改名后的承办人' });
      expect(response.status).toBe(200);
      expect(api.problemsOf('/api/users/{id}', 'patch', response)).toEqual([]);
      expect(response.body.displayName).toBe('改名后的承办人');
      expect((await me(pair.accessToken)).status).toBe(200);
      const rows = await auditRows(handler.id);
      expect(rows.at(-1)?.action).toBe('user.update');
      expect(JSON.parse(rows.at(-1)?.details ?? '{}')).toMatchObject({ before: { displayName: '测试承办人' + handler.username.split('_').at(-1) }, after: { displayName: '改名后的承办人' } });
    });

    it('disabling stops the access token, the refresh token and an open socket at once; enabling lets the user log in again', async () => {
      const handler = await readyHandler();
      const pair = await loggedIn(handler.username, handler.password);
      const { closed } = await openSocket(pair.accessToken);

      const response = await patchUser(handler.id, { active: false });
      expect(response.status).toBe(200);
      expect(response.body.active).toBe(false);
      expect(await closed).toContain('disabled');
      expect((await me(pair.accessToken)).status).toBe(401);
      expect((await refresh(pair.refreshToken)).status).toBe(401);
      expect((await login(handler.username, handler.password)).status).toBe(401);

      const enabled = await patchUser(handler.id, { active: true });
      expect(enabled.body.active).toBe(true);
      const again = await loggedIn(handler.username, handler.password);
      expect((await me(again.accessToken)).status).toBe(200);
      expect((await auditRows(handler.id)).map((r) => r.action).slice(-2)).toEqual(['user.disable', 'user.enable']);
    });

    it('a new role or unit ends the sessions too', async () => {
      const handler = await readyHandler();
      const pair = await loggedIn(handler.username, handler.password);
      const { closed } = await openSocket(pair.accessToken);
      const promoted = await patchUser(handler.id, { role: 'unit_admin', unitId: d.unit('dc') });
      expect(promoted.status).toBe(200);
      expect(promoted.body).toMatchObject({ role: 'unit_admin', unitId: d.unit('dc') });
      expect(await closed).toContain('role or unit changed');
      expect((await me(pair.accessToken)).status).toBe(401);
      expect((await refresh(pair.refreshToken)).status).toBe(401);
      const again = await loggedIn(handler.username, handler.password);
      expect(again.user).toMatchObject({ id: handler.id, mustChangePassword: false });
    });

    it('checks the role against the unit on a change (422)', async () => {
      const handler = await readyHandler();
      const response = await patchUser(handler.id, { role: 'dispatcher' });
      expect(response.status).toBe(422);
      expect(response.body.message).toContain('is a center role');
      expect((await patchUser(handler.id, { unitId: d.unit('center') })).status).toBe(422);
      expect((await patchUser(handler.id, { role: 'dispatcher', unitId: d.unit('center') })).status).toBe(200);
    });

    it('an administrator cannot disable or demote themselves (422)', async () => {
      const admin = await userId('admin');
      const disable = await patchUser(admin, { active: false });
      expect(disable.status).toBe(422);
      expect(disable.body.message).toContain('cannot disable your own account');
      const demote = await patchUser(admin, { role: 'agent' });
      expect(demote.status).toBe(422);
      expect(demote.body.message).toContain('cannot change your own role');
      expect((await t.get('admin', '/api/users')).status).toBe(200);
    });

    it.each([
      ['an empty body', {}, 'Give at least one of'],
      ['a null display name', { displayName: null }, 'displayName must be a string'],
      ['a username change', { username: 'other' }, 'property username should not exist'],
      ['a text active', { active: 'no' }, 'active must be a boolean'],
    ])('answers 400 for %s', async (_case, body, message) => {
      const response = await patchUser(await userId('dc_cy_handler'), body);
      expect(response.status).toBe(400);
      expect(response.body.message).toContain(message);
    });

    it('answers 404 for a user that does not exist, 400 for an id that is not a number', async () => {
      expect((await patchUser(999999, { displayName: '无' })).status).toBe(404);
      expect((await resetPassword(999999)).status).toBe(404);
      expect((await patchUser('abc', { displayName: '无' })).status).toBe(400);
    });
  });

  describe('POST /api/users/:id/reset-password', () => {
    it('answers a new one-time password once, ends every session and unlocks the account; the audit row holds no password', async () => {
      const handler = await readyHandler();
      const pair = await loggedIn(handler.username, handler.password);
      const { closed } = await openSocket(pair.accessToken);
      for (let i = 0; i < 5; i++) await login(handler.username, 'wrong-password-1');
      expect((await login(handler.username, handler.password)).status).toBe(423);

      const response = await resetPassword(handler.id);
      expect(response.status).toBe(200);
      expect(api.problemsOf('/api/users/{id}/reset-password', 'post', response)).toEqual([]);
      const { user, oneTimePassword } = response.body;
      expect(user).toMatchObject({ id: handler.id, mustChangePassword: true });
      expect(passwordProblem(oneTimePassword)).toBeNull();
      expect(await closed).toContain('reset the password');
      expect((await me(pair.accessToken)).status).toBe(401);
      expect((await refresh(pair.refreshToken)).status).toBe(401);
      expect((await login(handler.username, handler.password)).status).toBe(401);

      const first = await loggedIn(handler.username, oneTimePassword);
      expect(first.user.mustChangePassword).toBe(true);
      expect((await workOrders(first.accessToken)).body.code).toBe('PASSWORD_CHANGE_REQUIRED');

      const row = (await auditRows(handler.id)).at(-1);
      expect(row?.action).toBe('user.reset-password');
      expect(JSON.parse(row?.details ?? '{}')).toMatchObject({ before: { mustChangePassword: false }, after: { mustChangePassword: true } });
      expect(row?.details).not.toContain(oneTimePassword);
      expect(row?.details).not.toContain('argon2');
    });
  });
});
