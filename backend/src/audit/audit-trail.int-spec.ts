import { SchedulerRegistry } from '@nestjs/schedule';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { setPassword } from '../database/cli/set-password';
import { DEMO_PASSWORD } from '../demo-data/demo-organisation';
import { PasswordHasher } from '../users/password-hasher';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import type { AuditActor } from './audit-actor';
import { AuditEvent } from './audit-event.entity';
import { AuditRetention } from './audit-retention.service';
import { AuditService } from './audit.service';

const DAY = 24 * 60 * 60 * 1000;
const USER_AGENT = 'audit-trail-test/1.0';

interface Row {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string;
  actorRole: string;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  correlationId: string | null;
}

describe.each(enginesUnderTest())('the audit trail: reader, auth events, retention (%s)', (engine) => {
  let t: TestApp;
  let audit: AuditService;
  let dataSource: DataSource;

  const read = async (query: Record<string, string | number> = {}) => t.get('auditor1', `/api/audit?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()}`);
  const items = async (query: Record<string, string | number>): Promise<Row[]> => {
    const response = await read(query);
    expect(response.status).toBe(200);
    return response.body.items;
  };
  const login = (username: string, password: string) =>
    request(t.server).post('/api/auth/login').set('User-Agent', USER_AGENT).set('x-correlation-id', 'audit-login-0001').send({ username, password });
  const rowsOf = (action: string, targetId?: string) =>
    dataSource.getRepository(AuditEvent).find({ where: { action, ...(targetId !== undefined ? { targetId } : {}) }, order: { id: 'ASC' } });

  const admin: AuditActor = { id: 1, name: '系统管理员', role: 'admin', correlationId: 'trail-test-0001' };
  const other: AuditActor = { id: 2, name: '话务员张敏', role: 'agent', correlationId: null };
  /** Five rows of target type trail_test, one day apart, the newest a day ago; two share one instant. */
  const base = Date.now() - 10 * DAY;
  const seeded: { at: number; actor: AuditActor; action: string; targetId: string }[] = [
    { at: base, actor: admin, action: 'user.create', targetId: 'u1' },
    { at: base + DAY, actor: admin, action: 'user.update', targetId: 'u1' },
    { at: base + 2 * DAY, actor: other, action: 'unit.create', targetId: 'n1' },
    { at: base + 2 * DAY, actor: admin, action: 'user.disable', targetId: 'u2' },
    { at: base + 3 * DAY, actor: other, action: 'username.check', targetId: 'u1' },
  ];

  beforeAll(async () => {
    t = await startTestApp(engine, { env: { LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_DURATION: '15m' } });
    audit = t.app.get(AuditService);
    dataSource = t.app.get(DataSource);
    try {
      for (const row of seeded) {
        t.clock.set(new Date(row.at));
        await audit.record({ actor: row.actor, action: row.action, targetType: 'trail_test', targetId: row.targetId, details: { n: row.action } });
      }
    } finally {
      t.clock.set(null);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('GET /api/audit', () => {
    it('is for the auditor only: the admin and every other role get 403', async () => {
      for (const username of ['admin', 'agent1', 'dispatcher1', 'supervisor1', 'cgj_admin', 'cgj_handler']) {
        const response = await t.get(username, '/api/audit');
        expect({ username, status: response.status }).toEqual({ username, status: 403 });
      }
      expect((await request(t.server).get('/api/audit')).status).toBe(401);
    });

    it('has no route that changes or deletes a row', async () => {
      for (const method of ['post', 'put', 'patch', 'delete'] as const) {
        const response = await request(t.server)[method]('/api/audit/1').set('Authorization', `Bearer ${await t.token('auditor1')}`);
        expect({ method, status: response.status }).toEqual({ method, status: 404 });
      }
    });

    it('lists newest first, with each filter', async () => {
      const all = await items({ targetType: 'trail_test' });
      expect(all.map((r) => r.action)).toEqual(['username.check', 'user.disable', 'unit.create', 'user.update', 'user.create']);
      expect(all[0]).toMatchObject({ actorId: 2, actorName: '话务员张敏', actorRole: 'agent', targetType: 'trail_test', targetId: 'u1', details: { n: 'username.check' } });
      expect(all[4]).toMatchObject({ at: new Date(base).toISOString(), correlationId: 'trail-test-0001' });

      const actions = async (query: Record<string, string | number>) => (await items({ targetType: 'trail_test', ...query })).map((r) => r.action);
      expect(await actions({ from: new Date(base + DAY).toISOString(), to: new Date(base + 3 * DAY).toISOString() })).toEqual(['user.disable', 'unit.create', 'user.update']);
      expect(await actions({ from: new Date(base + 2 * DAY).toISOString().replace('Z', '+00:00') })).toEqual(['username.check', 'user.disable', 'unit.create']);
      expect(await actions({ actorId: 2 })).toEqual(['username.check', 'unit.create']);
      expect(await actions({ actorName: '系统管理员' })).toEqual(['user.disable', 'user.update', 'user.create']);
      expect(await actions({ actorName: '系统' })).toEqual([]);
      expect(await actions({ action: 'user.update' })).toEqual(['user.update']);
      // A prefix ends with a dot: `user.` is not `username.`.
      expect(await actions({ action: 'user.' })).toEqual(['user.disable', 'user.update', 'user.create']);
      expect(await actions({ action: 'user' })).toEqual([]);
      expect(await actions({ targetId: 'u1' })).toEqual(['username.check', 'user.update', 'user.create']);
      expect(await actions({ targetId: 'u1', action: 'user.', actorId: 1 })).toEqual(['user.update', 'user.create']);
    });

    it('pages with cursor and nextCursor, without gaps or repeats, also across rows of the same instant', async () => {
      const seen: Row[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response = await read({ targetType: 'trail_test', pageSize: 2, ...(cursor ? { cursor } : {}) });
        expect(response.status).toBe(200);
        expect(response.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...response.body.items);
        cursor = response.body.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      expect(pages).toBe(3);
      expect(seen.map((r) => r.action)).toEqual(['username.check', 'user.disable', 'unit.create', 'user.update', 'user.create']);
      expect(new Set(seen.map((r) => r.id)).size).toBe(5);
    });

    it('answers 400 with what is wrong for bad filters', async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [{ from: '2026-02-30T00:00:00Z' }, /from is not a real calendar date/],
        [{ to: 'yesterday' }, /to must be an RFC 3339 date-time/],
        [{ from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' }, /from must be before to/],
        [{ actorId: 'seven' }, /actorId must be a whole number/],
        [{ actorId: '0' }, /actorId must be at least 1/],
        [{ action: 'user.%' }, /action must be a dotted action name/],
        [{ action: '.user' }, /action must be a dotted action name/],
        [{ actorName: 'x'.repeat(65) }, /actorName must be shorter than or equal to 64 characters/],
        [{ cursor: 'not-a-cursor' }, /cursor must be the nextCursor of a previous page/],
        [{ cursor: Buffer.from('1.2').toString('base64url') }, /cursor must be the nextCursor/],
        [{ pageSize: '201' }, /pageSize must not be greater than 200/],
        [{ pageSize: '0' }, /pageSize must not be less than 1/],
        [{ colour: 'red' }, /property colour should not exist/],
      ];
      for (const [query, message] of cases) {
        const response = await read(query);
        expect({ query, status: response.status }).toEqual({ query, status: 400 });
        expect(response.body.message).toMatch(message);
      }
    });

    it('records each reading as audit.read with its filters, the client and the auditor', async () => {
      await request(t.server)
        .get('/api/audit?action=auth.&pageSize=7')
        .set('Authorization', `Bearer ${await t.token('auditor1')}`)
        .set('User-Agent', USER_AGENT)
        .expect(200);
      const [row] = (await rowsOf('audit.read')).slice(-1);
      expect(row).toMatchObject({ actorName: '安全审计员孙伟', actorRole: 'auditor', targetType: 'audit_events', targetId: '*' });
      expect(JSON.parse(row.details)).toMatchObject({ filters: { action: 'auth.', pageSize: 7 }, userAgent: USER_AGENT, ip: expect.any(String) });
    });
  });

  describe('the auditor and work orders', () => {
    it('gets 403 on the work-order list, detail, registration and uploads', async () => {
      expect((await t.get('auditor1', '/api/work-orders')).status).toBe(403);
      expect((await t.get('auditor1', '/api/work-orders/1')).status).toBe(403);
      expect((await t.post('auditor1', '/api/work-orders', {})).status).toBe(403);
      expect((await t.post('auditor1', '/api/attachments')).status).toBe(403);
      // Other center staff still work with orders.
      expect((await t.get('agent1', '/api/work-orders')).status).toBe(200);
    });
  });

  describe('authentication events', () => {
    const detailsOf = (row: AuditEvent) => JSON.parse(row.details) as Record<string, unknown>;

    it('auth.login: the user, the client ip and user agent, in the session’s transaction', async () => {
      const response = await login('callback1', DEMO_PASSWORD);
      expect(response.status).toBe(200);
      const [row] = (await rowsOf('auth.login', String(response.body.user.id))).slice(-1);
      expect(row).toMatchObject({ actorId: response.body.user.id, actorName: '回访员陈静', actorRole: 'callback_agent', targetType: 'user', correlationId: 'audit-login-0001' });
      expect(detailsOf(row)).toEqual({ username: 'callback1', ip: expect.any(String), userAgent: USER_AGENT });
    });

    it('auth.login-failed with the username as typed, normalised; unknown usernames alike; never the password', async () => {
      expect((await login('  Agent2 ', 'wrong-password-1')).status).toBe(401);
      expect((await login('no-such-user', 'wrong-password-2')).status).toBe(401);
      const [known] = await rowsOf('auth.login-failed', 'agent2');
      expect(known).toMatchObject({ actorId: null, actorName: 'agent2', actorRole: 'anonymous', targetType: 'username' });
      expect(detailsOf(known)).toEqual({ username: 'agent2', reason: 'wrong-credentials', failures: 1, ip: expect.any(String), userAgent: USER_AGENT });
      const [unknown] = await rowsOf('auth.login-failed', 'no-such-user');
      expect(detailsOf(unknown)).toMatchObject({ username: 'no-such-user', reason: 'wrong-credentials', failures: 1 });
      expect(known.details + unknown.details).not.toMatch(/wrong-password/);
    });

    it('auth.lockout when the account gets locked, and auth.login-failed for attempts while locked', async () => {
      for (let i = 1; i < 3; i++) expect((await login('reviewer1', `guess-${i}`)).status).toBe(401);
      expect((await login('reviewer1', 'guess-3')).status).toBe(423);
      expect((await login('reviewer1', DEMO_PASSWORD)).status).toBe(423);
      const lockouts = await rowsOf('auth.lockout', 'reviewer1');
      expect(lockouts).toHaveLength(1);
      expect(detailsOf(lockouts[0])).toEqual({ username: 'reviewer1', failures: 3, lockedUntil: expect.any(String), ip: expect.any(String), userAgent: USER_AGENT });
      const failures = (await rowsOf('auth.login-failed', 'reviewer1')).map(detailsOf);
      expect(failures.map((d) => d.reason)).toEqual(['wrong-credentials', 'wrong-credentials', 'wrong-credentials', 'locked']);
      expect(JSON.stringify(failures)).not.toContain(DEMO_PASSWORD);
    });

    it('auth.logout', async () => {
      const { body } = await login('dispatcher1', DEMO_PASSWORD);
      await request(t.server).post('/api/auth/logout').set('Authorization', `Bearer ${body.accessToken}`).set('User-Agent', USER_AGENT).expect(204);
      const [row] = await rowsOf('auth.logout', String(body.user.id));
      expect(row).toMatchObject({ actorId: body.user.id, actorName: '派单员王强', actorRole: 'dispatcher', targetType: 'user' });
      expect(detailsOf(row)).toEqual({ username: 'dispatcher1', ip: expect.any(String), userAgent: USER_AGENT });
    });

    it('auth.refresh-reuse when a used refresh token comes again', async () => {
      const { body } = await login('agent1', DEMO_PASSWORD);
      expect((await request(t.server).post('/api/auth/refresh').send({ refreshToken: body.refreshToken })).status).toBe(200);
      expect((await request(t.server).post('/api/auth/refresh').set('User-Agent', USER_AGENT).send({ refreshToken: body.refreshToken })).status).toBe(401);
      const [row] = await rowsOf('auth.refresh-reuse', String(body.user.id));
      expect(row).toMatchObject({ actorId: body.user.id, actorRole: 'agent', targetType: 'user' });
      expect(detailsOf(row)).toMatchObject({ username: 'agent1', refreshTokenId: expect.any(String), userAgent: USER_AGENT });
    });

    it('auth.password-change from the set-password command line, naming who ran it and never the password', async () => {
      const password = 'Another-Password-2027';
      await setPassword(dataSource, t.app.get(PasswordHasher), 'supervisor1', password, 'ops-alice');
      const supervisor = await dataSource.query(engine === 'mysql' ? 'SELECT id FROM `users` WHERE username = ?' : 'SELECT id FROM "users" WHERE username = ?', ['supervisor1']);
      const [row] = await rowsOf('auth.password-change', String(supervisor[0].id));
      expect(row).toMatchObject({ actorId: null, actorName: 'cli:ops-alice', actorRole: 'system', targetType: 'user' });
      expect(detailsOf(row)).toEqual({ username: 'supervisor1', via: 'set-password', unlocked: true, sessionsEnded: true });
      expect(row.details).not.toContain(password);
      expect((await login('supervisor1', password)).status).toBe(200);
    });

    it('auth.password-change from POST /api/auth/change-password (self-service), never the password', async () => {
      const { body } = await login('agent2', DEMO_PASSWORD);
      const newPassword = 'Own-Password-2027';
      await request(t.server)
        .post('/api/auth/change-password')
        .set('Authorization', `Bearer ${body.accessToken}`)
        .send({ currentPassword: DEMO_PASSWORD, newPassword })
        .expect(204);
      const [row] = await rowsOf('auth.password-change', String(body.user.id));
      expect(row).toMatchObject({ actorId: body.user.id, actorName: '话务员李娜', actorRole: 'agent', targetType: 'user' });
      expect(detailsOf(row)).toMatchObject({ username: 'agent2', via: 'change-password' });
      expect(row.details).not.toContain(newPassword);
      expect(row.details).not.toContain(DEMO_PASSWORD);
    });

    it('the auditor finds them all under the prefix auth.', async () => {
      const found = new Set((await items({ action: 'auth.', pageSize: 200 })).map((r) => r.action));
      expect([...found].sort()).toEqual(['auth.lockout', 'auth.login', 'auth.login-failed', 'auth.logout', 'auth.password-change', 'auth.refresh-reuse']);
    });
  });

  describe('retention', () => {
    it('is scheduled daily', () => {
      expect(t.app.get(SchedulerRegistry).getCronJob('audit-retention').cronTime.source).toBe('0 17 3 * * *');
    });

    it('purges only rows older than AUDIT_RETENTION_DAYS (180), in batches, idempotently, and records the purge', async () => {
      const retention = t.app.get(AuditRetention);
      const now = new Date('2026-12-01T04:00:00.000Z');
      const place = async (daysAgo: number, targetId: string) => {
        t.clock.set(new Date(now.getTime() - daysAgo * DAY));
        await audit.record({ actor: admin, action: 'retention.test', targetType: 'retention_test', targetId, details: {} });
      };
      try {
        for (let i = 0; i < 5; i++) await place(181 + i, `old-${i}`);
        await place(180 + 1 / 24, 'just-past');
        await place(180 - 1 / 24, 'just-kept');
        await place(10, 'recent');
        t.clock.set(now);
        const before = await dataSource.getRepository(AuditEvent).count();
        // Two instances at once, batches of 2: together they delete each old row once, and neither fails.
        const [first, second] = await Promise.all([retention.purge(2), retention.purge(2)]);
        expect(first.deleted + second.deleted).toBe(6);
        expect(first.cutoff.toISOString()).toBe(new Date(now.getTime() - 180 * DAY).toISOString());
        const left = (await rowsOf('retention.test')).map((r) => r.targetId);
        expect(left).toEqual(['just-kept', 'recent']);
        const purges = await rowsOf('audit.purge');
        expect(purges.length).toBeGreaterThanOrEqual(1);
        expect(JSON.parse(purges[0].details)).toMatchObject({ retentionDays: 180, cutoff: first.cutoff.toISOString() });
        expect(await dataSource.getRepository(AuditEvent).count()).toBe(before - 6 + purges.length);
        // Again: nothing left to delete, and no new purge row.
        expect((await retention.purge()).deleted).toBe(0);
        expect(await rowsOf('audit.purge')).toHaveLength(purges.length);
      } finally {
        t.clock.set(null);
      }
    });
  });
});
