import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';

/** An instant given as the center's local time (Asia/Shanghai, +08:00). */
const local = (text: string) => new Date(`${text}:00+08:00`);
const iso = (text: string) => local(text).toISOString();

/** Registers, dispatches to cgj, replies (its leader, so no sign-off round) and approves: the order waits for its callback. */
async function awaitingCallback(d: WorkOrderDriver, overrides: Record<string, unknown> = {}): Promise<OrderBody> {
  const order = await d.processing('cgj', overrides);
  await d.act('cgj_admin', order.id, 'reply', { content: '已更换灯泡，路灯恢复照明' });
  return d.act('reviewer1', order.id, 'approve-reply');
}

describe.each(enginesUnderTest())('callback outcomes and unanswered attempts (%s)', (engine) => {
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

  it('resolved and satisfied: closed with outcome resolved', async () => {
    const order = await awaitingCallback(d);
    const closed = await d.act('callback1', order.id, 'callback', { outcome: 'resolved', satisfaction: 'satisfied', note: '市民确认已修好' });
    expect(closed).toMatchObject({ status: 'closed', callbackOutcome: 'resolved', resolved: true, satisfaction: 'satisfied', closedAt: expect.any(String) });
    expect(closed.allowedActions).not.toContain('callback');
    expect(closed.timeline.at(-1)).toMatchObject({
      action: 'callback',
      fromStatus: 'callback_pending',
      toStatus: 'closed',
      actorRole: 'callback_agent',
      reason: '市民确认已修好',
      payload: { outcome: 'resolved', resolved: true, satisfaction: 'satisfied', reopened: false },
    });
  });

  it('resolved but dissatisfied (CALLBACK_DISSATISFIED=reopen, the default): recorded as dissatisfied, back to the unit for a new round', async () => {
    const order = await awaitingCallback(d);
    t.clock.set(local('2026-03-04T09:00'));
    await d.act('callback1', order.id, 'callback-attempt', { note: '无人接听' });
    t.clock.set(local('2026-03-04T10:00')); // a Wednesday: the 3-working-day reopen limit ends on Monday
    const reopened = await d.act('callback1', order.id, 'callback', { outcome: 'resolved', satisfaction: 'dissatisfied', note: '修好了但拖得太久' });
    expect(reopened).toMatchObject({
      status: 'processing',
      callbackOutcome: 'dissatisfied',
      resolved: true,
      satisfaction: 'dissatisfied',
      reopenCount: 1,
      replyDueAt: iso('2026-03-09T10:00'),
      closedAt: null,
      // A new round: the unanswered attempt of the last one no longer counts.
      callbackAttemptCount: 0,
      lastCallbackAttemptAt: null,
    });
    expect(reopened.timeline.at(-1)).toMatchObject({
      action: 'callback',
      toStatus: 'processing',
      payload: { outcome: 'dissatisfied', resolved: true, reopened: true, replyDueAt: iso('2026-03-09T10:00') },
    });
  });

  it('unresolved: back to the unit (重办), with outcome or with the older resolved: false', async () => {
    const first = await awaitingCallback(d);
    const reopened = await d.act('callback1', first.id, 'callback', { outcome: 'unresolved', satisfaction: 'dissatisfied' });
    expect(reopened).toMatchObject({ status: 'processing', callbackOutcome: 'unresolved', resolved: false, reopenCount: 1, warningLevel: 'none' });

    const second = await awaitingCallback(d);
    const older = await d.act('callback1', second.id, 'callback', { resolved: false, satisfaction: 'basically_satisfied' });
    expect(older).toMatchObject({ status: 'processing', callbackOutcome: 'unresolved', resolved: false, satisfaction: 'basically_satisfied' });
    const olderResolved = await awaitingCallback(d);
    expect(await d.act('callback1', olderResolved.id, 'callback', { resolved: true, satisfaction: 'satisfied' })).toMatchObject({
      status: 'closed',
      callbackOutcome: 'resolved',
    });
  });

  it('declined: the citizen declines the callback; closed without satisfaction', async () => {
    const order = await awaitingCallback(d);
    const closed = await d.act('supervisor1', order.id, 'callback', { outcome: 'declined', note: '市民表示不需要回访' });
    expect(closed).toMatchObject({ status: 'closed', callbackOutcome: 'declined', resolved: null, satisfaction: null, closedAt: expect.any(String) });
    expect(closed.timeline.at(-1)?.payload).toMatchObject({ outcome: 'declined', satisfaction: null, reopened: false });
  });

  it('three unanswered attempts spaced at least 2 hours apart close the order as unreachable; one within the gap does not count', async () => {
    const order = await awaitingCallback(d);
    t.clock.set(local('2026-03-04T09:00'));
    const first = await d.act('callback1', order.id, 'callback-attempt', { note: '无人接听' });
    expect(first).toMatchObject({ status: 'callback_pending', callbackAttemptCount: 1, lastCallbackAttemptAt: iso('2026-03-04T09:00') });
    expect(first.timeline.at(-1)).toMatchObject({
      action: 'callback-attempt',
      fromStatus: 'callback_pending',
      toStatus: 'callback_pending',
      reason: '无人接听',
      createdAt: iso('2026-03-04T09:00'),
      payload: { counts: true, attempt: 1, countedAttempts: 1, unreachableAttempts: 3 },
    });

    t.clock.set(local('2026-03-04T10:59'));
    const early = await d.act('callback1', order.id, 'callback-attempt', { note: '占线' });
    expect(early).toMatchObject({ status: 'callback_pending', callbackAttemptCount: 1, lastCallbackAttemptAt: iso('2026-03-04T09:00') });
    expect(early.timeline.at(-1)).toMatchObject({
      action: 'callback-attempt',
      reason: '占线',
      payload: { counts: false, countedAttempts: 1, nextCountingAttemptFrom: iso('2026-03-04T11:00') },
    });

    t.clock.set(local('2026-03-04T11:00'));
    const second = await d.act('callback1', order.id, 'callback-attempt', { note: '关机' });
    expect(second).toMatchObject({ status: 'callback_pending', callbackAttemptCount: 2, lastCallbackAttemptAt: iso('2026-03-04T11:00') });
    expect(second.timeline.at(-1)?.payload).toMatchObject({ counts: true, attempt: 2 });

    t.clock.set(local('2026-03-04T13:30'));
    const third = await d.act('supervisor1', order.id, 'callback-attempt', { note: '仍无人接听' });
    expect(third).toMatchObject({ status: 'closed', callbackOutcome: 'unreachable', callbackAttemptCount: 3, closedAt: iso('2026-03-04T13:30'), resolved: null });
    expect(third.timeline.at(-1)).toMatchObject({
      action: 'callback-attempt',
      fromStatus: 'callback_pending',
      toStatus: 'closed',
      payload: { counts: true, attempt: 3, unreachable: true },
    });
    expect(third.timeline.filter((e) => e.action === 'callback-attempt')).toHaveLength(4);
    // Closed: no more attempts, and a callback now is a 409 naming the status.
    const late = await d.try('callback1', order.id, 'callback-attempt', { note: '再试一次' });
    expect(late.status).toBe(409);
  });

  it('reopening a closed order starts a new callback round', async () => {
    const order = await awaitingCallback(d);
    await d.act('callback1', order.id, 'callback-attempt', { note: '无人接听' });
    await d.act('callback1', order.id, 'callback', { outcome: 'resolved', satisfaction: 'satisfied' });
    const reopened = await d.act('supervisor1', order.id, 'reopen', { reason: '市民再次来电' });
    expect(reopened).toMatchObject({ status: 'processing', callbackOutcome: null, callbackAttemptCount: 0, lastCallbackAttemptAt: null });
  });

  it('a praise order needs no callback: approving the reply closes it with outcome not_required', async () => {
    const order = await d.processing('cgj', { requestType: 'praise', title: '表扬环卫工人', content: '感谢朝阳路环卫工人拾金不昧。' });
    await d.act('cgj_admin', order.id, 'reply', { content: '已转达表扬' });
    const closed = await d.act('reviewer1', order.id, 'approve-reply');
    expect(closed).toMatchObject({ status: 'closed', callbackOutcome: 'not_required', closedAt: expect.any(String), calledBackAt: null });
    expect(closed.timeline.at(-1)).toMatchObject({ action: 'approve-reply', fromStatus: 'reply_review', toStatus: 'closed' });
    expect(closed.allowedActions).not.toContain('callback');
  });

  it('answers 400 for a callback that does not say clearly what the citizen said', async () => {
    const order = await awaitingCallback(d);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ outcome: 'resolved', resolved: true, satisfaction: 'satisfied' }, /either outcome or resolved, not both/],
      [{ satisfaction: 'satisfied' }, /outcome must be one of: resolved, unresolved, declined/],
      [{ outcome: 'fixed', satisfaction: 'satisfied' }, /outcome must be one of/],
      [{ outcome: 'resolved' }, /satisfaction must be one of: .* \(required unless the outcome is declined\)/],
      [{ resolved: false }, /satisfaction must be one of/],
      [{ outcome: 'declined', satisfaction: 'satisfied' }, /satisfaction must not be sent when the outcome is declined/],
      [{ resolved: 'yes', satisfaction: 'satisfied' }, /resolved must be true or false/],
    ];
    for (const [body, message] of cases) {
      const response = await d.try('callback1', order.id, 'callback', body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(response.body.message).toMatch(message);
    }
    for (const note of [undefined, '', 'x'.repeat(2001), 42]) {
      const response = await d.try('callback1', order.id, 'callback-attempt', note === undefined ? {} : { note });
      expect({ note, status: response.status }).toEqual({ note, status: 400 });
      expect(response.body.message).toMatch(/note/);
    }
    // Nothing was recorded.
    const after = await d.read(order.id);
    expect(after).toMatchObject({ status: 'callback_pending', version: order.version, callbackAttemptCount: 0 });
  });

  it('answers 403 to the wrong role or unit, 409 to the wrong status or a stale version, 404 to an unknown order', async () => {
    const order = await awaitingCallback(d);
    for (const username of ['reviewer1', 'agent1', 'cgj_handler']) {
      const response = await d.try(username, order.id, 'callback-attempt', { note: '无人接听' });
      expect({ username, status: response.status }).toEqual({ username, status: 403 });
      expect((await d.try(username, order.id, 'callback', { outcome: 'declined' })).status).toBe(403);
    }
    const stale = await t.post('callback1', `/api/work-orders/${order.id}/callback-attempt`, { version: order.version - 1, note: '无人接听' });
    expect(stale.status).toBe(409);
    expect(stale.body.details).toMatchObject({ currentVersion: order.version });

    const processing = await d.processing('cgj');
    const early = await d.try('callback1', processing.id, 'callback-attempt', { note: '无人接听' });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/Cannot callback-attempt a work order in status processing/);
    expect((await d.try('callback1', processing.id, 'callback', { outcome: 'resolved', satisfaction: 'satisfied' })).status).toBe(409);

    expect((await t.post('callback1', '/api/work-orders/999999/callback-attempt', { version: 1, note: '无人接听' })).status).toBe(404);
    expect((await d.read(order.id)).version).toBe(order.version);
  });
});

