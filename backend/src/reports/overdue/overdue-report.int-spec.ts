import { enginesUnderTest, startTestApp, type TestApp } from '../../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../../testing/work-order-driver';
import { monthPeriod } from '../report-period';
import { OverdueReportService } from './overdue-report.service';

/** An instant given as the center's local time (Asia/Shanghai, +08:00). */
const local = (text: string) => new Date(`${text}:00+08:00`);

interface UnitRowBody {
  unitId: number;
  open: number;
  late: number;
  workingDaysLate: number;
  supervised: number;
}

/**
 * The overdue report on orders moved through their lifecycle with the test clock. Office hours 08:30–12:00 and
 * 13:30–17:30 = 450 working minutes a day; November 2026 has no holidays (11-01 is a Sunday). An order dispatched on
 * Monday 11-02 09:00 is due Monday 11-09 09:00 (5 working days).
 *
 * November's end (12-01 00:00) is before now (12-03 10:00), so the period ends at 12-01 00:00:
 * - due 11-09 09:00 → 11-09: 09:00–12:00 180 + 240 = 420; 11-10 … 11-30: 15 working days × 450 = 6750 → 7170 min = 15.9 days
 * - due 11-16 17:30 → 11-17 … 11-30: 10 working days = 4500 min = 10.0 days
 */
