import request from 'supertest';
import { DataSource } from 'typeorm';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';

interface RuleBody {
  requestType: string;
  urgency: string;
  categoryId: number | null;
  limits: Record<string, { amount: number; unit: string }>;
}

const local = (text: string) => new Date(`${text}:00+08:00`);
const iso = (text: string) => local(text).toISOString();

describe.each(enginesUnderTest())('the time-limit rules API (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let seeded: RuleBody[];

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    for (const user of ['agent1', 'dispatcher1']) await t.token(user);
  });

  afterAll(async () => {
    await t.close();
  });

  afterEach(() => t.clock.set(null));

  const put = async (username: string, body: object) => request(t.server).put('/api/deadline-rules').set('Authorization', `Bearer ${await t.token(username)}`).send(body);
  const rule = (rules: RuleBody[], requestType: string, urgency: string, categoryId: number | null = null) =>
    rules.find((r) => r.requestType === requestType && r.urgency === urgency && r.categoryId === categoryId);

  it('lists the seeded defaults to the admin', async () => {
    const response = await t.get('admin', '/api/deadline-rules');
    expect(response.status).toBe(200);
    seeded = response.body.items;
    expect(seeded).toHaveLength(18);
    expect(rule(seeded, 'complaint', 'normal')?.limits).toEqual({
      dispatch: { amount: 24, unit: 'calendar_hours' },
      accept: { amount: 2, unit: 'working_hours' },
      contact: { amount: 1, unit: 'working_days' },
      reply: { amount: 5, unit: 'working_days' },
      reopen: { amount: 3, unit: 'working_days' },
      returnWindow: { amount: 2, unit: 'working_days' },
      extensionCap: { amount: 10, unit: 'working_days' },
    });
    expect(rule(seeded, 'consultation', 'normal')?.limits.reply).toEqual({ amount: 1, unit: 'working_days' });
    expect(rule(seeded, 'suggestion', 'normal')?.limits.reply).toEqual({ amount: 10, unit: 'working_days' });
    expect(rule(seeded, 'praise', 'urgent')?.limits).toMatchObject({ dispatch: { amount: 2, unit: 'calendar_hours' }, accept: { amount: 1, unit: 'calendar_hours' }, reply: { amount: 24, unit: 'calendar_hours' } });
    expect(rule(seeded, 'help', 'critical')?.limits).toMatchObject({ dispatch: { amount: 1, unit: 'calendar_hours' }, accept: { amount: 0.5, unit: 'calendar_hours' }, reply: { amount: 2, unit: 'calendar_hours' } });
  });

  it.each(['dispatcher1', 'supervisor1', 'cgj_handler'])('refuses %s (admin only)', async (user) => {
    const listed = await t.get(user, '/api/deadline-rules');
    expect(listed.status).toBe(403);
    expect(listed.body.message).toBe('This needs one of the roles: admin');
    expect((await put(user, { items: seeded })).status).toBe(403);
  });

  it.each([
    ['no items', {}, 400, /items/],
    ['an unknown unit', (r: RuleBody[]) => r.map((x, i) => (i === 0 ? { ...x, limits: { ...x.limits, reply: { amount: 5, unit: 'weeks' } } } : x)), 400, /unit must be one of working_days, working_hours, calendar_hours/],
    ['a negative amount', (r: RuleBody[]) => r.map((x, i) => (i === 0 ? { ...x, limits: { ...x.limits, reply: { amount: -1, unit: 'working_days' } } } : x)), 400, /amount must be greater than 0/],
    ['a missing limit', (r: RuleBody[]) => r.map((x, i) => (i === 0 ? { ...x, limits: { ...x.limits, reopen: undefined } } : x)), 400, /reopen/],
    ['fractional working days', (r: RuleBody[]) => r.map((x, i) => (i === 0 ? { ...x, limits: { ...x.limits, reply: { amount: 2.5, unit: 'working_days' } } } : x)), 422, /working_days must be a whole number/],
    ['a cap in calendar hours', (r: RuleBody[]) => r.map((x, i) => (i === 0 ? { ...x, limits: { ...x.limits, extensionCap: { amount: 48, unit: 'calendar_hours' } } } : x)), 422, /extensions are counted in working time/],
    ['a missing request type × urgency', (r: RuleBody[]) => r.filter((x) => !(x.requestType === 'help' && x.urgency === 'urgent')), 422, /missing: help\/urgent/],
    ['a duplicate', (r: RuleBody[]) => [...r, r[0]], 422, /already a rule for/],
    ['an unknown category', (r: RuleBody[]) => [...r, { ...r[0], categoryId: 999999 }], 422, /Categories 999999 do not exist/],
  ] as const)('refuses %s with a message', async (_label, change, status, message) => {
    const before = await t.get('admin', '/api/deadline-rules');
    const body = typeof change === 'function' ? { items: change(seeded) } : change;
    const response = await put('admin', body);
    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body.message)).toMatch(message);
    expect((await t.get('admin', '/api/deadline-rules')).body).toEqual(before.body);
  });

  it('replaces the rules, writes one audit row per change, and new dispatches use them (a category override wins)', async () => {
    const db = t.app.get(DataSource);
    const auditBefore = Number((await db.query("SELECT COUNT(*) AS n FROM audit_events WHERE targetType = 'deadline_rule'"))[0].n);
    const category = d.category('C030101');
    const items = seeded.map((r) => (r.requestType === 'complaint' && r.urgency === 'normal' ? { ...r, limits: { ...r.limits, reply: { amount: 7, unit: 'working_days' } } } : r));
    const complaint = rule(seeded, 'complaint', 'normal') as RuleBody;
    items.push({ ...complaint, categoryId: category, limits: { ...complaint.limits, accept: { amount: 4, unit: 'working_hours' }, reply: { amount: 15, unit: 'working_days' } } });
    const response = await put('admin', { items });
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(19);
    expect(rule(response.body.items, 'complaint', 'normal')?.limits.reply).toEqual({ amount: 7, unit: 'working_days' });
    expect(rule(response.body.items, 'complaint', 'normal', category)?.limits.reply).toEqual({ amount: 15, unit: 'working_days' });

    const audit = await db.query("SELECT action, targetId, details, actorRole FROM audit_events WHERE targetType = 'deadline_rule' ORDER BY id");
    expect(audit.length - auditBefore).toBe(2);
    expect(audit.slice(-2).map((a: { action: string; targetId: string }) => [a.action, a.targetId])).toEqual(
      expect.arrayContaining([
        ['deadline.rule.update', 'complaint:normal:*'],
        ['deadline.rule.create', `complaint:normal:${category}`],
      ]),
    );
    const update = audit.find((a: { action: string }) => a.action === 'deadline.rule.update');
    expect(JSON.parse(update.details)).toMatchObject({ before: { limits: { reply: { amount: 5 } } }, after: { limits: { reply: { amount: 7 } } } });
    expect(update.actorRole).toBe('admin');

    // Saving the same table again changes nothing and writes no audit row.
    expect((await put('admin', { items })).status).toBe(200);
    expect(Number((await db.query("SELECT COUNT(*) AS n FROM audit_events WHERE targetType = 'deadline_rule'"))[0].n)).toBe(audit.length);

    t.clock.set(local('2026-03-04T09:00'));
    const inCategory = await d.register('agent1', { categoryId: category });
    const overridden = await d.act('dispatcher1', inCategory.id, 'dispatch', { leadUnitId: d.unit('scjgj') });
    expect(overridden).toMatchObject({ acceptDueAt: iso('2026-03-04T14:30'), replyDueAt: iso('2026-03-25T09:00') });
    const general = await d.register('agent1', { requestType: 'complaint' });
    expect((await d.act('dispatcher1', general.id, 'dispatch', { leadUnitId: d.unit('cgj') })).replyDueAt).toBe(iso('2026-03-13T09:00'));

    // Removing the override is audited as a delete.
    expect((await put('admin', { items: seeded })).status).toBe(200);
    const last = await db.query("SELECT action, targetId FROM audit_events WHERE targetType = 'deadline_rule' ORDER BY id DESC");
    expect(last.slice(0, 2).map((a: { action: string; targetId: string }) => a.action).sort()).toEqual(['deadline.rule.delete', 'deadline.rule.update']);
  });

  it('an override on a category above the order\'s applies to every category below it; the nearest override wins', async () => {
    const complaint = rule(seeded, 'complaint', 'normal') as RuleBody;
    const withReply = (categoryId: number, days: number): RuleBody => ({ ...complaint, categoryId, limits: { ...complaint.limits, reply: { amount: days, unit: 'working_days' } } });
    // 消费维权 (C0301) gets 8 working days, its leaf 预付卡退费 (C030102) 12; 商品质量 (C030101) has none of its own.
    expect((await put('admin', { items: [...seeded, withReply(d.category('C0301'), 8), withReply(d.category('C030102'), 12)] })).status).toBe(200);
    try {
      t.clock.set(local('2026-03-04T09:00'));
      const byParent = await d.register('agent1', { categoryId: d.category('C030101') });
      expect((await d.act('dispatcher1', byParent.id, 'dispatch', { leadUnitId: d.unit('scjgj') })).replyDueAt).toBe(iso('2026-03-16T09:00'));
      const byLeaf = await d.register('agent1', { categoryId: d.category('C030102') });
      expect((await d.act('dispatcher1', byLeaf.id, 'dispatch', { leadUnitId: d.unit('scjgj') })).replyDueAt).toBe(iso('2026-03-20T09:00'));
    } finally {
      expect((await put('admin', { items: seeded })).status).toBe(200);
    }
  });
});
