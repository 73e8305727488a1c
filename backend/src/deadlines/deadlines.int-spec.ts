import request from 'supertest';
import { DataSource } from 'typeorm';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';

/** An instant given as the center's local time (Asia/Shanghai, +08:00). */
const local = (text: string) => new Date(`${text}:00+08:00`);
const iso = (text: string) => local(text).toISOString();

const USERS = ['agent1', 'dispatcher1', 'supervisor1', 'reviewer1', 'callback1', 'cgj_handler', 'cgj_admin', 'dc_handler', 'dc_cy_handler', 'scjgj_handler'];

describe.each(enginesUnderTest())('deadlines on the working calendar (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    // Logged in on the real clock, before tests move it.
    for (const user of USERS) await t.token(user);
  });

  afterAll(async () => {
    await t.close();
  });

  afterEach(() => t.clock.set(null));

  const put = async (username: string, path: string, body: object) => request(t.server).put(path).set('Authorization', `Bearer ${await t.token(username)}`).send(body);

  /** Registers and dispatches at a given local time. */
  async function dispatchAt(when: string, lead: string, overrides: Record<string, unknown> = {}): Promise<{ registered: OrderBody; dispatched: OrderBody }> {
    t.clock.set(local(when));
    const registered = await d.register('agent1', overrides);
    const dispatched = await d.act('dispatcher1', registered.id, 'dispatch', { leadUnitId: d.unit(lead) });
    return { registered, dispatched };
  }

  it('a complaint dispatched on a Wednesday morning: every deadline stored, in working time', async () => {
    const { registered, dispatched } = await dispatchAt('2026-03-04T09:00', 'scjgj', { categoryId: d.category('C030101') });
    expect(registered).toMatchObject({ requestType: 'complaint', dispatchDueAt: iso('2026-03-05T09:00'), warningLevel: 'none', deadlineCheckAt: iso('2026-03-04T09:00') });
    expect(dispatched).toMatchObject({
      acceptDueAt: iso('2026-03-04T11:00'),
      contactDueAt: iso('2026-03-05T09:00'),
      replyDueAt: iso('2026-03-11T09:00'),
      returnDeadlineAt: iso('2026-03-06T09:00'),
      replyClockStartedAt: iso('2026-03-04T09:00'),
      deadlineCheckAt: iso('2026-03-04T09:00'),
      extensionApprovedMinutes: 0,
      acceptLateMinutes: null,
    });
    expect(dispatched.timeline.at(-1)?.payload).toMatchObject({ replyDueAt: iso('2026-03-11T09:00'), returnDeadlineAt: iso('2026-03-06T09:00') });
    // The stored row has them too, exactly.
    const [row] = await t.app.get(DataSource).query(`SELECT * FROM work_orders WHERE id = ${Number(dispatched.id)}`);
    const stored = row.replyDueAt instanceof Date ? row.replyDueAt : new Date(`${String(row.replyDueAt).replace(' ', 'T')}Z`);
    expect(stored.toISOString()).toBe(iso('2026-03-11T09:00'));
  });

  it('a consultation on a Friday evening is due on Monday 08:30 (Saturday 2026-05-09 is a make-up working day)', async () => {
    const { registered, dispatched } = await dispatchAt('2026-05-08T20:00', 'cgj', { requestType: 'consultation' });
    expect(registered.dispatchDueAt).toBe(iso('2026-05-09T20:00'));
    expect(dispatched).toMatchObject({
      acceptDueAt: iso('2026-05-09T10:30'),
      contactDueAt: iso('2026-05-11T08:30'),
      replyDueAt: iso('2026-05-11T08:30'),
      returnDeadlineAt: iso('2026-05-12T08:30'),
    });
  });

  it('an urgent order runs on calendar hours, through the night and the holiday', async () => {
    const { registered, dispatched } = await dispatchAt('2026-09-30T23:00', 'cgj', { requestType: 'help', urgency: 'urgent' });
    expect(registered.dispatchDueAt).toBe(iso('2026-10-01T01:00'));
    expect(dispatched).toMatchObject({
      acceptDueAt: iso('2026-10-01T00:00'),
      contactDueAt: iso('2026-10-01T23:00'),
      replyDueAt: iso('2026-10-01T23:00'),
      returnDeadlineAt: iso('2026-10-10T08:30'),
    });
  });

  it('suspension stops every clock; resuming moves each running deadline by the working time spent suspended', async () => {
    const { dispatched } = await dispatchAt('2026-03-09T09:00', 'scjgj', { categoryId: d.category('C030101') });
    t.clock.set(local('2026-03-09T10:00'));
    await d.act('scjgj_handler', dispatched.id, 'accept');
    t.clock.set(local('2026-03-10T17:00'));
    const suspended = await d.act('dispatcher1', dispatched.id, 'suspend', { reason: '等待检测结果' });
    expect(suspended.deadlineCheckAt).toBeNull();
    // 16 elapsed hours, but only 17:00–17:30 and 08:30–09:00 are office time: 60 working minutes.
    t.clock.set(local('2026-03-11T09:00'));
    const resumed = await d.act('dispatcher1', dispatched.id, 'resume');
    expect(resumed).toMatchObject({
      status: 'processing',
      replyDueAt: iso('2026-03-16T10:00'),
      contactDueAt: iso('2026-03-10T10:00'), // not contacted yet: still running, moved
      returnDeadlineAt: iso('2026-03-11T10:00'),
      acceptDueAt: iso('2026-03-09T11:00'), // accepted before: no longer running, unchanged
      replyClockStartedAt: iso('2026-03-09T10:00'),
      deadlineCheckAt: iso('2026-03-11T09:00'),
    });
    expect(resumed.timeline.at(-1)?.payload).toMatchObject({ suspendedWorkingMinutes: 60, suspendedMilliseconds: 16 * 3_600_000 });
  });

  it('an urgent order’s calendar-hour deadlines move by the elapsed time suspended', async () => {
    const { dispatched } = await dispatchAt('2026-03-10T16:00', 'cgj', { requestType: 'help', urgency: 'urgent' });
    t.clock.set(local('2026-03-10T17:00'));
    await d.act('dispatcher1', dispatched.id, 'suspend', { reason: '市民要求暂缓' });
    t.clock.set(local('2026-03-11T09:00'));
    expect((await d.act('dispatcher1', dispatched.id, 'resume')).replyDueAt).toBe(iso('2026-03-12T08:00'));
  });

  it('the total approved extension never passes 10 working days: 422 with the cap and what is left, checked again on approval', async () => {
    const { dispatched } = await dispatchAt('2026-03-09T09:00', 'scjgj', { categoryId: d.category('C030101') });
    await d.act('scjgj_handler', dispatched.id, 'accept');
    expect(dispatched.replyDueAt).toBe(iso('2026-03-16T09:00'));
    const tooMuch = await d.try('scjgj_handler', dispatched.id, 'request-extension', { requestedDueAt: iso('2026-03-31T09:00'), reason: '需要检测' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.message).toContain('4500 working minutes (10 working days)');
    expect(tooMuch.body.message).toContain('4500 working minutes (10 working days) left');
    expect(tooMuch.body.details).toMatchObject({ capMinutes: 4500, leftMinutes: 4500, requestedMinutes: 11 * 450 });

    await d.act('scjgj_handler', dispatched.id, 'request-extension', { requestedDueAt: iso('2026-03-24T09:00'), reason: '需要检测' });
    const approved = await d.act('dispatcher1', dispatched.id, 'approve-extension');
    expect(approved).toMatchObject({ replyDueAt: iso('2026-03-24T09:00'), extensionApprovedMinutes: 6 * 450 });

    const beyond = await d.try('scjgj_handler', dispatched.id, 'request-extension', { requestedDueAt: iso('2026-03-31T09:00'), reason: '再延期' });
    expect(beyond.status).toBe(422);
    expect(beyond.body.message).toMatch(/1800 working minutes \(4 working days\) left, and this one asks for 2250 working minutes \(5 working days\)/);

    // Within the cap when asked; the admins lower the cap before the approval: the approval checks again.
    await d.act('scjgj_handler', dispatched.id, 'request-extension', { requestedDueAt: iso('2026-03-30T09:00'), reason: '再延期' });
    const rules = (await t.get('admin', '/api/deadline-rules')).body.items as { categoryId: number | null; limits: Record<string, unknown> }[];
    const lowered = rules.map((r) => ({ ...r, limits: { ...r.limits, extensionCap: { amount: 8, unit: 'working_days' } } }));
    expect((await put('admin', '/api/deadline-rules', { items: lowered })).status).toBe(200);
    try {
      const refused = await d.try('dispatcher1', dispatched.id, 'approve-extension');
      expect(refused.status).toBe(422);
      expect(refused.body.message).toMatch(/3600 working minutes \(8 working days\) in total: 900 working minutes \(2 working days\) left/);
    } finally {
      expect((await put('admin', '/api/deadline-rules', { items: rules })).status).toBe(200);
    }
    const late = await d.act('dispatcher1', dispatched.id, 'approve-extension');
    expect(late).toMatchObject({ replyDueAt: iso('2026-03-30T09:00'), extensionApprovedMinutes: 10 * 450 });
  });

  it('a return after the return window answers 409 with the reason; allowedActions no longer offer it', async () => {
    const { dispatched } = await dispatchAt('2026-03-09T09:00', 'cgj');
    expect(dispatched.returnDeadlineAt).toBe(iso('2026-03-11T09:00'));
    t.clock.set(local('2026-03-11T09:00'));
    expect((await t.get('cgj_handler', `/api/work-orders/${dispatched.id}`)).body.allowedActions).toContain('return');
    t.clock.set(local('2026-03-11T09:01'));
    const detail = (await t.get('cgj_handler', `/api/work-orders/${dispatched.id}`)).body;
    expect(detail.allowedActions).toEqual(['accept']);
    const late = await d.try('cgj_handler', dispatched.id, 'return', { reasonCode: 'not_our_responsibility', reason: '不属于本单位职责' });
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/return window has closed/);
    expect(late.body.details.allowedActions).toEqual(['accept']);
  });

  it('a return within the window, approved, goes back to the center with a new dispatch limit and no unit deadlines', async () => {
    const { dispatched } = await dispatchAt('2026-03-09T09:00', 'cgj');
    t.clock.set(local('2026-03-10T09:00'));
    await d.act('cgj_handler', dispatched.id, 'return', { reasonCode: 'not_our_responsibility', reason: '不属于本单位职责' });
    const back = await d.act('dispatcher1', dispatched.id, 'approve-return');
    expect(back).toMatchObject({ status: 'registered', dispatchDueAt: iso('2026-03-11T09:00'), acceptDueAt: null, replyDueAt: null, returnDeadlineAt: null, deadlineCheckAt: iso('2026-03-10T09:00') });
  });

  it('an unresolved callback and a reopening each start the reopened-order limit of 3 working days', async () => {
    const { dispatched } = await dispatchAt('2026-03-02T09:00', 'cgj');
    await d.act('cgj_handler', dispatched.id, 'accept');
    await d.reply('cgj_handler', dispatched.id, { content: '已处理' });
    const inReview = await d.act('reviewer1', dispatched.id, 'approve-reply');
    expect(inReview.deadlineCheckAt).toBeNull();
    t.clock.set(local('2026-03-04T10:00'));
    const reopened = await d.act('callback1', dispatched.id, 'callback', { resolved: false, satisfaction: 'dissatisfied' });
    expect(reopened).toMatchObject({ status: 'processing', replyDueAt: iso('2026-03-09T10:00'), replyClockStartedAt: iso('2026-03-04T10:00'), warningLevel: 'none', escalationStage: 0 });
    await d.reply('cgj_handler', dispatched.id, { content: '已更换线路' });
    await d.act('reviewer1', dispatched.id, 'approve-reply');
    const closed = await d.act('callback1', dispatched.id, 'callback', { resolved: true, satisfaction: 'satisfied' });
    expect(closed.deadlineCheckAt).toBeNull();
    t.clock.set(local('2026-04-03T16:00')); // Fri before Qingming (Apr 4–6): three working days end Thu 04-09
    const again = await d.act('supervisor1', dispatched.id, 'reopen', { reason: '市民再次反映' });
    expect(again).toMatchObject({ status: 'processing', replyDueAt: iso('2026-04-09T16:00'), deadlineCheckAt: iso('2026-04-03T16:00') });
  });

  it('a child order gets its own deadlines, never later than its parent’s; a later one is refused', async () => {
    const { dispatched: parent } = await dispatchAt('2026-03-09T09:00', 'dc', { requestType: 'consultation' });
    await d.act('dc_handler', parent.id, 'accept');
    expect(parent.replyDueAt).toBe(iso('2026-03-10T09:00'));
    t.clock.set(local('2026-03-09T10:00'));
    const refused = await d.try('dc_handler', parent.id, 'sub-dispatch', { unitId: d.unit('dc_cy'), instruction: '请街道处理', replyDueAt: iso('2026-03-10T10:00') });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/may not be later than the parent's/);
    const withChild = await d.act('dc_handler', parent.id, 'sub-dispatch', { unitId: d.unit('dc_cy'), instruction: '请街道处理' });
    const child = await d.read(withChild.children[0].id);
    expect(child).toMatchObject({
      status: 'dispatched',
      acceptDueAt: iso('2026-03-09T12:00'), // its own acceptance limit, from the sub-dispatch
      replyDueAt: iso('2026-03-10T09:00'), // its own 1 working day would be 10:00: the parent's is earlier
      contactDueAt: iso('2026-03-10T09:00'),
      returnDeadlineAt: iso('2026-03-10T09:00'),
      replyClockStartedAt: iso('2026-03-09T10:00'),
      deadlineCheckAt: iso('2026-03-09T10:00'),
    });
  });

  it('records lateness when it happens: accepted, first contact and replied late, in working minutes', async () => {
    const { dispatched } = await dispatchAt('2026-03-09T09:00', 'cgj', { requestType: 'consultation' });
    t.clock.set(local('2026-03-09T11:30'));
    const accepted = await d.act('cgj_handler', dispatched.id, 'accept');
    expect(accepted).toMatchObject({ acceptLateMinutes: 30, contactLateMinutes: null, replyLateMinutes: null });
    t.clock.set(local('2026-03-10T09:45'));
    expect((await d.act('cgj_handler', dispatched.id, 'contact', { method: 'phone', note: '已联系' })).contactLateMinutes).toBe(45);
    t.clock.set(local('2026-03-10T14:00'));
    const replied = await d.reply('cgj_handler', dispatched.id, { content: '已答复' });
    expect(replied).toMatchObject({ acceptLateMinutes: 30, contactLateMinutes: 45, replyLateMinutes: 210, deadlineCheckAt: null });
    expect(replied.timeline.at(-1)?.payload).toMatchObject({ replyLateMinutes: 210 });
  });

  it('a supervision that moves a missed reply deadline does not make a later reply timely', async () => {
    const { dispatched } = await dispatchAt('2026-03-09T09:00', 'cgj', { requestType: 'consultation' });
    expect(dispatched.replyDueAt).toBe(iso('2026-03-10T09:00'));
    await d.act('cgj_handler', dispatched.id, 'accept');
    t.clock.set(local('2026-03-10T10:00'));
    await d.act('supervisor1', dispatched.id, 'supervise', { instruction: '请尽快办理', replyDueAt: '2026-03-12T17:00:00+08:00' });
    t.clock.set(local('2026-03-11T09:00'));
    await d.act('cgj_handler', dispatched.id, 'contact', { method: 'phone', note: '已联系' });
    const replied = await d.reply('cgj_handler', dispatched.id, { content: '已答复' });
    // From the missed 03-10 09:00 to 03-11 09:00: one working day of 450 office minutes, although the new deadline was met.
    expect(replied).toMatchObject({ replyDueAt: iso('2026-03-12T17:00'), replyLateMinutes: 450 });
  });

  it('an order handled on time records no lateness', async () => {
    const { dispatched } = await dispatchAt('2026-03-09T09:00', 'cgj', { requestType: 'consultation' });
    t.clock.set(local('2026-03-09T10:00'));
    await d.act('cgj_handler', dispatched.id, 'accept');
    await d.act('cgj_handler', dispatched.id, 'contact', { method: 'phone', note: '已联系' });
    const replied = await d.reply('cgj_handler', dispatched.id, { content: '已答复' });
    expect(replied).toMatchObject({ acceptLateMinutes: null, contactLateMinutes: null, replyLateMinutes: null });
  });

  it('lists orders by warning level (?warning=yellow|red); any other level is a 400', async () => {
    const { dispatched: red } = await dispatchAt('2026-03-09T09:00', 'cgj');
    const { dispatched: yellow } = await dispatchAt('2026-03-09T09:00', 'cgj');
    await dispatchAt('2026-03-09T09:00', 'cgj');
    // The escalation scheduler sets the level; here it is set directly.
    const db = t.app.get(DataSource);
    await db.query(`UPDATE work_orders SET warningLevel = 'red' WHERE id = ${Number(red.id)}`);
    await db.query(`UPDATE work_orders SET warningLevel = 'yellow' WHERE id = ${Number(yellow.id)}`);
    const reds = await t.get('dispatcher1', '/api/work-orders?warning=red&pageSize=100');
    expect(reds.status).toBe(200);
    expect(reds.body.items.map((o: OrderBody) => o.id)).toEqual([red.id]);
    expect(reds.body.items[0]).toMatchObject({ warningLevel: 'red' });
    const yellows = await t.get('cgj_handler', '/api/work-orders?warning=yellow&pageSize=100');
    expect(yellows.body.items.map((o: OrderBody) => o.id)).toEqual([yellow.id]);
    const bad = await t.get('dispatcher1', '/api/work-orders?warning=purple');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('warning must be one of yellow, red');

    // Once the unit has replied nothing runs late any more: the order leaves the red list (its lateness stays recorded).
    await d.act('cgj_handler', red.id, 'accept');
    const replied = await d.reply('cgj_handler', red.id, { content: '已答复' });
    expect(replied).toMatchObject({ status: 'reply_review', warningLevel: 'none', deadlineCheckAt: null });
    const redsAfter = await t.get('dispatcher1', '/api/work-orders?warning=red&pageSize=100');
    expect(redsAfter.body.items).toEqual([]);
  });
});
