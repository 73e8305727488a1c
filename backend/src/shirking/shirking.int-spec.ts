import { Logger } from '@nestjs/common';
import { EscalationService } from '../escalation/escalation.service';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';
import { RepeatScreening } from '../work-orders/repeat-screening.service';
import { ShirkingService } from './shirking.service';

/** An instant given as the center's local time (Asia/Shanghai, +08:00). */
const local = (text: string) => new Date(`${text}:00+08:00`);

interface FlagBody {
  id: number;
  workOrderId: number;
  rule: string;
  unitId: number | null;
  unitName: string | null;
  count: number;
  reasons: Record<string, unknown>;
  resolvedAt: string | null;
  resolution: string | null;
}

interface QueueItemBody {
  order: { id: number; disputed: boolean; ruledUnitId: number | null; leadUnitId: number | null };
  flags: FlagBody[];
  lastFlaggedAt: string;
}

const RETURN = { reasonCode: 'not_our_responsibility', reason: '不属于本单位职责' };

describe.each(enginesUnderTest())('shirking detection and the ruling (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let shirking: ShirkingService;

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    shirking = t.app.get(ShirkingService);
  });

  afterAll(async () => {
    await t.close();
  });

  afterEach(() => t.clock.set(null));

  /** The evaluations the last actions queued have run (they follow each commit, off the request's path). */
  const settled = () => shirking.settled();

  /** The queue's entry of one order, as a supervisor reads it (every flag of the order). */
  async function queueItem(orderId: number, query = ''): Promise<QueueItemBody | undefined> {
    await settled();
    const response = await t.get('supervisor1', `/api/shirking?pageSize=100${query}`);
    expect(response.status).toBe(200);
    return (response.body.items as QueueItemBody[]).find((item) => item.order.id === orderId);
  }

  const flag = (item: QueueItemBody | undefined, rule: string) => item?.flags.find((f) => f.rule === rule);

  /** Dispatched to `first`, returned by it, the return approved, dispatched to `second`, returned by it, approved. */
  async function returnedTwice(first: string, second: string): Promise<OrderBody> {
    const order = await d.dispatched(first);
    await d.act(`${first}_handler`, order.id, 'return', RETURN);
    await d.act('dispatcher1', order.id, 'approve-return');
    await d.act('dispatcher1', order.id, 'dispatch', { leadUnitId: d.unit(second) });
    await d.act(`${second}_handler`, order.id, 'return', RETURN);
    return d.act('dispatcher1', order.id, 'approve-return');
  }

  it('flags an order returned twice and makes it disputed (timeline, the supervisors are told); evaluating again changes nothing', async () => {
    const order = await returnedTwice('cgj', 'zjj');
    const item = await queueItem(order.id);

    expect(item?.order).toMatchObject({ disputed: true, ruledUnitId: null });
    expect(flag(item, 'returned')).toMatchObject({ count: 2, unitId: d.unit('zjj'), unitName: '云川市住房和城乡建设局', resolvedAt: null });
    expect(flag(item, 'returned')?.reasons).toMatchObject({
      returns: [
        { unitId: d.unit('cgj'), unitName: '云川市城市管理局', reasonCode: 'not_our_responsibility', decision: 'approved' },
        { unitId: d.unit('zjj'), reasonCode: 'not_our_responsibility', decision: 'approved' },
      ],
      units: [d.unit('cgj'), d.unit('zjj')],
    });
    const read = await d.read(order.id);
    expect(read).toMatchObject({ disputed: true, ruledUnitId: null, ruledAt: null });
    expect(read.allowedActions).toContain('rule');
    const flagged = read.timeline.filter((e) => e.action === 'shirking-flagged');
    expect(flagged).toHaveLength(1);
    // Raised after the second return request (evaluated once it committed: before or after the approval of it).
    expect(flagged[0]).toMatchObject({ actorId: null, actorRole: null, payload: { flags: [{ rule: 'returned', count: 2, isNew: true }] } });
    expect(['return_requested', 'registered']).toContain(flagged[0].toStatus);
    expect(flagged[0].fromStatus).toBe(flagged[0].toStatus);
    expect(read.timeline.filter((e) => e.action === 'disputed')).toEqual([expect.objectContaining({ payload: { rules: ['returned'] } })]);
    const notices = await t.get('supervisor1', '/api/notifications?limit=50');
    expect(notices.status).toBe(200);
    expect(JSON.stringify(notices.body)).toContain('work_order.disputed');

    // Idempotent: the same history raises nothing more.
    expect(await shirking.evaluate(order.id)).toEqual({ raised: [], grown: [], becameDisputed: false, resolvedByRuling: 0 });
    const again = await d.read(order.id);
    expect(again.timeline.filter((e) => e.action === 'shirking-flagged')).toHaveLength(1);
    expect(again.version).toBe(read.version);
    expect((await queueItem(order.id))?.flags).toHaveLength(item?.flags.length ?? -1);
  });

  it('a third return updates the flag (count and reasons), one flag per order and rule', async () => {
    const order = await returnedTwice('cgj', 'zjj');
    await d.act('dispatcher1', order.id, 'dispatch', { leadUnitId: d.unit('scjgj') });
    await d.act('scjgj_handler', order.id, 'return', RETURN);
    const item = await queueItem(order.id);

    expect(item?.flags.filter((f) => f.rule === 'returned')).toEqual([expect.objectContaining({ count: 3, unitId: d.unit('scjgj') })]);
    const timeline = (await d.read(order.id)).timeline.filter((e) => e.action === 'shirking-flagged');
    expect(timeline.at(-1)?.payload).toEqual({ flags: [{ rule: 'returned', unitId: d.unit('scjgj'), unitName: '云川市市场监督管理局', count: 3, isNew: false }] });
  });

  it('flags a bounce A → center → B → center → A and makes the order disputed', async () => {
    const order = await d.dispatched('cgj');
    await d.act('cgj_handler', order.id, 'return', RETURN);
    await d.act('dispatcher1', order.id, 'approve-return');
    await d.act('dispatcher1', order.id, 'dispatch', { leadUnitId: d.unit('zjj') });
    await d.act('zjj_handler', order.id, 'accept');
    // The center takes it back from the second unit and sends it to the first again.
    await d.act('dispatcher1', order.id, 'recall', { leadUnitId: d.unit('cgj'), reason: '经核实属城管职责' });
    const item = await queueItem(order.id);

    expect(flag(item, 'returned')).toBeUndefined();
    expect(flag(item, 'bounced')).toMatchObject({ count: 1, unitId: d.unit('cgj') });
    expect(flag(item, 'bounced')?.reasons).toMatchObject({
      bounces: [{ unitId: d.unit('cgj') }],
      chain: [
        { unitId: d.unit('cgj'), via: 'dispatch' },
        { unitId: d.unit('zjj'), via: 'dispatch' },
        { unitId: d.unit('cgj'), via: 'recall' },
      ],
    });
    expect(item?.order.disputed).toBe(true);
  });

  it('flags an acceptance only after a reminder (催办), and an acceptance deadline that passed without one', async () => {
    t.clock.set(local('2026-03-02T09:00')); // a Monday
    const reminded = await d.dispatched('cgj');
    await d.act('dispatcher1', reminded.id, 'remind', { message: '请尽快签收' });
    await d.act('cgj_handler', reminded.id, 'accept');
    const item = await queueItem(reminded.id);
    expect(flag(item, 'late-acceptance')).toMatchObject({ count: 1, unitId: d.unit('cgj') });
    expect(flag(item, 'late-acceptance')?.reasons).toMatchObject({ acceptances: [{ unitId: d.unit('cgj'), warnings: [{ action: 'remind', deadline: null }] }] });
    expect(item?.order.disputed).toBe(false);

    // On time and without a warning: nothing.
    const prompt = await d.dispatched('zjj');
    await d.act('zjj_handler', prompt.id, 'accept');
    expect(await queueItem(prompt.id)).toBeUndefined();

    // Never accepted: the scheduler flags the acceptance deadline red, and that is the signal.
    const avoided = await d.dispatched('scjgj');
    const dueAt = new Date((await d.read(avoided.id)).acceptDueAt as string);
    t.clock.set(new Date(dueAt.getTime() + 3_600_000));
    await t.app.get(EscalationService).tick(t.clock.now());
    const late = await queueItem(avoided.id);
    expect(flag(late, 'late-acceptance')?.reasons).toMatchObject({
      acceptances: [{ unitId: d.unit('scjgj'), acceptedAt: null, warnings: expect.arrayContaining([expect.objectContaining({ action: 'overdue', deadline: 'acceptDueAt' })]) }],
    });
  });

  it('flags a reply rejected at review', async () => {
    const order = await d.processing('cgj');
    await d.act('cgj_admin', order.id, 'reply', { content: '已处理' });
    await d.act('reviewer1', order.id, 'reject-reply', { reason: '答复未说明处理结果' });
    const item = await queueItem(order.id, '&rule=reply-rejected');

    expect(flag(item, 'reply-rejected')).toMatchObject({ count: 1, unitId: d.unit('cgj') });
    expect(item?.order.disputed).toBe(false);
  });

  it('flags a callback where the citizen is dissatisfied and the order goes back to the unit (重办)', async () => {
    const order = await d.processing('cgj');
    await d.act('cgj_admin', order.id, 'reply', { content: '已更换灯泡' });
    await d.act('reviewer1', order.id, 'approve-reply');
    await d.act('callback1', order.id, 'callback', { outcome: 'resolved', satisfaction: 'dissatisfied', note: '拖得太久' });
    const item = await queueItem(order.id);

    expect(flag(item, 'callback-failed')).toMatchObject({ count: 1, unitId: d.unit('cgj') });
    expect(flag(item, 'callback-failed')?.reasons).toMatchObject({ callbacks: [{ outcome: 'dissatisfied', satisfaction: 'dissatisfied' }] });
    // A callback's reopen is its own rule; `reopened` counts reopening a closed order.
    expect(flag(item, 'reopened')).toBeUndefined();
  });

  it('flags the earlier order when the same citizen complains again after its reply was accepted as resolved (虚假答复)', async () => {
    const citizen = { citizenPhone: '13900007788', title: '幸福小区3号楼前井盖缺失', content: '幸福小区3号楼前井盖缺失，夜间有行人踩空的危险。', categoryId: d.category('C010103') };
    const original = await d.processing('cgj', citizen);
    await d.act('cgj_admin', original.id, 'reply', { content: '已补装井盖' });
    await d.act('reviewer1', original.id, 'approve-reply');
    await d.act('callback1', original.id, 'callback', { outcome: 'resolved', satisfaction: 'satisfied' });
    const repeat = await d.register('agent1', { ...citizen, content: '幸福小区3号楼前井盖还是没有装，上次说已经补装了。' });
    // The repeat detector may have found it at registration already; otherwise the agent marks it.
    if (repeat.repeatOfId !== original.id) await d.act('agent1', repeat.id, 'mark-repeat', { targetId: original.id });
    const item = await queueItem(original.id);

    expect(flag(item, 'repeat-after-resolved')).toMatchObject({ count: 1, unitId: d.unit('cgj') });
    expect(flag(item, 'repeat-after-resolved')?.reasons).toMatchObject({ repeats: [{ repeatId: repeat.id, repeatNumber: repeat.number }] });
  });

  describe('GET /api/shirking', () => {
    it('filters by unit (with the units below it), rule, disputed and open, and pages', async () => {
      const order = await returnedTwice('dc', 'xc');
      const byUnit = await t.get('supervisor1', `/api/shirking?unitId=${d.unit('xc')}&rule=returned&disputed=true&open=true&pageSize=100`);
      expect(byUnit.status).toBe(200);
      expect(byUnit.body.items.map((i: QueueItemBody) => i.order.id)).toContain(order.id);
      expect(byUnit.body.items.every((i: QueueItemBody) => i.flags.some((f) => f.unitId === d.unit('xc') && f.rule === 'returned'))).toBe(true);

      const other = await t.get('supervisor1', `/api/shirking?unitId=${d.unit('water')}&pageSize=100`);
      expect(other.body.items.map((i: QueueItemBody) => i.order.id)).not.toContain(order.id);

      const page = await t.get('dispatcher1', '/api/shirking?page=1&pageSize=1');
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ page: 1, pageSize: 1, total: expect.any(Number) });
      expect(page.body.items).toHaveLength(1);
      expect(page.body.total).toBeGreaterThan(1);
      const times = (await t.get('supervisor1', '/api/shirking?pageSize=100')).body.items.map((i: QueueItemBody) => i.lastFlaggedAt);
      expect([...times].sort().reverse()).toEqual(times);
    });

    it('is the center’s: unit staff get 403, bad filters 400 or 422', async () => {
      for (const user of ['cgj_handler', 'cgj_admin', 'agent1']) expect((await t.get(user, '/api/shirking')).status).toBe(403);
      expect((await t.get('cgj_admin', '/api/shirking/units')).status).toBe(403);
      expect((await t.get('supervisor1', '/api/shirking?rule=laziness')).status).toBe(400);
      expect((await t.get('supervisor1', '/api/shirking?disputed=maybe')).status).toBe(400);
      expect((await t.get('supervisor1', '/api/shirking?unitId=999999')).status).toBe(422);
      expect((await t.get('supervisor1', '/api/shirking?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z')).status).toBe(422);
    });

    it('counts per unit: flagged orders, returns, bounces and the return rate', async () => {
      await returnedTwice('power', 'water');
      const response = await t.get('supervisor1', '/api/shirking/units');
      expect(response.status).toBe(200);
      const power = response.body.units.find((u: { unitCode: string }) => u.unitCode === 'power');
      expect(power).toMatchObject({ unitId: d.unit('power'), unitName: '国网云川供电公司', returns: 1, returnedOrders: 1, flaggedOrders: 0, bounces: 0, receivedOrders: 1, returnRate: 1 });
      const water = response.body.units.find((u: { unitCode: string }) => u.unitCode === 'water');
      expect(water).toMatchObject({ returns: 1, flaggedOrders: 1, flagsByRule: [{ rule: 'returned', count: 1 }] });
      const cgj = response.body.units.find((u: { unitCode: string }) => u.unitCode === 'cgj');
      expect(cgj.bounces).toBeGreaterThanOrEqual(1);
      expect(cgj.returnRate).toBeGreaterThan(0);
      expect(cgj.returnRate).toBeLessThanOrEqual(1);
      expect((await t.get('supervisor1', '/api/shirking/units?from=2026-01-01T00:00:00Z&to=2027-06-01T00:00:00Z')).status).toBe(422);
    });

    it('lets a supervisor resolve a flag once; a dispatcher may not', async () => {
      const order = await d.processing('zjj');
      await d.act('zjj_admin', order.id, 'reply', { content: '已处理' });
      await d.act('reviewer1', order.id, 'reject-reply', { reason: '未附照片' });
      const rejected = flag(await queueItem(order.id), 'reply-rejected');
      expect(rejected).toBeDefined();
      expect((await t.post('dispatcher1', `/api/shirking/flags/${rejected?.id}/resolve`, {})).status).toBe(403);
      const resolved = await t.post('supervisor1', `/api/shirking/flags/${rejected?.id}/resolve`, { note: '已约谈' });
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({ id: rejected?.id, resolution: '已约谈', resolvedAt: expect.any(String) });
      expect((await t.post('supervisor1', `/api/shirking/flags/${rejected?.id}/resolve`, {})).status).toBe(409);
      expect((await t.post('supervisor1', '/api/shirking/flags/99999999/resolve', {})).status).toBe(404);
      expect(flag(await queueItem(order.id, '&open=true'), 'reply-rejected')).toBeUndefined();
    });
  });

  describe('POST /api/work-orders/:id/rule', () => {
    it('rules a disputed order to a unit: dispatched there, on the timeline, the unit told, and it cannot return it (409 naming the ruling)', async () => {
      const order = await returnedTwice('cgj', 'zjj');
      await settled();
      const ruled = await d.act('supervisor1', order.id, 'rule', { leadUnitId: d.unit('cgj'), assistingUnitIds: [d.unit('zjj')], reason: '路灯维护属城管局职责，住建局协办' });

      expect(ruled).toMatchObject({ status: 'dispatched', leadUnitId: d.unit('cgj'), ruledUnitId: d.unit('cgj'), ruledAt: expect.any(String), disputed: true });
      expect(ruled.timeline.at(-1)).toMatchObject({
        action: 'rule',
        fromStatus: 'registered',
        toStatus: 'dispatched',
        actorRole: 'supervisor',
        reason: '路灯维护属城管局职责，住建局协办',
        payload: { leadUnitId: d.unit('cgj'), assistingUnits: [{ id: d.unit('zjj') }], previousLeadUnitId: null },
      });
      expect((ruled.assistingUnits as { id: number }[]).map((a) => a.id)).toEqual([d.unit('zjj')]);
      const bell = await t.get('cgj_handler', '/api/notifications?limit=50');
      expect(JSON.stringify(bell.body)).toContain('work_order.ruled');

      const unitView = await t.get('cgj_handler', `/api/work-orders/${order.id}`);
      expect(unitView.body.allowedActions).toEqual(['accept']);
      const refused = await d.try('cgj_handler', order.id, 'return', RETURN);
      expect(refused.status).toBe(409);
      expect(refused.body.message).toBe(`Cannot return this work order now: the center ruled this order to your unit on ${ruled.ruledAt as string} (裁定): it cannot be returned`);
      await d.act('cgj_handler', order.id, 'accept');
      expect((await d.try('cgj_admin', order.id, 'return', RETURN)).status).toBe(409);

      // The ruling settled the dispute flags.
      const item = await queueItem(order.id);
      expect(flag(item, 'returned')).toMatchObject({ resolution: 'ruling', resolvedAt: expect.any(String) });
    });

    it('settles a return waiting for a decision: the ruled unit keeps the order (the return is refused)', async () => {
      const order = await returnedTwice('sthjj', 'jtysj');
      await d.act('dispatcher1', order.id, 'dispatch', { leadUnitId: d.unit('sthjj') });
      await d.act('sthjj_handler', order.id, 'return', RETURN);
      await settled();
      const ruled = await d.act('supervisor1', order.id, 'rule', { leadUnitId: d.unit('sthjj'), reason: '扬尘污染属生态环境局职责' });
      expect(ruled).toMatchObject({ status: 'dispatched', leadUnitId: d.unit('sthjj'), ruledUnitId: d.unit('sthjj') });
      expect((ruled.returns as { decision: string | null }[]).at(-1)?.decision).toBe('rejected');
    });

    it('answers 409 on a stale version or an order that is not disputed, 403 to anyone but a supervisor, 400/422 on bad input', async () => {
      const disputed = await returnedTwice('gaj', 'rsj');
      await settled();
      const { version } = await d.read(disputed.id);
      const body = { version, leadUnitId: d.unit('gaj'), reason: '属公安局职责' };

      expect((await t.post('supervisor1', `/api/work-orders/${disputed.id}/rule`, { ...body, version: version - 1 })).status).toBe(409);
      for (const user of ['dispatcher1', 'agent1', 'gaj_admin']) {
        expect([403, 404]).toContain((await t.post(user, `/api/work-orders/${disputed.id}/rule`, body)).status);
      }
      expect((await t.post('dispatcher1', `/api/work-orders/${disputed.id}/rule`, body)).status).toBe(403);
      expect((await t.post('supervisor1', `/api/work-orders/${disputed.id}/rule`, { version, leadUnitId: d.unit('gaj') })).status).toBe(400);
      expect((await t.post('supervisor1', `/api/work-orders/${disputed.id}/rule`, { ...body, reason: '' })).status).toBe(400);
      expect((await t.post('supervisor1', `/api/work-orders/${disputed.id}/rule`, { ...body, leadUnitId: 999999 })).status).toBe(422);
      expect((await t.post('supervisor1', `/api/work-orders/${disputed.id}/rule`, { ...body, leadUnitId: d.unit('center') })).status).toBe(422);
      expect((await t.post('supervisor1', `/api/work-orders/${disputed.id}/rule`, { ...body, assistingUnitIds: [d.unit('gaj')] })).status).toBe(422);
      expect((await t.post('supervisor1', '/api/work-orders/abc/rule', body)).status).toBe(400);
      // Nothing of the above changed the order.
      expect((await d.read(disputed.id)).version).toBe(version);

      const plain = await d.dispatched('cgj');
      const notDisputed = await d.try('supervisor1', plain.id, 'rule', { leadUnitId: d.unit('cgj'), reason: '属城管局职责' });
      expect(notDisputed.status).toBe(409);
      expect(notDisputed.body.message).toContain('it is not a disputed order');
      expect(notDisputed.body.details.allowedActions).not.toContain('rule');
    });
  });
});

