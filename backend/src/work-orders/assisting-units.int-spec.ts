import request from 'supertest';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';

/** An instant given as the center's local time (Asia/Shanghai, +08:00). */
const local = (text: string) => new Date(`${text}:00+08:00`);
const iso = (text: string) => local(text).toISOString();

const USERS = ['agent1', 'dispatcher1', 'supervisor1', 'scjgj_handler', 'scjgj_admin', 'dc_cy_handler', 'zjj_handler', 'cgj_handler', 'dc_handler'];

interface Part {
  id: number;
  code: string;
  name: string;
  dueAt: string | null;
  reply: string | null;
  repliedAt: string | null;
  lateMinutes: number | null;
  overdue: boolean;
}

/** 协办: assisting units submit their own part by their own deadline. */
describe.each(enginesUnderTest())('assisting units (%s)', (engine) => {
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

  const partOf = (order: OrderBody, code: string): Part => {
    const part = (order.assistingUnits as Part[]).find((p) => p.code === code);
    if (!part) throw new Error(`No part of ${code}`);
    return part;
  };
  const listed = async (username: string, query: string): Promise<number[]> => {
    const response = await t.get(username, `/api/work-orders?${query}&pageSize=100`);
    expect(response.status).toBe(200);
    return response.body.items.map((o: OrderBody) => o.id);
  };

  /** A complaint (5 working days) dispatched Mon 2026-03-09 09:00 to 市场监管局 with two assisting units: reply due Mon 03-16 09:00. */
  async function dispatchAt(when: string, body: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) {
    t.clock.set(local(when));
    const registered = await d.register('agent1', { categoryId: d.category('C030101'), ...overrides });
    return d.try('dispatcher1', registered.id, 'dispatch', { leadUnitId: d.unit('scjgj'), assistingUnitIds: [d.unit('dc_cy'), d.unit('zjj')], ...body });
  }

  it('each assisting unit is due one working day before the lead’s reply, or when the dispatcher says', async () => {
    const byDefault = (await dispatchAt('2026-03-09T09:00')).body as OrderBody;
    expect(byDefault.replyDueAt).toBe(iso('2026-03-16T09:00'));
    expect(byDefault.assistingUnits).toEqual(
      expect.arrayContaining([
        { id: d.unit('dc_cy'), code: 'dc_cy', name: expect.any(String), dueAt: iso('2026-03-13T09:00'), reply: null, repliedAt: null, lateMinutes: null, overdue: false },
        expect.objectContaining({ code: 'zjj', dueAt: iso('2026-03-13T09:00') }),
      ]),
    );
    expect(byDefault.timeline.at(-1)?.payload).toMatchObject({ assistDueAt: iso('2026-03-13T09:00') });

    // A reply due within a working day: the parts are due with the reply.
    const quick = (await dispatchAt('2026-03-09T09:00', {}, { requestType: 'consultation' })).body as OrderBody;
    expect(quick.replyDueAt).toBe(iso('2026-03-10T09:00'));
    expect(partOf(quick, 'zjj').dueAt).toBe(iso('2026-03-10T09:00'));

    const given = (await dispatchAt('2026-03-09T09:00', { assistDueAt: '2026-03-12T17:00:00+08:00' })).body as OrderBody;
    expect(partOf(given, 'dc_cy').dueAt).toBe(iso('2026-03-12T17:00'));
  });

  it('refuses an assistDueAt in the past, after the reply deadline or without assisting units (422)', async () => {
    const past = await dispatchAt('2026-03-09T09:00', { assistDueAt: '2026-03-09T08:00:00+08:00' });
    expect(past.status).toBe(422);
    expect(past.body.message).toMatch(/assistDueAt must be in the future/);
    const late = await dispatchAt('2026-03-09T09:00', { assistDueAt: '2026-03-16T09:01:00+08:00' });
    expect(late.status).toBe(422);
    expect(late.body.message).toMatch(/may not be after the lead unit's reply deadline/);
    expect(late.body.details).toEqual({ replyDueAt: iso('2026-03-16T09:00') });
    const alone = await dispatchAt('2026-03-09T09:00', { assistingUnitIds: [], assistDueAt: '2026-03-12T09:00:00+08:00' });
    expect(alone.status).toBe(422);
    expect(alone.body.message).toMatch(/assistDueAt goes with assistingUnitIds/);
    expect((await dispatchAt('2026-03-09T09:00', { assistDueAt: 'tomorrow' })).status).toBe(400);
  });

  it('a recall to a new lead unit sets the parts’ due dates again; without a new lead unit assistDueAt is refused', async () => {
    const order = (await dispatchAt('2026-03-09T09:00')).body as OrderBody;
    t.clock.set(local('2026-03-10T09:00'));
    const refused = await d.try('dispatcher1', order.id, 'recall', { assistDueAt: '2026-03-12T09:00:00+08:00' });
    expect(refused.status).toBe(422);
    const moved = await d.act('dispatcher1', order.id, 'recall', { leadUnitId: d.unit('cgj'), assistingUnitIds: [d.unit('zjj')], assistDueAt: '2026-03-13T17:00:00+08:00' });
    expect(moved.assistingUnits).toEqual([expect.objectContaining({ code: 'zjj', dueAt: iso('2026-03-13T17:00') })]);
    const byDefault = await d.act('dispatcher1', order.id, 'recall', { leadUnitId: d.unit('scjgj'), assistingUnitIds: [d.unit('zjj')] });
    // Reply due Tue 03-17 09:00, the part Mon 03-16 09:00.
    expect(byDefault.replyDueAt).toBe(iso('2026-03-17T09:00'));
    expect(partOf(byDefault, 'zjj').dueAt).toBe(iso('2026-03-16T09:00'));
  });

  it('an assisting unit submits its part and may submit it again; each submission is on the timeline', async () => {
    const order = (await dispatchAt('2026-03-09T09:00')).body as OrderBody;
    expect((await t.get('dc_cy_handler', `/api/work-orders/${order.id}`)).body.allowedActions).toEqual(['assist-reply']);
    t.clock.set(local('2026-03-10T10:00'));
    // Already while the lead has not accepted yet.
    const first = await d.act('dc_cy_handler', order.id, 'assist-reply', { content: '街道已配合现场核实' });
    expect(first.status).toBe('dispatched');
    expect(partOf(first, 'dc_cy')).toMatchObject({ reply: '街道已配合现场核实', repliedAt: iso('2026-03-10T10:00'), lateMinutes: null, overdue: false });
    expect(partOf(first, 'zjj')).toMatchObject({ reply: null, repliedAt: null });
    expect(first.timeline.at(-1)).toMatchObject({
      action: 'assist-reply',
      fromStatus: 'dispatched',
      toStatus: 'dispatched',
      actorRole: 'handler',
      unitId: d.unit('dc_cy'),
      payload: { unitId: d.unit('dc_cy'), unitName: expect.any(String), content: '街道已配合现场核实', attachmentIds: [], first: true },
    });

    await d.act('scjgj_handler', order.id, 'accept');
    t.clock.set(local('2026-03-11T10:00'));
    const again = await d.act('dc_cy_handler', order.id, 'assist-reply', { content: '补充：已拍摄现场照片' });
    expect(partOf(again, 'dc_cy')).toMatchObject({ reply: '补充：已拍摄现场照片', repliedAt: iso('2026-03-11T10:00') });
    expect(again.timeline.filter((e) => e.action === 'assist-reply').map((e) => [e.payload?.content, e.payload?.first])).toEqual([
      ['街道已配合现场核实', true],
      ['补充：已拍摄现场照片', false],
    ]);

    // The lead unit and the other assisting unit see every part.
    for (const username of ['scjgj_handler', 'zjj_handler']) {
      const seen = (await t.get(username, `/api/work-orders/${order.id}`)).body as OrderBody;
      expect(partOf(seen, 'dc_cy').reply).toBe('补充：已拍摄现场照片');
    }
  });

  it('the wrong unit gets 403 (the lead may not assist-reply, an assisting unit may not reply), another unit 404, a finished order 409', async () => {
    const order = (await dispatchAt('2026-03-09T09:00')).body as OrderBody;
    await d.act('scjgj_handler', order.id, 'accept');
    const byLead = await d.try('scjgj_handler', order.id, 'assist-reply', { content: '主办单位意见' });
    expect(byLead.status).toBe(403);
    expect(byLead.body.message).toMatch(/may not assist-reply/);
    const replyByAssisting = await d.try('dc_cy_handler', order.id, 'reply', { content: '已处理' });
    expect(replyByAssisting.status).toBe(403);
    expect(replyByAssisting.body.details.allowedActions).toEqual(['assist-reply']);
    expect((await d.try('cgj_handler', order.id, 'assist-reply', { content: '路过' })).status).toBe(404);
    expect((await d.try('dispatcher1', order.id, 'assist-reply', { content: '中心' })).status).toBe(403);
    expect((await d.try('dc_cy_handler', order.id, 'assist-reply', { content: '' })).status).toBe(400);
    expect((await d.try('dc_cy_handler', order.id, 'assist-reply', { content: '长'.repeat(4001) })).status).toBe(400);

    await d.act('scjgj_admin', order.id, 'reply', { content: '已处理' });
    const tooLate = await d.try('dc_cy_handler', order.id, 'assist-reply', { content: '迟到的意见' });
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.details).toMatchObject({ status: 'reply_review', allowedActions: [] });
  });

  it('a part not in by its due date is overdue, listed with ?assistOverdue=true, and late by working minutes once in', async () => {
    const order = (await dispatchAt('2026-03-09T09:00')).body as OrderBody;
    const onTime = (await dispatchAt('2026-03-09T09:00')).body as OrderBody;
    t.clock.set(local('2026-03-12T16:00'));
    await d.act('dc_cy_handler', order.id, 'assist-reply', { content: '已核实' });
    for (const unit of ['dc_cy', 'zjj']) await d.act(`${unit}_handler`, onTime.id, 'assist-reply', { content: '已核实' });

    // Fri 03-13 10:00: zjj's part on `order` is an hour overdue.
    t.clock.set(local('2026-03-13T10:00'));
    const seen = await d.read(order.id);
    expect(partOf(seen, 'zjj')).toMatchObject({ overdue: true, reply: null });
    expect(partOf(seen, 'dc_cy')).toMatchObject({ overdue: false });
    expect(await listed('supervisor1', 'assistOverdue=true')).toContain(order.id);
    expect(await listed('supervisor1', 'assistOverdue=true')).not.toContain(onTime.id);
    // For a unit user only its own part counts (the lead unit sees the flag on the order's parts).
    expect(await listed('scjgj_handler', 'assistOverdue=true')).not.toContain(order.id);
    expect(await listed('zjj_handler', 'assistOverdue=true')).toContain(order.id);
    expect(await listed('dc_cy_handler', 'assistOverdue=true')).not.toContain(order.id);
    expect((await t.get('supervisor1', '/api/work-orders?assistOverdue=maybe')).status).toBe(400);

    // Mon 03-16 09:30: from Fri 03-13 09:00, 420 office minutes on Friday and 60 on Monday morning.
    t.clock.set(local('2026-03-16T09:30'));
    const late = await d.act('zjj_handler', order.id, 'assist-reply', { content: '迟交的协办意见' });
    expect(partOf(late, 'zjj')).toMatchObject({ lateMinutes: 480, overdue: false });
    expect(late.timeline.at(-1)?.payload).toMatchObject({ first: true, lateMinutes: 480 });
    // The lateness of the first submission stays when the part is submitted again.
    t.clock.set(local('2026-03-16T10:00'));
    expect(partOf(await d.act('zjj_handler', order.id, 'assist-reply', { content: '更正' }), 'zjj').lateMinutes).toBe(480);
    expect(await listed('supervisor1', 'assistOverdue=true')).not.toContain(order.id);
  });

  it('binds the attachments of a part with the purpose assist-reply', async () => {
    const registered = await d.register('agent1', { categoryId: d.category('C030101') });
    const order = await d.act('dispatcher1', registered.id, 'dispatch', { leadUnitId: d.unit('scjgj'), assistingUnitIds: [d.unit('dc_cy')] });
    const uploaded = await request(t.server)
      .post('/api/attachments')
      .set('Authorization', `Bearer ${await t.token('dc_cy_handler')}`)
      .attach('file', Buffer.from('现场核实记录'), { filename: '核实记录.txt', contentType: 'text/plain' });
    expect(uploaded.status).toBe(201);
    const submitted = await d.act('dc_cy_handler', order.id, 'assist-reply', { content: '附核实记录', attachmentIds: [uploaded.body.id] });
    expect(submitted.attachments).toEqual([expect.objectContaining({ fileName: '核实记录.txt', purpose: 'assist-reply' })]);
    expect(submitted.timeline.at(-1)?.payload).toMatchObject({ attachmentIds: [uploaded.body.id] });
  });
});
