import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** An instant given as the center's local time (Asia/Shanghai). */
const local = (text: string) => new Date(`${text}:00+08:00`);

describe.each(enginesUnderTest())('work-order lifecycle through the API (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
  });

  afterAll(async () => {
    await t.close();
  });

  afterEach(() => t.clock.set(null));

  it('registers an order with a dated number, the category defaults and a first timeline event', async () => {
    const order = await d.register('agent1');
    expect(order.number).toMatch(/^\d{8}\d{6}$/);
    expect(order.status).toBe('registered');
    expect(order.requestType).toBe('report'); // the category's default
    expect(order.urgency).toBe('normal');
    expect(order.version).toBe(1);
    expect(order.timeline).toEqual([
      expect.objectContaining({ action: 'register', fromStatus: null, toStatus: 'registered', actorRole: 'agent', unitId: d.unit('center') }),
    ]);
    expect(order.allowedActions).toEqual(expect.arrayContaining(['dispatch', 'merge', 'link']));
  });

  it('resolves directly on the call and closes', async () => {
    const order = await d.register('agent2');
    const closed = await d.act('agent2', order.id, 'resolve-directly', { answer: '已告知办理材料' });
    expect(closed.status).toBe('closed');
    expect(closed.reply).toBe('已告知办理材料');
    expect(closed.closedAt).toEqual(expect.any(String));
    expect(closed.timeline.map((e) => e.action)).toEqual(['register', 'resolve-directly']);
  });

  it('runs the main path: dispatch → accept → contact → reply → review → callback → closed', async () => {
    const order = await d.register();
    const dispatched = await d.act('dispatcher1', order.id, 'dispatch', { leadUnitId: d.unit('cgj'), assistingUnitIds: [d.unit('dc_cy')], note: '请尽快处理' });
    expect(dispatched).toMatchObject({ status: 'dispatched', leadUnitId: d.unit('cgj') });
    expect(dispatched.assistingUnits).toEqual([expect.objectContaining({ code: 'dc_cy' })]);
    expect(new Date(dispatched.acceptDueAt!).getTime()).toBeGreaterThan(Date.now());
    expect(new Date(dispatched.replyDueAt!).getTime()).toBeGreaterThan(new Date(dispatched.acceptDueAt!).getTime());

    const accepted = await d.act('cgj_handler', order.id, 'accept');
    expect(accepted.status).toBe('processing');
    const contacted = await d.act('cgj_handler', order.id, 'contact', { method: 'phone', note: '已联系市民' });
    expect(contacted.firstContactAt).toEqual(expect.any(String));
    // As the unit's admin: the bureau's 领导审签 holds a handler's reply (leader-sign-off.int-spec.ts).
    const replied = await d.act('cgj_admin', order.id, 'reply', { content: '已更换灯泡，路灯恢复照明' });
    expect(replied.status).toBe('reply_review');
    const approved = await d.act('reviewer1', order.id, 'approve-reply');
    expect(approved.status).toBe('callback_pending');
    const closed = await d.act('callback1', order.id, 'callback', { resolved: true, satisfaction: 'satisfied', note: '市民满意' });
    expect(closed).toMatchObject({ status: 'closed', resolved: true, satisfaction: 'satisfied' });

    expect(closed.timeline.map((e) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ['register', null, 'registered'],
      ['dispatch', 'registered', 'dispatched'],
      ['accept', 'dispatched', 'processing'],
      ['contact', 'processing', 'processing'],
      ['reply', 'processing', 'reply_review'],
      ['approve-reply', 'reply_review', 'callback_pending'],
      ['callback', 'callback_pending', 'closed'],
    ]);
    const dispatchEvent = closed.timeline[1];
    expect(dispatchEvent).toMatchObject({ actorRole: 'dispatcher', reason: '请尽快处理', unitId: d.unit('center') });
    expect(closed.timeline[2]).toMatchObject({ actorRole: 'handler', unitId: d.unit('cgj') });
    expect(closed.version).toBe(closed.timeline.length);
  });

  it('dispatches to the category default lead unit when none is named', async () => {
    const order = await d.register('agent1', { categoryId: d.category('C070101') });
    const dispatched = await d.act('dispatcher1', order.id, 'dispatch');
    expect(dispatched.leadUnitId).toBe(d.unit('water'));
  });

  it('return approved: back to dispatch with the lead unit cleared, then reassigned (改派)', async () => {
    const order = await d.dispatched('cgj');
    const asked = await d.act('cgj_handler', order.id, 'return', { reasonCode: 'not_our_responsibility', reason: '不属于本单位职责', suggestedUnitId: d.unit('zjj') });
    expect(asked).toMatchObject({ status: 'return_requested', returnCount: 1 });
    const back = await d.act('dispatcher1', order.id, 'approve-return', { note: '同意改派' });
    expect(back).toMatchObject({ status: 'registered', leadUnitId: null, replyDueAt: null });
    const reassigned = await d.act('dispatcher1', order.id, 'dispatch', { leadUnitId: d.unit('dc') });
    expect(reassigned.leadUnitId).toBe(d.unit('dc'));
    // The unit that gave it back no longer sees it.
    expect((await t.get('cgj_handler', `/api/work-orders/${order.id}`)).status).toBe(404);
  });

  it('return rejected: the unit must handle it', async () => {
    const order = await d.dispatched('zjj');
    await d.act('zjj_handler', order.id, 'return', { reasonCode: 'wrong_place', reason: '应由街道处理' });
    const kept = await d.act('supervisor1', order.id, 'reject-return', { reason: '首接负责，请贵单位办理' });
    expect(kept.status).toBe('processing');
    expect(kept.acceptedAt).toEqual(expect.any(String));
  });

  it('review rejects a reply back to the unit, which replies again', async () => {
    const order = await d.processing('cgj');
    await d.reply('cgj_handler', order.id, { content: '已处理' });
    const back = await d.act('reviewer1', order.id, 'reject-reply', { reason: '答复过于简单，请说明处理过程' });
    expect(back.status).toBe('processing');
    const again = await d.reply('cgj_handler', order.id, { content: '已于今日更换路灯灯头，并回访市民确认' });
    expect(again.status).toBe('reply_review');
  });

  it('an unresolved callback reopens the order to the unit with a 3-working-day limit; reopen after closing', async () => {
    const order = await d.processing('cgj');
    await d.reply('cgj_handler', order.id, { content: '已处理' });
    await d.act('reviewer1', order.id, 'approve-reply');
    t.clock.set(local('2026-03-04T10:00')); // a Wednesday: three working days later is Monday
    const reopened = await d.act('callback1', order.id, 'callback', { resolved: false, satisfaction: 'dissatisfied', note: '路灯仍不亮' });
    expect(reopened).toMatchObject({ status: 'processing', reopenCount: 1, resolved: false, satisfaction: 'dissatisfied' });
    expect(reopened.replyDueAt).toBe(local('2026-03-09T10:00').toISOString());
    t.clock.set(null);

    await d.reply('cgj_handler', order.id, { content: '更换了整条线路' });
    await d.act('reviewer1', order.id, 'approve-reply');
    const closed = await d.act('callback1', order.id, 'callback', { resolved: true, satisfaction: 'basically_satisfied' });
    expect(closed.status).toBe('closed');
    const again = await d.act('supervisor1', order.id, 'reopen', { reason: '市民再次来电反映未解决' });
    expect(again).toMatchObject({ status: 'processing', reopenCount: 2, closedAt: null, resolved: null });
  });

  it('reopening a directly resolved order sends it back to dispatch', async () => {
    const order = await d.register();
    await d.act('agent1', order.id, 'resolve-directly', { answer: '已答复' });
    const reopened = await d.act('reviewer1', order.id, 'reopen', { reason: '答复有误' });
    expect(reopened).toMatchObject({ status: 'registered', reply: null, repliedAt: null });
  });

  it('extension: requested before the deadline, approved moves the deadline, refused keeps it', async () => {
    const order = await d.processing('scjgj', { categoryId: d.category('C030101') });
    const later = new Date(new Date(order.replyDueAt!).getTime() + 5 * DAY).toISOString();
    const asked = await d.act('scjgj_handler', order.id, 'request-extension', { requestedDueAt: later, reason: '需要检测机构出具报告' });
    expect(asked.extensionRequestedDueAt).toBe(later);
    expect(asked.allowedActions).not.toContain('request-extension');
    const twice = await d.try('scjgj_handler', order.id, 'request-extension', { requestedDueAt: later, reason: '再次申请' });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toMatch(/already waiting/);
    const approved = await d.act('dispatcher1', order.id, 'approve-extension', { note: '同意' });
    expect(approved).toMatchObject({ replyDueAt: later, extensionRequestedDueAt: null });

    const earlier = new Date(new Date(approved.replyDueAt!).getTime() - HOUR).toISOString();
    const tooEarly = await d.try('scjgj_handler', order.id, 'request-extension', { requestedDueAt: earlier, reason: '申请' });
    expect(tooEarly.status).toBe(422);
    const evenLater = new Date(new Date(later).getTime() + DAY).toISOString();
    await d.act('scjgj_handler', order.id, 'request-extension', { requestedDueAt: evenLater, reason: '再延一天' });
    const refused = await d.act('dispatcher1', order.id, 'refuse-extension', { reason: '理由不充分' });
    expect(refused).toMatchObject({ replyDueAt: later, extensionRequestedDueAt: null });
    expect((await d.try('dispatcher1', order.id, 'approve-extension')).status).toBe(409);
  });

  it('an extension whose requested date has passed cannot be approved', async () => {
    const order = await d.processing('cgj');
    const requestedDueAt = new Date(new Date(order.replyDueAt!).getTime() + DAY);
    await d.act('cgj_handler', order.id, 'request-extension', { requestedDueAt: requestedDueAt.toISOString(), reason: '需要更多时间' });
    t.clock.set(new Date(requestedDueAt.getTime() + HOUR));
    const late = await d.try('dispatcher1', order.id, 'approve-extension');
    expect(late.status).toBe(422);
    expect(late.body.message).toMatch(/already passed/);
    expect((await d.try('dispatcher1', order.id, 'refuse-extension', { reason: '已过期' })).status).toBe(200);
  });

  it('an extension cannot be asked once the deadline has passed', async () => {
    const order = await d.processing('cgj');
    t.clock.set(new Date(new Date(order.replyDueAt!).getTime() + HOUR));
    const late = await d.try('cgj_handler', order.id, 'request-extension', { requestedDueAt: new Date(Date.now() + 30 * DAY).toISOString(), reason: '逾期后申请' });
    expect(late.status).toBe(422);
    expect(late.body.message).toMatch(/already passed/);
  });

  it('suspension stops the clock: resuming moves the deadlines on by the working time suspended', async () => {
    t.clock.set(local('2026-03-09T09:00'));
    const order = await d.processing('cgj');
    expect(order.replyDueAt).toBe(local('2026-03-16T09:00').toISOString());
    t.clock.set(local('2026-03-10T17:00'));
    const suspended = await d.act('dispatcher1', order.id, 'suspend', { reason: '市民外出，约定下周处理' });
    expect(suspended.status).toBe('suspended');
    expect(suspended.allowedActions).toEqual(expect.arrayContaining(['resume']));
    // Two days later: 30 + 450 + 420 = 900 working minutes, two working days.
    t.clock.set(local('2026-03-12T17:00'));
    const resumed = await d.act('dispatcher1', order.id, 'resume');
    expect(resumed.status).toBe('processing');
    expect(resumed.replyDueAt).toBe(local('2026-03-18T09:00').toISOString());
  });

  it('reminder and supervision (督办) with a new deadline', async () => {
    const order = await d.processing('cgj');
    const reminded = await d.act('dispatcher1', order.id, 'remind', { message: '请加快办理' });
    expect(reminded.reminderCount).toBe(1);
    const due = new Date(Date.now() + 2 * DAY).toISOString();
    const supervised = await d.act('supervisor1', order.id, 'supervise', { instruction: '请主要负责同志督办', replyDueAt: due });
    expect(supervised).toMatchObject({ supervised: true, replyDueAt: due });
    expect(supervised.timeline.at(-1)).toMatchObject({ action: 'supervise', reason: '请主要负责同志督办' });
    const past = await d.try('supervisor1', order.id, 'supervise', { instruction: '督办', replyDueAt: new Date(Date.now() - HOUR).toISOString() });
    expect(past.status).toBe(422);
    const wrongRole = await d.try('dispatcher1', order.id, 'supervise', { instruction: '督办', replyDueAt: due });
    expect(wrongRole.status).toBe(403);
  });

  it('sub-dispatch: the child order runs on its own, the parent reply waits for it', async () => {
    const parent = await d.processing('dc');
    const withChild = await d.act('dc_handler', parent.id, 'sub-dispatch', { unitId: d.unit('dc_cy'), instruction: '请街道现场核实' });
    expect(withChild.children).toHaveLength(1);
    const childId = withChild.children[0].id;
    const child = await d.read(childId);
    expect(child).toMatchObject({ status: 'dispatched', parentId: parent.id, leadUnitId: d.unit('dc_cy') });
    expect(child.timeline[0]).toMatchObject({ action: 'sub-dispatch', toStatus: 'dispatched' });
    expect(child.replyDueAt).toBe(parent.replyDueAt);

    const blocked = await d.try('dc_handler', parent.id, 'reply', { content: '已处理' });
    expect(blocked.status).toBe(409);
    expect(blocked.body.message).toMatch(/child orders/);
    expect(blocked.body.details.allowedActions).not.toContain('reply');

    await d.act('dc_cy_handler', childId, 'accept');
    await d.act('dc_cy_handler', childId, 'reply', { content: '街道已处理完毕' });
    // The center does not review a child's reply; the parent's unit does.
    expect((await d.try('reviewer1', childId, 'approve-reply')).status).toBe(403);
    const childClosed = await d.act('dc_admin', childId, 'approve-reply', { note: '处理到位' });
    expect(childClosed.status).toBe('closed');

    const replied = await d.reply('dc_handler', parent.id, { content: '经街道现场处理，问题已解决' });
    expect(replied.status).toBe('reply_review');
  });

  it('sub-dispatch only goes down the tree; a returned child is cancelled by the parent unit', async () => {
    const parent = await d.processing('dc');
    const sideways = await d.try('dc_handler', parent.id, 'sub-dispatch', { unitId: d.unit('xc_xh'), instruction: '请处理' });
    expect(sideways.status).toBe(422);
    const withChild = await d.act('dc_handler', parent.id, 'sub-dispatch', { unitId: d.unit('dc_cy_1'), instruction: '请社区处理' });
    const childId = withChild.children[0].id;
    await d.act('dc_cy_1_handler', childId, 'return', { reasonCode: 'needs_other_unit', reason: '社区无执法权' });
    const cancelled = await d.act('dc_handler', childId, 'approve-return');
    expect(cancelled.status).toBe('cancelled');
    expect((await t.get('dc_handler', `/api/work-orders/${parent.id}`)).body.allowedActions).toContain('reply');
  });

  it('merge folds a repeat into the original and unmerge restores it', async () => {
    const original = await d.dispatched('cgj');
    const repeat = await d.register('agent2');
    const merged = await d.act('agent2', repeat.id, 'merge', { targetId: original.id, note: '重复来电' });
    expect(merged).toMatchObject({ status: 'merged', mergedIntoId: original.id });
    const target = await d.read(original.id);
    expect(target.mergedOrders.map((o) => o.id)).toEqual([repeat.id]);
    expect(target.timeline.at(-1)).toMatchObject({ action: 'merge', payload: { mergedWorkOrderId: repeat.id, mergedNumber: repeat.number } });

    expect((await d.try('agent2', repeat.id, 'dispatch')).status).toBe(409);
    const restored = await d.act('dispatcher1', repeat.id, 'unmerge', { note: '并非同一事项' });
    expect(restored).toMatchObject({ status: 'registered', mergedIntoId: null });
    expect((await d.read(original.id)).timeline.at(-1)?.action).toBe('unmerge');

    expect((await d.try('agent2', repeat.id, 'merge', { targetId: repeat.id })).status).toBe(422);
    expect((await d.try('agent2', repeat.id, 'merge', { targetId: 999999 })).status).toBe(422);
    const closedOne = await d.register();
    await d.act('agent1', closedOne.id, 'resolve-directly', { answer: '已答复' });
    const intoClosed = await d.try('agent2', repeat.id, 'merge', { targetId: closedOne.id });
    expect(intoClosed.status).toBe(422);
    expect(intoClosed.body.message).toMatch(/is closed: merge only into an order still being handled/);
  });

  it('link marks two orders as related, once', async () => {
    const a = await d.register();
    const b = await d.register();
    const linked = await d.act('dispatcher1', a.id, 'link', { targetId: b.id });
    expect(linked.linkedOrders.map((o) => o.id)).toEqual([b.id]);
    expect((await d.read(b.id)).linkedOrders.map((o) => o.id)).toEqual([a.id]);
    const again = await d.try('dispatcher1', b.id, 'link', { targetId: a.id });
    expect(again.status).toBe(409);
  });

  it('an action not allowed now answers 409 with the status and the allowed actions', async () => {
    const order = await d.register();
    const response = await d.try('cgj_handler', order.id, 'accept');
    // A unit that is not involved cannot even see the order.
    expect(response.status).toBe(404);
    const early = await d.try('reviewer1', order.id, 'approve-reply');
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ statusCode: 409, error: 'Conflict', details: { status: 'registered' } });
    expect(early.body.message).toMatch(/approve-reply.*registered/);
    expect(early.body.details.allowedActions).toEqual(expect.arrayContaining(['link']));
    expect(early.body.correlationId).toEqual(expect.any(String));
  });

  it('a role that may not take the action gets 403; a stale version gets 409 with the current version', async () => {
    const order = await d.dispatched('cgj');
    const wrongUnitRole = await d.try('dispatcher1', order.id, 'accept');
    expect(wrongUnitRole.status).toBe(403);
    expect(wrongUnitRole.body.details.allowedActions).toEqual(expect.arrayContaining(['suspend', 'remind']));
    const admin = await d.try('admin', order.id, 'remind');
    expect(admin.status).toBe(403);

    const stale = await t.post('cgj_handler', `/api/work-orders/${order.id}/accept`, { version: order.version - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.details).toMatchObject({ currentVersion: order.version, status: 'dispatched' });
    expect(stale.body.message).toMatch(/changed by someone else/);
  });

  it('keeps the timeline append-only and complete for every state change', async () => {
    const order = await d.processing('cgj');
    await d.act('dispatcher1', order.id, 'remind');
    const read = await d.read(order.id);
    expect(read.timeline).toHaveLength(read.version);
    for (const event of read.timeline) {
      expect(event).toEqual(expect.objectContaining({ actorId: expect.any(Number), actorRole: expect.any(String), createdAt: expect.any(String) }));
    }
    const times = read.timeline.map((e) => new Date(e.createdAt).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});