describe.each(enginesUnderTest())('shirking evaluations at a graceful stop (%s)', (engine) => {
  it('finishes the evaluations already queued before the database connections close', async () => {
    const t = await startTestApp(engine);
    const d = await new WorkOrderDriver(t).load();
    const order = await d.register('agent1');
    await d.act('dispatcher1', order.id, 'dispatch', { leadUnitId: d.unit('cgj') });
    const shirking = t.app.get(ShirkingService);
    await shirking.settled();
    const evaluated = jest.spyOn(shirking, 'evaluate');
    const failed = jest.spyOn(Logger.prototype, 'error');
    try {
      for (let i = 0; i < 5; i++) shirking.onOrderChanged(order.id, 'dispatch', null);
      await t.close();
      expect(evaluated).toHaveBeenCalledTimes(5);
      for (const result of evaluated.mock.results) await expect(result.value).resolves.toBeDefined();
      expect(failed.mock.calls.filter(([message]) => String(message).includes('Shirking evaluation failed'))).toEqual([]);
    } finally {
      failed.mockRestore();
    }
  });

  it('finishes the evaluations a repeat screened during the stop queues, after its own hook has run', async () => {
    const t = await startTestApp(engine, { env: { REPEAT_DETECTION: 'on' } });
    const d = await new WorkOrderDriver(t).load();
    const original = await d.register('agent1');
    const shirking = t.app.get(ShirkingService);
    await shirking.settled();
    // The repeat's screening starts only once ShirkingService's own stop hook has found nothing left to wait for: its
    // mark queues evaluations that hook can no longer see.
    let hookRan!: () => void;
    const afterHook = new Promise<void>((resolve) => (hookRan = resolve));
    const ownHook = shirking.beforeApplicationShutdown.bind(shirking);
    jest.spyOn(shirking, 'beforeApplicationShutdown').mockImplementation(async () => {
      await ownHook();
      hookRan();
    });
    const screening = t.app.get(RepeatScreening);
    const screen = screening.record.bind(screening);
    let screeningStarted!: () => void;
    const started = new Promise<void>((resolve) => (screeningStarted = resolve));
    jest.spyOn(screening, 'record').mockImplementation(async (...args) => {
      screeningStarted();
      await afterHook;
      return screen(...args);
    });
    const evaluated = jest.spyOn(shirking, 'evaluate');
    const failed = jest.spyOn(Logger.prototype, 'error');
    try {
      const repeat = await t.post('agent1', '/api/work-orders', d.registration());
      expect(repeat.status).toBe(201);
      await started; // the screening has the order (a job not begun by the stop stays in the table for the next start)
      await t.close();
      // The same caller about the same matter: marked during the stop, and both orders evaluated again.
      expect(evaluated.mock.calls).toEqual(
        expect.arrayContaining([
          [repeat.body.id, 'repeat-detected', null],
          [original.id, 'repeat-detected', null],
        ]),
      );
      for (const result of evaluated.mock.results) await expect(result.value).resolves.toBeDefined();
      expect(failed.mock.calls.filter(([message]) => String(message).includes('Shirking evaluation failed'))).toEqual([]);
    } finally {
      failed.mockRestore();
    }
  });
});
