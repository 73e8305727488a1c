import { DataSource } from 'typeorm';
import { EscalationService } from '../escalation/escalation.service';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';
import { Unit } from '../units/unit.entity';

/** An instant given as the center's local time (Asia/Shanghai, +08:00). */
const local = (text: string) => new Date(`${text}:00+08:00`);
const iso = (text: string) => local(text).toISOString();

const USERS = ['agent1', 'dispatcher1', 'supervisor1', 'reviewer1', 'cgj_handler', 'cgj_admin', 'water_handler', 'dc_cy_handler'];

/** 领导审签: with the lead unit's leaderSignOff on, a handler's reply waits for the unit's admin (unit_review). */
describe.each(enginesUnderTest())('leader sign-off of replies (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  const previousTick = process.env.ESCALATION_TICK_SECONDS;

  beforeAll(async () => {
    process.env.ESCALATION_TICK_SECONDS = '0';
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    // Logged in on the real clock, before tests move it.
    for (const user of USERS) await t.token(user);
  });

  afterAll(async () => {
    await t?.close();
    if (previousTick === undefined) delete process.env.ESCALATION_TICK_SECONDS;
    else process.env.ESCALATION_TICK_SECONDS = previousTick;
  });

  afterEach(() => t.clock.set(null));

  const view = async (username: string, id: number): Promise<OrderBody> => (await t.get(username, `/api/work-orders/${id}`)).body;

  it('is on for bureaus and districts, off for the other units (the platform default)', async () => {
    const units = await t.app.get(DataSource).getRepository(Unit).find();
    for (const unit of units) expect({ code: unit.code, on: unit.leaderSignOff }).toEqual({ code: unit.code, on: unit.type === 'bureau' || unit.type === 'district' });
  });

  it("a handler's reply waits in unit_review; the admin sends it back with a reason, then approves the next one", async () => {
    const order = await d.processing('cgj');
    const replied = await d.act('cgj_handler', order.id, 'reply', { content: '已更换灯泡' });
    expect(replied).toMatchObject({ status: 'unit_review', reply: '已更换灯泡', repliedAt: null, replyLateMinutes: null });
    // The reply deadline keeps running: the scheduler keeps looking at the order.
    expect(replied.deadlineCheckAt).toEqual(expect.any(String));
    expect((replied.deadlines as { kind: string; running: boolean }[]).find((x) => x.kind === 'reply')?.running).toBe(true);
    expect(replied.timeline.at(-1)).toMatchObject({ action: 'reply', fromStatus: 'processing', toStatus: 'unit_review', actorRole: 'handler', payload: expect.objectContaining({ signOff: true }) });

    // Who may do what now.
    expect(replied.allowedActions).not.toEqual(expect.arrayContaining(['unit-approve-reply']));
    expect((await view('cgj_admin', order.id)).allowedActions).toEqual(expect.arrayContaining(['assign', 'unit-approve-reply', 'unit-reject-reply']));
    expect((await view('reviewer1', order.id)).allowedActions).not.toContain('approve-reply');
    const byHandler = await d.try('cgj_handler', order.id, 'unit-approve-reply');
    expect(byHandler.status).toBe(403);
    expect((await d.try('zjj_admin', order.id, 'unit-approve-reply')).status).toBe(404);
    const early = await d.try('reviewer1', order.id, 'approve-reply');
    expect(early.status).toBe(409);
    expect(early.body.details).toMatchObject({ status: 'unit_review' });
    expect((await d.try('cgj_handler', order.id, 'reply', { content: '再次答复' })).status).toBe(409);

    // Sent back: the reason is required.
    expect((await d.try('cgj_admin', order.id, 'unit-reject-reply')).status).toBe(400);
    const back = await d.act('cgj_admin', order.id, 'unit-reject-reply', { reason: '请补充处理前后照片' });
    expect(back.status).toBe('processing');
    expect(back.timeline.at(-1)).toMatchObject({ action: 'unit-reject-reply', fromStatus: 'unit_review', toStatus: 'processing', actorRole: 'unit_admin', reason: '请补充处理前后照片' });
    expect(back.deadlineCheckAt).toEqual(expect.any(String));

    await d.act('cgj_handler', order.id, 'reply', { content: '已更换灯泡，附处理前后照片' });
    const approved = await d.act('cgj_admin', order.id, 'unit-approve-reply', { note: '同意答复' });
    expect(approved).toMatchObject({ status: 'reply_review', reply: '已更换灯泡，附处理前后照片', repliedAt: expect.any(String), deadlineCheckAt: null });
    expect(approved.timeline.at(-1)).toMatchObject({ action: 'unit-approve-reply', fromStatus: 'unit_review', toStatus: 'reply_review', reason: '同意答复' });
    expect((await d.try('cgj_admin', order.id, 'unit-approve-reply')).status).toBe(409);
    expect((await d.act('reviewer1', order.id, 'approve-reply')).status).toBe('callback_pending');
    expect(approved.timeline.map((e) => e.action).slice(-4)).toEqual(['reply', 'unit-reject-reply', 'reply', 'unit-approve-reply']);
  });

  it("the unit admin's own reply goes straight to the center", async () => {
    const order = await d.processing('cgj');
    const replied = await d.act('cgj_admin', order.id, 'reply', { content: '已处理' });
    expect(replied).toMatchObject({ status: 'reply_review', repliedAt: expect.any(String) });
  });

  it('without leaderSignOff (a utility, a street) a handler replies straight to the center', async () => {
    for (const lead of ['water', 'dc_cy']) {
      const order = await d.processing(lead);
      const replied = await d.act(`${lead}_handler`, order.id, 'reply', { content: '已处理' });
      expect({ lead, status: replied.status }).toEqual({ lead, status: 'reply_review' });
    }
  });

  it('the lateness is measured when the reply reaches the center, and the deadline escalates during unit_review', async () => {
    // A consultation dispatched Mon 09:00 is due Tue 09:00 (1 working day).
    t.clock.set(local('2026-03-09T09:00'));
    const order = await d.processing('cgj', { requestType: 'consultation' });
    expect(order.replyDueAt).toBe(iso('2026-03-10T09:00'));
    await d.act('cgj_handler', order.id, 'contact', { method: 'phone', note: '已联系' });
    t.clock.set(local('2026-03-10T08:45'));
    const onTime = await d.act('cgj_handler', order.id, 'reply', { content: '已答复' });
    expect(onTime).toMatchObject({ status: 'unit_review', replyLateMinutes: null });

    // Still inside the unit when the deadline passes: the scheduler flags it red like any handling order.
    await t.app.get(EscalationService).tick(local('2026-03-10T09:30'));
    const red = await d.read(order.id);
    expect(red).toMatchObject({ status: 'unit_review', warningLevel: 'red' });
    expect(red.timeline.at(-1)).toMatchObject({ action: 'overdue', payload: expect.objectContaining({ deadline: 'replyDueAt' }) });

    t.clock.set(local('2026-03-10T10:00'));
    const approved = await d.act('cgj_admin', order.id, 'unit-approve-reply');
    expect(approved).toMatchObject({ status: 'reply_review', replyLateMinutes: 60, repliedAt: iso('2026-03-10T10:00'), warningLevel: 'none', deadlineCheckAt: null });
    expect(approved.timeline.at(-1)?.payload).toEqual({ replyLateMinutes: 60 });
  });

  it('a unit admin may assign while the reply waits in unit_review', async () => {
    const order = await d.processing('cgj');
    await d.act('cgj_handler', order.id, 'reply', { content: '已处理' });
    const admin = (await t.get('cgj_admin', '/api/me')).body.id;
    const assigned = await d.act('cgj_admin', order.id, 'assign', { assigneeId: admin });
    expect(assigned).toMatchObject({ status: 'unit_review', assigneeId: admin });
  });
});