describe.each(enginesUnderTest())('overdue report (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  const o: Record<string, OrderBody> = {};

  const at = async <T>(text: string, work: () => Promise<T>): Promise<T> => {
    t.clock.set(local(text));
    return work();
  };
  const processing = (unit: string, when: string, title: string) => at(when, () => d.processing(unit, { title }));

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    // A (cgj): never replied — open at the end, 15.9 days.
    o.a = await processing('cgj', '2026-11-02T09:00', 'A 未答复');
    // B (cgj): replied 11-12 09:00, three working days after 11-09 09:00 — late, 1350 min = 3.0 days.
    o.b = await processing('cgj', '2026-11-02T09:00', 'B 超期答复');
    await at('2026-11-12T09:00', () => d.reply('cgj_handler', o.b.id));
    // C (street dc_cy): replied only on 12-02, after November — open at November's end, 15.9 days.
    o.c = await processing('dc_cy', '2026-11-02T09:00', 'C 月后答复');
    await at('2026-12-02T09:00', () => d.reply('dc_cy_handler', o.c.id));
    // D (dc_cy): supervised on 11-10 with a new deadline 11-16 17:30, never replied — open, 10.0 days, supervision open.
    o.d = await processing('dc_cy', '2026-11-02T09:00', 'D 督办未答复');
    await at('2026-11-10T10:00', () => d.act('supervisor1', o.d.id, 'supervise', { instruction: '限期办理', replyDueAt: local('2026-11-16T17:30').toISOString() }));
    // E (district dc): supervised with a new deadline 11-11 17:30, replied 11-13 17:30 — late as recorded at the reply, from the
    // first deadline it missed (11-09 09:00): 420 + 4 × 450 = 2220 min = 4.9 days; supervision replied.
    o.e = await processing('dc', '2026-11-02T09:00', 'E 督办后超期答复');
    await at('2026-11-10T10:00', () => d.act('supervisor1', o.e.id, 'supervise', { instruction: '限期办理', replyDueAt: local('2026-11-11T17:30').toISOString() }));
    await at('2026-11-13T17:30', () => d.reply('dc_handler', o.e.id));
    // F (cgj): replied in time — not overdue.
    o.f = await processing('cgj', '2026-11-02T09:00', 'F 按时答复');
    await at('2026-11-05T10:00', () => d.reply('cgj_handler', o.f.id));
    // G (cgj): late, but replied in October — not in November.
    o.g = await processing('cgj', '2026-10-12T09:00', 'G 十月超期');
    await at('2026-10-21T09:00', () => d.reply('cgj_handler', o.g.id));
    // H (district xc): never replied — open, 15.9 days (outside dc's subtree).
    o.h = await processing('xc', '2026-11-02T09:00', 'H 西城未答复');
    // I (cgj): due 12-04 09:00, after November's end — not overdue.
    o.i = await processing('cgj', '2026-11-27T09:00', 'I 未到期');
    t.clock.set(local('2026-12-03T10:00'));
  }, 240_000);

  afterAll(async () => {
    t.clock.set(null);
    await t.close();
  });

  const report = async (username: string, query: string) => {
    const response = await t.get(username, `/api/reports/overdue?${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const unitRow = (body: { units: UnitRowBody[] }, code: string) => body.units.find((row) => row.unitId === d.unit(code));

  it('lists the orders overdue at the period’s end and replied late in it, most days late first', async () => {
    expect([o.b.replyDueAt, o.a.replyDueAt]).toEqual([local('2026-11-09T09:00').toISOString(), local('2026-11-09T09:00').toISOString()]);
    const body = await report('supervisor1', 'month=2026-11');
    expect(body.period).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(body.scopeUnitId).toBeNull();
    expect(body.truncated).toBe(false);
    expect(body.generatedAt).toBe(local('2026-12-03T10:00').toISOString());
    const rows = body.orders.map((row: { workOrderId: number; kind: string; workingDaysLate: number; supervised: boolean; supervisionOutcome: string | null }) => [
      row.workOrderId,
      row.kind,
      row.workingDaysLate,
      row.supervised,
      row.supervisionOutcome,
    ]);
    // Equal lateness: by id (A, C, H were registered in that order).
    expect(rows).toEqual([
      [o.a.id, 'open', 15.9, false, null],
      [o.c.id, 'open', 15.9, false, null],
      [o.h.id, 'open', 15.9, false, null],
      [o.d.id, 'open', 10, true, 'open'],
      [o.e.id, 'late', 4.9, true, 'replied'],
      [o.b.id, 'late', 3, false, null],
    ]);
    expect(body.orders[0]).toEqual({
      workOrderId: o.a.id,
      number: o.a.number,
      title: 'A 未答复',
      leadUnitId: d.unit('cgj'),
      leadUnitName: '云川市城市管理局',
      status: 'processing',
      replyDueAt: local('2026-11-09T09:00').toISOString(),
      repliedAt: null,
      kind: 'open',
      workingDaysLate: 15.9,
      supervised: false,
      supervisionOutcome: null,
    });
    // C was replied after the period: still `open` at its end, with its reply time shown.
    expect(body.orders[1].repliedAt).toBe(local('2026-12-02T09:00').toISOString());
  });

  it('rolls the figures up per unit: a district counts its streets', async () => {
    const body = await report('supervisor1', 'month=2026-11');
    const figures = (code: string) => {
      const row = unitRow(body, code);
      return row && { open: row.open, late: row.late, workingDaysLate: row.workingDaysLate, supervised: row.supervised };
    };
    // cgj: A open 7170 + B late 1350 = 8520 min = 18.93 days.
    expect(figures('cgj')).toEqual({ open: 1, late: 1, workingDaysLate: 18.9, supervised: 0 });
    // dc_cy: C 7170 + D 4500 = 11670 min = 25.93 days; D supervised.
    expect(figures('dc_cy')).toEqual({ open: 2, late: 0, workingDaysLate: 25.9, supervised: 1 });
    // dc: its own E (2220) + dc_cy's 11670 = 13890 min = 30.87 days; D and E supervised.
    expect(figures('dc')).toEqual({ open: 2, late: 1, workingDaysLate: 30.9, supervised: 2 });
    expect(figures('xc')).toEqual({ open: 1, late: 0, workingDaysLate: 15.9, supervised: 0 });
    expect(figures('dc_dg')).toEqual({ open: 0, late: 0, workingDaysLate: 0, supervised: 0 });
    // The center: everything once — 3 × 7170 + 4500 + 1350 + 2220 = 29580 min = 65.73 days.
    const center = body.units[0];
    expect(center).toMatchObject({ unitType: 'center', depth: 0, parentId: null, open: 4, late: 2, workingDaysLate: 65.7, supervised: 2 });
    expect(unitRow(body, 'dc')).toMatchObject({ depth: 1, parentId: center.unitId, unitType: 'district', unitName: '东城区人民政府' });
    expect(unitRow(body, 'dc_cy')).toMatchObject({ depth: 2, parentId: d.unit('dc') });
    // Tree order: every unit after its parent.
    const position = new Map(body.units.map((row: { unitId: number }, index: number) => [row.unitId, index]));
    for (const row of body.units.slice(1)) expect(position.get(row.parentId) as number).toBeLessThan(position.get(row.unitId) as number);
  });

  it('ends a period that is not over yet at now', async () => {
    // December up to now (12-03 10:00): A due 11-09 09:00 → 7170 + 12-01 450 + 12-02 450 + 12-03 08:30–10:00 90 = 8160 min = 18.1;
    // D → 4500 + 900 + 90 = 5490 min = 12.2; C replied 12-02 09:00 → late as recorded: 7170 + 450 + 30 = 7650 min = 17.0.
    const body = await report('supervisor1', 'from=2026-12-01&to=2026-12-31');
    expect(body.orders.map((row: { workOrderId: number; kind: string; workingDaysLate: number }) => [row.workOrderId, row.kind, row.workingDaysLate])).toEqual([
      [o.a.id, 'open', 18.1],
      [o.h.id, 'open', 18.1],
      [o.c.id, 'late', 17],
      [o.d.id, 'open', 12.2],
    ]);
  });

  it('covers only a unit_admin’s subtree, and 404 for a unit outside it', async () => {
    const body = await report('dc_admin', 'month=2026-11');
    expect(body.scopeUnitId).toBe(d.unit('dc'));
    expect(body.orders.map((row: { workOrderId: number }) => row.workOrderId)).toEqual([o.c.id, o.d.id, o.e.id]);
    expect(body.units[0]).toMatchObject({ unitId: d.unit('dc'), depth: 0, open: 2, late: 1, workingDaysLate: 30.9, supervised: 2 });
    expect(body.units.every((row: { unitId: number }) => row.unitId !== d.unit('cgj'))).toBe(true);
    const street = await report('dc_admin', `month=2026-11&unitId=${d.unit('dc_cy')}`);
    expect(street.orders.map((row: { workOrderId: number }) => row.workOrderId)).toEqual([o.c.id, o.d.id]);
    const other = await t.get('dc_admin', `/api/reports/overdue?month=2026-11&unitId=${d.unit('cgj')}`);
    expect(other.status).toBe(404);
    // Center staff may name any unit.
    const cgj = await report('supervisor1', `month=2026-11&unitId=${d.unit('cgj')}`);
    expect(cgj.orders.map((row: { workOrderId: number }) => row.workOrderId)).toEqual([o.a.id, o.b.id]);
  });

  it('lists at most `limit` orders and says it truncated them; the units still count them all', async () => {
    const report = await t.app.get(OverdueReportService).report(monthPeriod('2026-11'), { unitId: null, unitIds: null }, 2);
    expect(report.truncated).toBe(true);
    expect(report.orders.map((row) => row.workOrderId)).toEqual([o.a.id, o.c.id]);
    expect(report.units[0]).toMatchObject({ open: 4, late: 2 });
  });
});