describe.each(enginesUnderTest())('callback with CALLBACK_DISSATISFIED=close (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;

  beforeAll(async () => {
    t = await startTestApp(engine, { env: { CALLBACK_DISSATISFIED: 'close', CALLBACK_UNREACHABLE_ATTEMPTS: '1' } });
    d = await new WorkOrderDriver(t).load();
  });

  afterAll(async () => {
    await t.close();
  });

  it('resolved but dissatisfied closes the order, recorded as dissatisfied', async () => {
    const order = await awaitingCallback(d);
    const closed = await d.act('callback1', order.id, 'callback', { outcome: 'resolved', satisfaction: 'dissatisfied' });
    expect(closed).toMatchObject({ status: 'closed', callbackOutcome: 'dissatisfied', resolved: true, satisfaction: 'dissatisfied', reopenCount: 0 });
    // unresolved still sends it back, whatever the rule.
    const other = await awaitingCallback(d);
    expect(await d.act('callback1', other.id, 'callback', { outcome: 'unresolved', satisfaction: 'dissatisfied' })).toMatchObject({ status: 'processing' });
  });

  it('with CALLBACK_UNREACHABLE_ATTEMPTS=1 the first unanswered attempt closes the order', async () => {
    const order = await awaitingCallback(d);
    expect(await d.act('callback1', order.id, 'callback-attempt', { note: '空号' })).toMatchObject({ status: 'closed', callbackOutcome: 'unreachable', callbackAttemptCount: 1 });
  });
});
