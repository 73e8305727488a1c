import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';

describe.each(enginesUnderTest())('orders merged into another close with their target (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    for (const username of ['agent1', 'agent2', 'dispatcher1', 'reviewer1', 'callback1', 'supervisor1', 'cgj_handler', 'cgj_admin', 'zjj_handler']) await t.token(username);
  });

  afterAll(async () => {
    await t.close();
  });

  /** The original at cgj, replied by the unit's leader (no sign-off round) and waiting for review, with the given repeats merged into it. */
  async function inReviewWith(repeats: OrderBody[]): Promise<OrderBody> {
    const original = await d.processing('cgj');
    for (const repeat of repeats) await d.act('agent2', repeat.id, 'merge', { targetId: original.id, note: '重复来电' });
    return d.act('cgj_admin', original.id, 'reply', { content: '已更换灯泡，路灯恢复照明' });
  }

  it("approving the target's reply moves every merged order on: the reply, the lead unit, its own callback (or closed if none is needed)", async () => {
    const registered = await d.register('agent1', { citizenName: '市民甲', citizenPhone: '13900001111' });
    // A repeat that was already with another unit before it was merged.
    const elsewhere = await d.processing('zjj', { citizenName: '市民乙', citizenPhone: '13900002222', requestType: 'complaint' });
    const praise = await d.register('agent1', { requestType: 'praise', citizenName: '市民丙', citizenPhone: '13900003333', title: '感谢及时修灯' });
    const target = await inReviewWith([registered, elsewhere, praise]);
    expect((await d.read(registered.id)).allowedActions).toContain('unmerge');

    const approved = await d.act('reviewer1', target.id, 'approve-reply', { note: '答复完整' });
    expect(approved.status).toBe('callback_pending');
    expect(approved.mergedOrders.map((o) => o.id)).toEqual([registered.id, elsewhere.id, praise.id]);

    for (const id of [registered.id, elsewhere.id]) {
      const follower = await d.read(id);
      expect(follower).toMatchObject({
        status: 'callback_pending',
        reply: '已更换灯泡，路灯恢复照明',
        repliedAt: target.repliedAt,
        leadUnitId: d.unit('cgj'),
        mergedIntoId: target.id,
        deadlineCheckAt: null,
        closedAt: null,
      });
      expect(follower.timeline.at(-1)).toMatchObject({
        action: 'close-with-target',
        fromStatus: 'merged',
        toStatus: 'callback_pending',
        actorRole: 'reviewer',
        payload: { targetId: target.id, targetNumber: target.number },
      });
      // From here on it is its own order: no unmerge any more; the callback agent calls its own citizen back.
      expect(follower.allowedActions).not.toContain('unmerge');
      expect((await d.try('dispatcher1', id, 'unmerge')).status).toBe(409);
    }
    const closedPraise = await d.read(praise.id);
    expect(closedPraise).toMatchObject({ status: 'closed', callbackOutcome: 'not_required', closedAt: expect.any(String), reply: '已更换灯泡，路灯恢复照明' });
    expect(closedPraise.timeline.at(-1)).toMatchObject({ action: 'close-with-target', fromStatus: 'merged', toStatus: 'closed' });

    // Each citizen is called back on their own order, independently of the others.
    expect(await d.act('callback1', registered.id, 'callback', { outcome: 'resolved', satisfaction: 'satisfied' })).toMatchObject({
      status: 'closed',
      callbackOutcome: 'resolved',
    });
    const reopened = await d.act('callback1', elsewhere.id, 'callback', { outcome: 'unresolved', satisfaction: 'dissatisfied', note: '家门口的灯还不亮' });
    expect(reopened).toMatchObject({ status: 'processing', leadUnitId: d.unit('cgj'), reopenCount: 1 });
    expect(await d.act('callback1', target.id, 'callback-attempt', { note: '无人接听' })).toMatchObject({ status: 'callback_pending', callbackAttemptCount: 1 });
    expect((await d.read(target.id)).status).toBe('callback_pending');
  });

  it('until the approval a merged order may be unmerged; it is then left out', async () => {
    const repeat = await d.register('agent1');
    const stays = await d.register('agent1');
    const target = await inReviewWith([repeat, stays]);
    const restored = await d.act('dispatcher1', repeat.id, 'unmerge', { note: '并非同一事项' });
    expect(restored).toMatchObject({ status: 'registered', mergedIntoId: null });

    await d.act('reviewer1', target.id, 'approve-reply');
    const after = await d.read(repeat.id);
    expect(after).toMatchObject({ status: 'registered', reply: null, version: restored.version });
    expect(after.timeline.map((e) => e.action)).not.toContain('close-with-target');
    expect((await d.read(stays.id)).status).toBe('callback_pending');
  });

  it('refuses to merge into an order whose reply is already approved (the repeat would never follow it): link it instead', async () => {
    const target = await inReviewWith([]);
    await d.act('reviewer1', target.id, 'approve-reply');
    const late = await d.register('agent1');
    const refused = await d.try('dispatcher1', late.id, 'merge', { targetId: target.id });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/is callback_pending: merge only into an order still being handled/);
    expect((await d.act('dispatcher1', late.id, 'link', { targetId: target.id })).linkedOrders.map((o) => o.id)).toEqual([target.id]);
  });

  it("a later approval of the target (after a reopen) leaves the orders that already followed it alone", async () => {
    const repeat = await d.register('agent1');
    const target = await inReviewWith([repeat]);
    await d.act('reviewer1', target.id, 'approve-reply');
    const followed = await d.read(repeat.id);
    await d.act('callback1', target.id, 'callback', { outcome: 'unresolved', satisfaction: 'dissatisfied' });
    await d.act('cgj_admin', target.id, 'reply', { content: '更换了整条线路' });
    await d.act('reviewer1', target.id, 'approve-reply');
    const after = await d.read(repeat.id);
    expect(after).toMatchObject({ status: 'callback_pending', version: followed.version, reply: '已更换灯泡，路灯恢复照明' });
    expect(after.timeline.filter((e) => e.action === 'close-with-target')).toHaveLength(1);
  });

  it('an unmerge racing the approval of the target: exactly one wins, the loser answers 409 and changes nothing', async () => {
    for (let round = 0; round < 6; round++) {
      const repeat = await d.register('agent1', { title: `并发解除合并${round}` });
      const target = await inReviewWith([repeat]);
      const merged = await d.read(repeat.id);
      const requests = [
        () => t.post('dispatcher1', `/api/work-orders/${repeat.id}/unmerge`, { version: merged.version, note: '并非同一事项' }),
        () => t.post('reviewer1', `/api/work-orders/${target.id}/approve-reply`, { version: target.version }),
      ];
      // Alternate which request leaves first, so that both orders of arrival are exercised (either may win: both branches are checked).
      const [unmerge, approve] = round % 2 ? await Promise.all(requests.map((r) => r())) : (await Promise.all([...requests].reverse().map((r) => r()))).reverse();
      expect([unmerge.status, approve.status].sort()).toEqual([200, 409]);

      const [targetAfter, repeatAfter] = [await d.read(target.id), await d.read(repeat.id)];
      if (approve.status === 200) {
        expect(unmerge.body.message).toMatch(/changed by someone else/);
        expect(targetAfter.status).toBe('callback_pending');
        expect(repeatAfter).toMatchObject({ status: 'callback_pending', mergedIntoId: target.id, reply: '已更换灯泡，路灯恢复照明' });
        expect(repeatAfter.timeline.map((e) => e.action)).not.toContain('unmerge');
      } else {
        expect(approve.body.message).toMatch(/changed by someone else/);
        expect(targetAfter).toMatchObject({ status: 'reply_review', mergedOrders: [] });
        expect(targetAfter.timeline.map((e) => e.action)).not.toContain('approve-reply');
        expect(repeatAfter).toMatchObject({ status: 'registered', mergedIntoId: null, reply: null });
        expect(repeatAfter.timeline.map((e) => e.action)).not.toContain('close-with-target');
      }
      expect(repeatAfter.timeline).toHaveLength(repeatAfter.version);
    }
  });

  it('answers 403 to a role that may not approve and 409 on a stale version, moving no merged order', async () => {
    const repeat = await d.register('agent1');
    const target = await inReviewWith([repeat]);
    expect((await d.try('callback1', target.id, 'approve-reply')).status).toBe(403);
    expect((await d.try('cgj_handler', target.id, 'approve-reply')).status).toBe(403);
    const stale = await t.post('reviewer1', `/api/work-orders/${target.id}/approve-reply`, { version: target.version - 1 });
    expect(stale.status).toBe(409);
    expect((await d.read(repeat.id)).status).toBe('merged');
    expect((await d.read(target.id)).status).toBe('reply_review');
  });
});
