import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';

interface ReturnBody {
  unit: { id: number } | null;
  reasonCode: string;
  reason: string;
  suggestedUnit: { id: number } | null;
  decision: string | null;
}

/** Recall and reassignment (改派), invalid orders (无效工单) and returns with their reasons (退单), through the API. */
describe.each(enginesUnderTest())('dispatch, recall, invalid orders and returns (%s)', (engine) => {
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

  const notificationsOf = async (username: string) => (await t.get(username, '/api/notifications')).body.items as { kind: string; workOrderId: number; title: string }[];

  describe('recall (改派)', () => {
    it('takes a dispatched order back before acceptance without a reason: it waits for dispatch, the unit is told and loses it', async () => {
      const order = await d.dispatched('cgj');
      const recalled = await d.act('dispatcher1', order.id, 'recall');
      expect(recalled).toMatchObject({ status: 'registered', leadUnitId: null, replyDueAt: null, acceptDueAt: null });
      expect((recalled as unknown as { dispatchDueAt: string | null }).dispatchDueAt).not.toBeNull();
      expect(recalled.timeline.at(-1)).toMatchObject({
        action: 'recall',
        fromStatus: 'dispatched',
        toStatus: 'registered',
        actorRole: 'dispatcher',
        payload: expect.objectContaining({ leadUnitId: d.unit('cgj'), redispatched: false }),
      });
      expect((await t.get('cgj_handler', `/api/work-orders/${order.id}`)).status).toBe(404);
      expect(await notificationsOf('cgj_handler')).toContainEqual(expect.objectContaining({ kind: 'work_order.recalled', workOrderId: order.id }));
    });

    it('needs a reason once the unit accepted; with a new lead unit it is dispatched there at once and every deadline starts over', async () => {
      // A Monday morning: an hour later is still office time, so a restarted deadline lies later (after office hours
      // both would count from the next morning's opening and be equal).
      const monday = new Date('2026-03-09T09:00:00+08:00');
      t.clock.set(monday);
      const order = await d.processing('cgj');
      const noReason = await d.try('dispatcher1', order.id, 'recall', { leadUnitId: d.unit('zjj') });
      expect(noReason.status).toBe(422);
      expect(noReason.body.message).toMatch(/accepted.*needs a reason/);

      t.clock.set(new Date(monday.getTime() + 3_600_000));
      const moved = await d.act('supervisor1', order.id, 'recall', { leadUnitId: d.unit('zjj'), assistingUnitIds: [d.unit('dc')], reason: '职责调整，改派住建局' });
      expect(moved).toMatchObject({ status: 'dispatched', leadUnitId: d.unit('zjj') });
      expect(new Date(moved.replyDueAt!).getTime()).toBeGreaterThan(new Date(order.replyDueAt!).getTime());
      expect(moved.timeline.at(-1)).toMatchObject({
        action: 'recall',
        fromStatus: 'processing',
        toStatus: 'dispatched',
        reason: '职责调整，改派住建局',
        payload: expect.objectContaining({ leadUnitId: d.unit('zjj'), redispatched: true }),
      });
      // The old unit lost it, the new one has it to accept, and was told.
      expect((await t.get('cgj_handler', `/api/work-orders/${order.id}`)).status).toBe(404);
      const atNew = await t.get('zjj_handler', `/api/work-orders/${order.id}`);
      expect(atNew.status).toBe(200);
      expect(atNew.body.allowedActions).toContain('accept');
      expect(atNew.body.acceptedAt).toBeNull();
      expect(await notificationsOf('zjj_handler')).toContainEqual(expect.objectContaining({ kind: 'work_order.assigned', workOrderId: order.id }));
      expect(await notificationsOf('cgj_handler')).toContainEqual(expect.objectContaining({ kind: 'work_order.recalled', workOrderId: order.id }));
    });

    it('refuses a recall to the same unit, assisting units without a lead unit, a child order, and the wrong role', async () => {
      const order = await d.dispatched('cgj');
      expect((await d.try('dispatcher1', order.id, 'recall', { leadUnitId: d.unit('cgj') })).status).toBe(422);
      expect((await d.try('dispatcher1', order.id, 'recall', { assistingUnitIds: [d.unit('dc')] })).status).toBe(422);
      expect((await d.try('dispatcher1', order.id, 'recall', { leadUnitId: 999_999 })).status).toBe(422);
      const forbidden = await d.try('agent1', order.id, 'recall');
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.details.allowedActions).not.toContain('recall');
      expect((await d.try('cgj_handler', order.id, 'recall')).status).toBe(403);
      expect((await d.try('dispatcher1', order.id, 'recall', { reason: 'x' })).status).toBe(400);
    });

    it('settles a waiting return as approved when the center recalls the order instead', async () => {
      const order = await d.dispatched('cgj');
      await d.act('cgj_handler', order.id, 'return', { reasonCode: 'wrong_place', reason: '应由属地街道处理', suggestedUnitId: d.unit('dc') });
      const moved = await d.act('dispatcher1', order.id, 'recall', { leadUnitId: d.unit('dc'), reason: '按建议改派' });
      expect(moved.status).toBe('dispatched');
      const returns = (moved as unknown as { returns: ReturnBody[] }).returns;
      expect(returns).toEqual([
        expect.objectContaining({ unit: expect.objectContaining({ id: d.unit('cgj') }), reasonCode: 'wrong_place', suggestedUnit: expect.objectContaining({ id: d.unit('dc') }), decision: 'approved' }),
      ]);
    });

    it('is refused while sub-dispatched child orders are open', async () => {
      const order = await d.processing('dc');
      await d.act('dc_handler', order.id, 'sub-dispatch', { unitId: d.unit('dc_cy'), instruction: '请街道核实' });
      const refused = await d.try('dispatcher1', order.id, 'recall', { reason: '改派' });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/child orders are still open/);
    });
  });

  describe('invalid orders (无效工单)', () => {
    it('an agent marks a registered order invalid with a reason; only a supervisor restores it, back to dispatch', async () => {
      const order = await d.register('agent1');
      const invalid = await d.act('agent1', order.id, 'invalidate', { reasonCode: 'prank', reason: '骚扰电话，无实际诉求' });
      expect(invalid).toMatchObject({ status: 'invalid', allowedActions: ['link'] });
      expect((invalid as unknown as { invalidReason: string }).invalidReason).toBe('prank');
      expect(invalid.timeline.at(-1)).toMatchObject({ action: 'invalidate', toStatus: 'invalid', reason: '骚扰电话，无实际诉求', payload: { reasonCode: 'prank' } });
      // Counted apart: the list filters them by status, and they are not open any more.
      const listed = await t.get('supervisor1', '/api/work-orders?status=invalid&pageSize=100');
      expect(listed.body.items.map((o: { id: number }) => o.id)).toContain(order.id);

      expect((await d.try('dispatcher1', order.id, 'restore', { reason: '误判' })).status).toBe(403);
      expect((await d.try('dispatcher1', order.id, 'dispatch', { leadUnitId: d.unit('cgj') })).status).toBe(409);
      const restored = await d.act('supervisor1', order.id, 'restore', { reason: '复核后确有诉求，恢复受理' });
      expect(restored).toMatchObject({ status: 'registered' });
      expect((restored as unknown as { invalidReason: string | null }).invalidReason).toBeNull();
      expect(restored.timeline.at(-1)).toMatchObject({ action: 'restore', fromStatus: 'invalid', toStatus: 'registered', payload: { previousReasonCode: 'prank' } });
      expect(restored.allowedActions).toContain('dispatch');
    });

    it('refuses an unknown reason code, a missing reason, and orders already dispatched', async () => {
      const order = await d.register('agent1');
      const unknown = await d.try('agent1', order.id, 'invalidate', { reasonCode: 'boring', reason: '无内容' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toMatch(/reasonCode must be one of: test_call, prank, no_content, duplicate_call, other/);
      expect((await d.try('agent1', order.id, 'invalidate', { reasonCode: 'no_content' })).status).toBe(400);
      const dispatched = await d.dispatched('cgj');
      expect((await d.try('dispatcher1', dispatched.id, 'invalidate', { reasonCode: 'test_call', reason: '测试' })).status).toBe(409);
      expect((await d.try('reviewer1', order.id, 'invalidate', { reasonCode: 'test_call', reason: '测试' })).status).toBe(403);
    });
  });

  describe('returns (退单) with a reason from the list', () => {
    it('keeps every return with its reason, the suggested unit and the decision; the return count per unit comes from them', async () => {
      const order = await d.dispatched('cgj');
      await d.act('cgj_handler', order.id, 'return', { reasonCode: 'not_our_responsibility', reason: '不属于城管职责', suggestedUnitId: d.unit('zjj') });
      const rejected = await d.act('dispatcher1', order.id, 'reject-return', { reason: '属于城管职责范围，请办理' });
      expect(rejected.status).toBe('processing');
      const returns = (rejected as unknown as { returns: ReturnBody[] }).returns;
      expect(returns).toEqual([
        expect.objectContaining({
          unit: expect.objectContaining({ id: d.unit('cgj') }),
          reasonCode: 'not_our_responsibility',
          reason: '不属于城管职责',
          suggestedUnit: expect.objectContaining({ id: d.unit('zjj') }),
          decision: 'rejected',
        }),
      ]);
      expect(rejected.timeline.find((e) => e.action === 'return')?.payload).toMatchObject({ reasonCode: 'not_our_responsibility', unitId: d.unit('cgj'), suggestedUnitId: d.unit('zjj') });
    });

    it('requires a reason code from the list and a usable suggested unit', async () => {
      const order = await d.dispatched('cgj');
      const noCode = await d.try('cgj_handler', order.id, 'return', { reason: '不归我们管' });
      expect(noCode.status).toBe(400);
      expect(noCode.body.message).toMatch(/reasonCode must be one of/);
      expect((await d.try('cgj_handler', order.id, 'return', { reasonCode: 'other', reason: '其他原因', suggestedUnitId: d.unit('cgj') })).status).toBe(422);
      expect((await d.try('cgj_handler', order.id, 'return', { reasonCode: 'other', reason: '其他原因', suggestedUnitId: d.unit('center') })).status).toBe(422);
      expect((await d.try('cgj_handler', order.id, 'return', { reasonCode: 'other', reason: '其他原因', suggestedUnitId: 999_999 })).status).toBe(422);
    });
  });
});
