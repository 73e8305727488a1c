import { ShirkingService } from '../../shirking/shirking.service';
import { enginesUnderTest, startTestApp, type TestApp } from '../../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../../testing/work-order-driver';

/** An instant given as the center's local time (Asia/Shanghai, +08:00). */
const local = (text: string) => new Date(`${text}:00+08:00`);

const RETURN = { reasonCode: 'not_our_responsibility', reason: '不属于本单位职责' };

interface UnitRowBody {
  unitId: number;
  received: number;
  returns: number;
  returnsApproved: number;
  returnsRejected: number;
  returnRate: number | null;
  flags: number;
  failedCallbacks: number;
}

/**
 * The shirking report of November 2026 on orders moved through returns, a ruling, a bounce and failed callbacks with
 * the test clock (each step's shirking evaluation settles before the clock moves, so flags carry the step's time).
 */
describe.each(enginesUnderTest())('shirking report (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  const o: Record<string, OrderBody> = {};

  /** Sets the clock, does the step, and waits for the shirking evaluations it queued. */
  const at = async <T>(text: string, work: () => Promise<T>): Promise<T> => {
    t.clock.set(local(text));
    const result = await work();
    await t.app.get(ShirkingService).settled();
    return result;
  };

  /** Accepted (unless it is already in hand), replied, the reply approved and the citizen called back with this answer. */
  const calledBack = async (unit: string, order: OrderBody, day: string, answer: Record<string, unknown>) => {
    if ((await d.read(order.id)).status === 'dispatched') await at(`${day}T09:00`, () => d.act(`${unit}_handler`, order.id, 'accept'));
    await at(`${day}T10:00`, () => d.reply(`${unit}_handler`, order.id));
    await at(`${day}T11:00`, () => d.act('reviewer1', order.id, 'approve-reply'));
    return at(`${day}T15:00`, () => d.act('callback1', order.id, 'callback', answer));
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    // S1: returned by cgj (approved), then by zjj (approved): the second return raises `returned` (2 returns) and makes
    // it a disputed order (争议件) on 11-03; the center rules it to cgj on 11-04 (裁定), which resolves the flag.
    o.s1 = await at('2026-11-02T09:00', () => d.dispatched('cgj', { title: 'S1 两次退单' }));
    await at('2026-11-02T10:00', () => d.act('cgj_handler', o.s1.id, 'return', RETURN));
    await at('2026-11-02T11:00', () => d.act('dispatcher1', o.s1.id, 'approve-return'));
    await at('2026-11-02T14:00', () => d.act('dispatcher1', o.s1.id, 'dispatch', { leadUnitId: d.unit('zjj') }));
    await at('2026-11-03T09:00', () => d.act('zjj_handler', o.s1.id, 'return', RETURN));
    await at('2026-11-03T10:00', () => d.act('dispatcher1', o.s1.id, 'approve-return'));
    await at('2026-11-04T10:00', () => d.act('supervisor1', o.s1.id, 'rule', { leadUnitId: d.unit('cgj'), reason: '路灯维护属城管局职责' }));
    // S2: returned by cgj, the return rejected (cgj must handle it); the citizen says unresolved on 11-09 (重办).
    o.s2 = await at('2026-11-05T09:00', () => d.dispatched('cgj', { title: 'S2 退单被驳回' }));
    await at('2026-11-05T10:00', () => d.act('cgj_handler', o.s2.id, 'return', RETURN));
    await at('2026-11-05T11:00', () => d.act('dispatcher1', o.s2.id, 'reject-return', { reason: '属本单位职责' }));
    await calledBack('cgj', o.s2, '2026-11-09', { outcome: 'unresolved', satisfaction: 'dissatisfied' });
    // S3: street dc_cy; resolved but dissatisfied on 11-10 — a failed callback too (sent back: CALLBACK_DISSATISFIED=reopen).
    o.s3 = await at('2026-11-06T09:00', () => d.dispatched('dc_cy', { title: 'S3 不满意' }));
    await calledBack('dc_cy', o.s3, '2026-11-10', { outcome: 'resolved', satisfaction: 'dissatisfied' });
    // S4: returned by cgj in October: not in November's figures.
    o.s4 = await at('2026-10-12T09:00', () => d.dispatched('cgj', { title: 'S4 十月退单' }));
    await at('2026-10-12T10:00', () => d.act('cgj_handler', o.s4.id, 'return', RETURN));
    // S5: zjj keeps it and the citizen is satisfied.
    o.s5 = await at('2026-11-11T09:00', () => d.dispatched('zjj', { title: 'S5 正常办理' }));
    await calledBack('zjj', o.s5, '2026-11-12', { outcome: 'resolved', satisfaction: 'satisfied' });
    // S6: water returns it (approved), power takes it, the center recalls it to water: a bounce (`bounced` on water),
    // a disputed order raised on 11-16.
    o.s6 = await at('2026-11-13T09:00', () => d.dispatched('water', { title: 'S6 来回推' }));
    await at('2026-11-13T10:00', () => d.act('water_handler', o.s6.id, 'return', RETURN));
    await at('2026-11-13T11:00', () => d.act('dispatcher1', o.s6.id, 'approve-return'));
    await at('2026-11-13T14:00', () => d.act('dispatcher1', o.s6.id, 'dispatch', { leadUnitId: d.unit('power') }));
    await at('2026-11-16T09:00', () => d.act('power_handler', o.s6.id, 'accept'));
    await at('2026-11-16T10:00', () => d.act('dispatcher1', o.s6.id, 'recall', { leadUnitId: d.unit('water'), reason: '经核实属水务职责' }));
    t.clock.set(local('2026-12-02T10:00'));
  }, 300_000);

  afterAll(async () => {
    t.clock.set(null);
    await t.close();
  });

  const report = async (username: string, query: string) => {
    const response = await t.get(username, `/api/reports/shirking?${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const unitRow = (body: { units: UnitRowBody[] }, code: string) => {
    const row = body.units.find((unit) => unit.unitId === d.unit(code));
    return row && { returns: row.returns, approved: row.returnsApproved, rejected: row.returnsRejected, flags: row.flags, failedCallbacks: row.failedCallbacks };
  };

  it('counts each unit’s returns by decision, bounces and failed callbacks in the period', async () => {
    const body = await report('supervisor1', 'month=2026-11');
    expect(body.period).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    // cgj: S1 (approved) and S2 (rejected); S4's return was in October. S2 failed its callback.
    expect(unitRow(body, 'cgj')).toEqual({ returns: 2, approved: 1, rejected: 1, flags: 0, failedCallbacks: 1 });
    expect(unitRow(body, 'zjj')).toEqual({ returns: 1, approved: 1, rejected: 0, flags: 0, failedCallbacks: 0 });
    // water: S6's return, and the bounce (the order came back to it).
    expect(unitRow(body, 'water')).toEqual({ returns: 1, approved: 1, rejected: 0, flags: 1, failedCallbacks: 0 });
    // S3's failed callback counts for dc_cy and its district.
    expect(unitRow(body, 'dc_cy')).toEqual({ returns: 0, approved: 0, rejected: 0, flags: 0, failedCallbacks: 1 });
    expect(unitRow(body, 'dc')).toEqual({ returns: 0, approved: 0, rejected: 0, flags: 0, failedCallbacks: 1 });
    const center = body.units.find((unit: { unitType: string }) => unit.unitType === 'center');
    expect(center).toMatchObject({ returns: 4, returnsApproved: 3, returnsRejected: 1, flags: 1, failedCallbacks: 2 });
  });

  it('ranks the units by return rate = returns ÷ (received + approved returns), received from the assessment', async () => {
    const body = await report('supervisor1', 'month=2026-11');
    const rate = (code: string) => body.units.find((unit: UnitRowBody) => unit.unitId === d.unit(code));
    // Received in November (dispatched to the unit that leads the order now): cgj S1 (ruled to it) + S2 = 2 → 2 ÷ (2 + 1).
    expect(rate('cgj')).toMatchObject({ received: 2, returnRate: 2 / 3 });
    // zjj: S5 → 1 ÷ (1 + 1); water: S6 (back with it) → 1 ÷ (1 + 1); dc_cy: S3, no returns → 0.
    expect(rate('zjj')).toMatchObject({ received: 1, returnRate: 0.5 });
    expect(rate('water')).toMatchObject({ received: 1, returnRate: 0.5 });
    expect(rate('dc_cy')).toMatchObject({ received: 1, returnRate: 0 });
    // A unit without orders has no rate and comes after every unit with one.
    expect(rate('rsj')).toMatchObject({ received: 0, returns: 0, returnRate: null });
    const rates = body.units.map((unit: UnitRowBody) => unit.returnRate);
    const firstNull = rates.indexOf(null);
    expect(rates.slice(firstNull).every((value: number | null) => value === null)).toBe(true);
    expect(body.units[0].unitId).toBe(d.unit('cgj'));
    const known = rates.slice(0, firstNull) as number[];
    expect(known).toEqual([...known].sort((a, b) => b - a));
  });

  it('counts the flags raised in the period by rule, disputes raised and rulings made', async () => {
    const body = await report('supervisor1', 'month=2026-11');
    const byRule = Object.fromEntries(body.flagsByRule.map((row: { rule: string; count: number; resolved: number }) => [row.rule, [row.count, row.resolved]]));
    expect(Object.keys(byRule)).toEqual(['returned', 'bounced', 'late-acceptance', 'reply-rejected', 'callback-failed', 'reopened', 'repeat-after-resolved']);
    // returned: S1 (resolved by the ruling); bounced: S6 (open); callback-failed: S2 (unresolved) and S3 (dissatisfied),
    // both sent back to their unit (CALLBACK_DISSATISFIED=reopen by default).
    expect(byRule).toEqual({
      returned: [1, 1],
      bounced: [1, 0],
      'late-acceptance': [0, 0],
      'reply-rejected': [0, 0],
      'callback-failed': [2, 0],
      reopened: [0, 0],
      'repeat-after-resolved': [0, 0],
    });
    // 争议件: S1 on 11-03 and S6 on 11-16; 裁定: S1 on 11-04.
    expect(body.disputes).toEqual({ raised: 2, ruled: 1 });
    // October: S4's single return raises nothing; no dispute, no ruling.
    const october = await report('supervisor1', 'month=2026-10');
    expect(october.disputes).toEqual({ raised: 0, ruled: 0 });
    expect(october.mostReturned).toEqual([{ workOrderId: o.s4.id, number: o.s4.number, title: 'S4 十月退单', returns: 1, units: ['云川市城市管理局'] }]);
  });

  it('lists the most returned orders of the period with the units that returned them', async () => {
    const body = await report('supervisor1', 'month=2026-11');
    expect(body.mostReturned).toEqual([
      { workOrderId: o.s1.id, number: o.s1.number, title: 'S1 两次退单', returns: 2, units: ['云川市城市管理局', '云川市住房和城乡建设局'] },
      { workOrderId: o.s2.id, number: o.s2.number, title: 'S2 退单被驳回', returns: 1, units: ['云川市城市管理局'] },
      { workOrderId: o.s6.id, number: o.s6.number, title: 'S6 来回推', returns: 1, units: ['云川水务集团'] },
    ]);
  });

  it('keeps a unit_admin to its subtree', async () => {
    const body = await report('dc_admin', 'month=2026-11');
    expect(body.scopeUnitId).toBe(d.unit('dc'));
    expect(body.units.map((unit: UnitRowBody) => unit.unitId)).toContain(d.unit('dc_cy'));
    expect(body.units.map((unit: UnitRowBody) => unit.unitId)).not.toContain(d.unit('cgj'));
    expect(unitRow(body, 'dc')).toEqual({ returns: 0, approved: 0, rejected: 0, flags: 0, failedCallbacks: 1 });
    expect(body.disputes).toEqual({ raised: 0, ruled: 0 });
    expect(body.mostReturned).toEqual([]);
    // Only the flag about dc_cy (S3's failed callback).
    expect(body.flagsByRule.filter((row: { count: number }) => row.count > 0)).toEqual([{ rule: 'callback-failed', count: 1, resolved: 0 }]);
    expect((await t.get('dc_admin', `/api/reports/shirking?month=2026-11&unitId=${d.unit('cgj')}`)).status).toBe(404);
  });
});
