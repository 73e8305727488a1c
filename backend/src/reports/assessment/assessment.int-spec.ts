import { NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../auth/auth-user';
import { WorkingCalendarService } from '../../calendar/working-calendar.service';
import { EscalationService } from '../../escalation/escalation.service';
import { enginesUnderTest, startTestApp, type TestApp } from '../../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../../testing/work-order-driver';
import { periodInstants, type ReportPeriod } from '../report-period';
import { ReportScopeService } from '../report-scope';
import type { AssessmentReport, AssessmentRow } from '../report-views';
import { directFiguresByUnit } from '../statistics/direct-figures';
import { StatisticsRepository } from '../statistics/statistics.repository';
import { StatisticsService } from '../statistics/statistics.service';
import type { UnitDayFigures } from '../statistics/unit-day-stat.entity';
import { AssessmentService } from './assessment.service';

/** An instant given as the center's local time (Asia/Shanghai, +08:00). */
const local = (text: string) => new Date(`${text}:00+08:00`);
const NOVEMBER: ReportPeriod = { from: '2026-11-01', to: '2026-11-30' };
const WHOLE_CENTER = { unitId: null, unitIds: null };

describe.each(enginesUnderTest())('assessment over the daily statistics (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let data: DataSource;
  let statistics: StatisticsService;
  let repository: StatisticsRepository;
  let assessment: AssessmentService;
  const o: Record<string, OrderBody> = {};
  /** O2's recorded working minutes late (read from the row: the limit's length is the deadline rules'). */
  let o2LateMinutes = 0;

  const at = async <T>(when: Date | string, work: () => Promise<T>): Promise<T> => {
    t.clock.set(typeof when === 'string' ? local(when) : when);
    return work();
  };
  const due = async (id: number, column: 'acceptDueAt' | 'replyDueAt'): Promise<Date> => new Date((await d.read(id))[column] as string);
  const laterBy = async (instant: Date, workingMinutes: number) => (await t.app.get(WorkingCalendarService).current()).addWorkingMinutes(instant, workingMinutes);
  const row = (report: AssessmentReport, code: string): AssessmentRow => {
    const found = report.rows.find((r) => r.unitId === d.unit(code));
    if (!found) throw new Error(`no row for ${code}`);
    return found;
  };
  const nonZero = (figures: Map<number, UnitDayFigures>) =>
    Object.fromEntries([...figures].filter(([, f]) => Object.values(f).some((v) => v !== 0)).sort((a, b) => a[0] - b[0]));
  const flagsOf = async (code: string): Promise<number> => {
    const { start, end } = periodInstants(NOVEMBER, t.app.get(WorkingCalendarService).calendar.timeZone);
    const rows: { n: number | string }[] = await data.query(
      'SELECT COUNT(*) AS n FROM shirking_flags WHERE unitId = ? AND createdAt >= ? AND createdAt < ?',
      [d.unit(code), ...[start, end].map((x) => (engine === 'mysql' ? x : x.toISOString().replace('T', ' ').replace('Z', '')))],
    );
    return Number(rows[0].n);
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    data = t.app.get(DataSource);
    statistics = t.app.get(StatisticsService);
    repository = t.app.get(StatisticsRepository);
    assessment = t.app.get(AssessmentService);

    // O1 (cgj): everything on time; the callback resolved and satisfied → closed.
    o.o1 = await at('2026-11-03T09:00', () => d.register('agent1'));
    await at('2026-11-03T09:05', () => d.act('dispatcher1', o.o1.id, 'dispatch', { leadUnitId: d.unit('cgj') }));
    await at('2026-11-03T09:10', () => d.act('cgj_handler', o.o1.id, 'accept'));
    await at('2026-11-03T09:20', () => d.act('cgj_handler', o.o1.id, 'contact', { method: 'phone', note: '已电话联系市民' }));
    await at('2026-11-04T10:00', () => d.reply('cgj_handler', o.o1.id));
    await at('2026-11-04T11:00', () => d.act('reviewer1', o.o1.id, 'approve-reply'));
    await at('2026-11-05T10:00', () => d.act('callback1', o.o1.id, 'callback', { outcome: 'resolved', satisfaction: 'satisfied' }));

    // O2 (cgj): accepted 30 working minutes late, replied 2 working hours late; resolved, basically satisfied → closed.
    o.o2 = await at('2026-11-03T09:30', () => d.register('agent1'));
    await at('2026-11-03T09:35', () => d.act('dispatcher1', o.o2.id, 'dispatch', { leadUnitId: d.unit('cgj') }));
    const o2Accept = await laterBy(await due(o.o2.id, 'acceptDueAt'), 30);
    await at(o2Accept, () => d.act('cgj_handler', o.o2.id, 'accept'));
    await at(new Date(o2Accept.getTime() + 60_000), () => d.act('cgj_handler', o.o2.id, 'contact', { method: 'phone', note: '已电话联系市民' }));

    // O3 (cgj): on time; the callback says not resolved (dissatisfied) → back to the unit (重办), still counted as called back.
    o.o3 = await at('2026-11-03T10:00', () => d.register('agent1'));
    await at('2026-11-03T10:05', () => d.act('dispatcher1', o.o3.id, 'dispatch', { leadUnitId: d.unit('cgj') }));
    await at('2026-11-03T10:10', () => d.act('cgj_handler', o.o3.id, 'accept'));
    await at('2026-11-03T10:15', () => d.act('cgj_handler', o.o3.id, 'contact', { method: 'phone', note: '已电话联系市民' }));
    await at('2026-11-04T10:30', () => d.reply('cgj_handler', o.o3.id));
    await at('2026-11-04T11:05', () => d.act('reviewer1', o.o3.id, 'approve-reply'));
    await at('2026-11-05T10:30', () => d.act('callback1', o.o3.id, 'callback', { outcome: 'unresolved', satisfaction: 'dissatisfied' }));

    // O4 (dc_cy, a street of district dc): on time, resolved and satisfied → closed.
    o.o4 = await at('2026-11-04T09:00', () => d.register('agent1'));
    await at('2026-11-04T09:05', () => d.act('dispatcher1', o.o4.id, 'dispatch', { leadUnitId: d.unit('dc_cy') }));
    await at('2026-11-04T09:10', () => d.act('dc_cy_handler', o.o4.id, 'accept'));
    await at('2026-11-04T09:15', () => d.act('dc_cy_handler', o.o4.id, 'contact', { method: 'phone', note: '已电话联系市民' }));
    await at('2026-11-05T10:00', () => d.reply('dc_cy_handler', o.o4.id));
    await at('2026-11-05T11:00', () => d.act('reviewer1', o.o4.id, 'approve-reply'));
    await at('2026-11-06T10:00', () => d.act('callback1', o.o4.id, 'callback', { outcome: 'resolved', satisfaction: 'satisfied' }));

    // O5: dispatched to district dc, which returns it (退单, approved); dispatched again to its street dc_cy, not accepted yet.
    o.o5 = await at('2026-11-04T10:00', () => d.register('agent1'));
    await at('2026-11-04T10:05', () => d.act('dispatcher1', o.o5.id, 'dispatch', { leadUnitId: d.unit('dc') }));
    await at('2026-11-04T10:30', () => d.act('dc_handler', o.o5.id, 'return', { reasonCode: 'needs_other_unit', reason: '属街道职责' }));
    await at('2026-11-04T11:00', () => d.act('dispatcher1', o.o5.id, 'approve-return'));
    await at('2026-11-04T11:10', () => d.act('dispatcher1', o.o5.id, 'dispatch', { leadUnitId: d.unit('dc_cy') }));

    // O6 (cgj): accepted and contacted on time, never replied: flagged overdue (red) by the scheduler just after its reply was due.
    o.o6 = await at('2026-11-03T11:00', () => d.register('agent1'));
    await at('2026-11-03T11:05', () => d.act('dispatcher1', o.o6.id, 'dispatch', { leadUnitId: d.unit('cgj') }));
    await at('2026-11-03T11:10', () => d.act('cgj_handler', o.o6.id, 'accept'));
    await at('2026-11-03T11:15', () => d.act('cgj_handler', o.o6.id, 'contact', { method: 'phone', note: '已电话联系市民' }));

    // O2's reply, 2 working hours late, then its callback; O6 flagged red just after its reply was due.
    const o2Reply = await laterBy(await due(o.o2.id, 'replyDueAt'), 120);
    const o6Due = await due(o.o6.id, 'replyDueAt');
    const flagO6 = new Date(o6Due.getTime() + 60_000);
    const steps: [Date, () => Promise<unknown>][] = [
      [o2Reply, () => d.reply('cgj_handler', o.o2.id)],
      [new Date(o2Reply.getTime() + 30 * 60_000), () => d.act('reviewer1', o.o2.id, 'approve-reply')],
      [new Date(o2Reply.getTime() + 60 * 60_000), () => d.act('callback1', o.o2.id, 'callback', { outcome: 'resolved', satisfaction: 'basically_satisfied' })],
      [flagO6, () => t.app.get(EscalationService).tick(flagO6)],
    ];
    for (const [when, work] of steps.sort((a, b) => a[0].getTime() - b[0].getTime())) await at(when, work);
    const lateRows: { m: number | string }[] = await data.query(`SELECT replyLateMinutes AS m FROM work_orders WHERE id = ${o.o2.id}`);
    o2LateMinutes = Number(lateRows[0].m);
    for (const key of Object.keys(o)) o[key] = await d.read(o[key].id);
    t.clock.set(local('2026-11-27T10:00'));
  }, 120_000);

  afterAll(async () => {
    t.clock.set(null);
    await t.close();
  });

  it('sets up the orders as intended (every time in November)', () => {
    expect(o.o1.status).toBe('closed');
    expect(o.o2.status).toBe('closed');
    expect(o.o3.status).toBe('processing');
    expect(o.o4.status).toBe('closed');
    // O5 was never accepted: the scheduler's tick for O6 flagged it red as well (its acceptance is overdue).
    expect(o.o5).toMatchObject({ status: 'dispatched', leadUnitId: d.unit('dc_cy'), warningLevel: 'red' });
    expect(o.o6).toMatchObject({ status: 'processing', warningLevel: 'red' });
    expect(o2LateMinutes).toBeGreaterThan(0);
    for (const key of ['o2', 'o5', 'o6']) expect(o[key].replyDueAt! < local('2026-12-01T00:00').toISOString()).toBe(true);
  });

  it('computes every figure of a unit from its orders (hand-counted)', async () => {
    const report = await assessment.assessment(NOVEMBER, WHOLE_CENTER);
    const cgj = row(report, 'cgj');
    // cgj: O1, O2, O3, O6 dispatched; O2 accepted late (not responded in time); O2 replied late; O6 open and overdue.
    expect(cgj).toMatchObject({
      unitType: 'bureau',
      received: 4,
      respondedInTime: 3,
      responseRate: 0.75, // 3 ÷ 4
      accepted: 4,
      acceptedOnTime: 3,
      acceptedOnTimeRate: 0.75,
      replied: 3,
      repliedOnTime: 2,
      onTimeCompletionRate: 2 / 3,
      overdue: 2, // 1 late reply (O2) + 1 overdue and not replied (O6)
      overdueWorkingDays: Math.round((o2LateMinutes / 480) * 10) / 10,
      calledBack: 3, // O1, O2, O3 (unresolved still reached the citizen)
      resolvedAtCallback: 2,
      resolutionRate: 2 / 3,
      satisfied: 1,
      basicallySatisfied: 1,
      dissatisfied: 1, // O3
      closed: 2,
      reopened: 0,
      reopenRate: 0,
      closedCallbackRequired: 2,
      closedCalledBack: 2,
      callbackCoverage: 1,
      returns: 0,
      returnRate: 0,
      repeats: 0,
      extensions: 0,
      supervisions: 0,
      shirkingFlags: await flagsOf('cgj'),
    });
    // satisfaction (1 + 0.8 × 1) ÷ 3 = 0.6; score 30 × 0.75 + 35 × ⅔ + 35 × 0.6 = 22.5 + 23.333… + 21 = 66.833… → 66.83
    expect(cgj.satisfactionRate).toBeCloseTo(0.6, 12);
    expect(cgj.score).toBe(66.83);

    // dc_cy: O4 (on time, satisfied) and O5 (dispatched to it after dc returned it, not accepted).
    // O5 is red and not replied, due in November: overdue (open).
    expect(row(report, 'dc_cy')).toMatchObject({ received: 2, respondedInTime: 1, responseRate: 0.5, overdue: 1, calledBack: 1, resolutionRate: 1, satisfactionRate: 1, score: 85, returns: 0 });
    // dc itself received nothing (O5 moved to dc_cy); rolled up it has dc_cy's figures plus its own return (approved).
    // return rate 1 ÷ (2 received + 1 approved return) = ⅓; score 30 × 0.5 + 35 + 35 = 85.
    const dc = row(report, 'dc');
    expect(dc).toMatchObject({ received: 2, respondedInTime: 1, returns: 1, returnsApproved: 1, score: 85, depth: 1 });
    expect(dc.returnRate).toBeCloseTo(1 / 3, 12);
    expect(row(report, 'xc')).toMatchObject({ received: 0, responseRate: null, score: null, rank: null });

    // The center's totals: 6 received, 4 responded in time, 4 called back (3 resolved), 2 satisfied + 1 basically;
    // overdue: O2 replied late, O5 and O6 open and red.
    // 30 × 4/6 + 35 × 3/4 + 35 × (2 + 0.8) ÷ 4 = 20 + 26.25 + 24.5 = 70.75
    expect(report.totals).toMatchObject({ received: 6, respondedInTime: 4, calledBack: 4, resolvedAtCallback: 3, satisfied: 2, basicallySatisfied: 1, returns: 1, overdue: 3, closed: 3, score: 70.75 });
    expect(row(report, 'center')).toMatchObject({ depth: 0, received: 6, score: 70.75, rank: 1 });
  });

  it('ranks within a unit type, with the previous period and tree order', async () => {
    const report = await assessment.assessment(NOVEMBER, WHOLE_CENTER);
    expect(report.previousPeriod).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(report.weights).toEqual({ response: 30, resolution: 35, satisfaction: 35, basicallySatisfied: 0.8 });
    expect(row(report, 'cgj')).toMatchObject({ rank: 1, previousScore: null, previousRank: null, rankChange: null });
    expect(row(report, 'dc')).toMatchObject({ rank: 1 });
    expect(row(report, 'dc_cy')).toMatchObject({ rank: 1 });
    // Tree order: each unit's children come right after it (before its next sibling).
    const index = (code: string) => report.rows.findIndex((r) => r.unitId === d.unit(code));
    expect(index('center')).toBe(0);
    expect(index('dc')).toBeLessThan(index('dc_cy'));
    expect(index('dc_cy')).toBeLessThan(index('dc_cy_1'));
    expect(index('dc_cy_2')).toBeLessThan(index('dc_dg'));
    expect(report.rows.find((r) => r.unitId === d.unit('dc_cy_1'))).toMatchObject({ depth: 3, parentId: d.unit('dc_cy') });
  });

  it('gives unit staff their own subtree and nothing else', async () => {
    const dcAdmin: AuthUser = { id: 0, username: 'dc_admin', displayName: 'dc', role: 'unit_admin', unitId: d.unit('dc'), unitName: '东城区人民政府' };
    const scopes = t.app.get(ReportScopeService);
    const scope = await scopes.resolve(dcAdmin);
    const report = await assessment.assessment(NOVEMBER, scope);
    expect(report.scopeUnitId).toBe(d.unit('dc'));
    expect(report.rows.map((r) => r.unitId).sort((a, b) => a - b)).toEqual([...(scope.unitIds ?? [])].sort((a, b) => a - b));
    expect(report.rows[0]).toMatchObject({ unitId: d.unit('dc'), depth: 0 });
    expect(report.rows.some((r) => r.unitId === d.unit('cgj'))).toBe(false);
    // The totals are the subtree's: O4 and O5, dc's return.
    expect(report.totals).toMatchObject({ received: 2, respondedInTime: 1, returns: 1, score: 85 });
    await expect(scopes.resolve(dcAdmin, d.unit('cgj'))).rejects.toBeInstanceOf(NotFoundException);
  });

  it('equals the direct GROUP BY over the orders, for the month and for each day', async () => {
    await statistics.catchUp();
    const zone = t.app.get(WorkingCalendarService).calendar.timeZone;
    const month = await repository.sumByUnit(data, NOVEMBER.from, NOVEMBER.to, null);
    expect(nonZero(month)).toEqual(nonZero(await directFiguresByUnit(data, periodInstants(NOVEMBER, zone), null)));
    for (const day of ['2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06']) {
      const stats = await repository.sumByUnit(data, day, day, null);
      expect(nonZero(stats)).toEqual(nonZero(await directFiguresByUnit(data, periodInstants({ from: day, to: day }, zone), null)));
    }
    const { generatedAt: _a, ...fromStatistics } = await assessment.assessment(NOVEMBER, WHOLE_CENTER);
    const { generatedAt: _b, ...fromOrders } = await assessment.assessment(NOVEMBER, WHOLE_CENTER, { source: 'orders' });
    expect(fromOrders).toEqual(fromStatistics);
    // O1, O2, O3, O6 were dispatched on 11-03: received 4 on that day.
    expect((await repository.sumByUnit(data, '2026-11-03', '2026-11-03', [d.unit('cgj')])).get(d.unit('cgj'))?.received).toBe(4);
  });

  it('counts a change once: catchUp twice is the same, a rebuild gives the same', async () => {
    const before = nonZero(await repository.sumByUnit(data, NOVEMBER.from, NOVEMBER.to, null));
    await statistics.catchUp();
    await statistics.catchUp();
    expect(nonZero(await repository.sumByUnit(data, NOVEMBER.from, NOVEMBER.to, null))).toEqual(before);
    await statistics.rebuild(2);
    expect(nonZero(await repository.sumByUnit(data, NOVEMBER.from, NOVEMBER.to, null))).toEqual(before);
  });

  it('moves a contribution when the order changes: a reopen takes the callback and the closing out', async () => {
    await at('2026-11-27T10:00', () => d.act('supervisor1', o.o1.id, 'reopen', { reason: '市民再次来电反映未修好' }));
    const report = await assessment.assessment(NOVEMBER, WHOLE_CENTER);
    // O1 is open again: no longer called back (its callback was reset) nor closed; still received, accepted, replied.
    expect(row(report, 'cgj')).toMatchObject({ received: 4, replied: 3, calledBack: 2, resolvedAtCallback: 1, satisfied: 0, basicallySatisfied: 1, closed: 1 });
    // The 11-05 row of cgj lost O1's callback and closing (O3's callback stays).
    expect((await repository.sumByUnit(data, '2026-11-05', '2026-11-05', [d.unit('cgj')])).get(d.unit('cgj'))).toMatchObject({ calledBack: 1, closed: 0, satisfied: 0 });
    const zone = t.app.get(WorkingCalendarService).calendar.timeZone;
    expect(nonZero(await repository.sumByUnit(data, NOVEMBER.from, NOVEMBER.to, null))).toEqual(nonZero(await directFiguresByUnit(data, periodInstants(NOVEMBER, zone), null)));
  });

  it('finds and repairs a difference in the nightly check', async () => {
    t.clock.set(local('2026-11-06T03:30'));
    expect(await statistics.check()).toEqual([]);
    await data.query(`UPDATE unit_day_stats SET received = received + 5 WHERE day = '2026-11-04' AND unitId = ${d.unit('dc_cy')}`);
    const differences = await statistics.check();
    expect(differences).toEqual([{ day: '2026-11-04', unitId: d.unit('dc_cy'), metric: 'received', statistics: 7, direct: 2 }]);
    expect(await statistics.check()).toEqual([]);
    t.clock.set(local('2026-11-27T10:00'));
  });

  if (engine === 'mysql') {
    it('applies each change once when two instances catch up at the same time', async () => {
      // Start over as on a fresh install: nothing counted, the cursor at the beginning of the timeline.
      await data.query('DELETE FROM unit_day_stats');
      await data.query('DELETE FROM order_stat_facts');
      await data.query("UPDATE statistics_cursors SET lastEventId = 0 WHERE name = 'unit-day-stats'");
      await Promise.all([statistics.catchUp(), statistics.catchUp(), statistics.catchUp()]);
      const zone = t.app.get(WorkingCalendarService).calendar.timeZone;
      expect(nonZero(await repository.sumByUnit(data, NOVEMBER.from, NOVEMBER.to, null))).toEqual(nonZero(await directFiguresByUnit(data, periodInstants(NOVEMBER, zone), null)));
      expect((await assessment.assessment(NOVEMBER, WHOLE_CENTER)).totals.received).toBe(6);
    });
  }
});
