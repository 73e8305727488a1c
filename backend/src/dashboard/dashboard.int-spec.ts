import { EscalationService } from '../escalation/escalation.service';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';

/** An instant given as the center's local time (Asia/Shanghai, +08:00). */
const local = (text: string) => new Date(`${text}:00+08:00`);
const NOW = local('2026-10-20T10:00');

interface Figure {
  count: number;
  query: Record<string, string | number | boolean>;
}

/** The list filters GET /api/work-orders has; figures using others (closedFrom, closedTo) are checked by hand. */
const LIST_FILTERS = new Set(['status', 'open', 'warning', 'channel', 'requestType', 'categoryId', 'leadUnitId', 'createdFrom', 'createdTo']);

describe.each(enginesUnderTest())('supervisor dashboard (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  const o: Record<string, OrderBody> = {};

  const at = async <T>(text: string, work: () => Promise<T>): Promise<T> => {
    t.clock.set(local(text));
    return work();
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    // O1: the evening before the 30-day window opens (local 09-20; the window starts at 09-21 00:00 +08:00).
    o.o1 = await at('2026-09-20T23:00', () => d.register('agent1', { channel: 'phone', categoryId: d.category('C010101') }));
    // O2: dispatched to cgj a month ago and never accepted: overdue.
    o.o2 = await at('2026-09-21T00:30', () => d.register('agent1', { channel: 'web', categoryId: d.category('C020101') }));
    await at('2026-09-21T09:00', () => d.act('dispatcher1', o.o2.id, 'dispatch', { leadUnitId: d.unit('cgj') }));
    // O3: answered on the call: closed on 10-10 without a lead unit.
    o.o3 = await at('2026-10-10T09:00', () => d.register('agent1', { channel: 'phone', categoryId: d.category('C010101') }));
    await at('2026-10-10T09:30', () => d.act('agent1', o.o3.id, 'resolve-directly', { answer: '已告知报修渠道' }));
    // O4: led by a street of district dc, closed on 10-15 after the callback.
    o.o4 = await at('2026-10-12T09:00', () => d.register('agent1', { channel: 'wechat', categoryId: d.category('C020101') }));
    await at('2026-10-12T09:10', () => d.act('dispatcher1', o.o4.id, 'dispatch', { leadUnitId: d.unit('dc_cy') }));
    await at('2026-10-12T09:20', () => d.act('dc_cy_handler', o.o4.id, 'accept'));
    await at('2026-10-13T10:00', () => d.reply('dc_cy_handler', o.o4.id, { content: '已清理占道摊位' }));
    await at('2026-10-14T10:00', () => d.act('reviewer1', o.o4.id, 'approve-reply'));
    await at('2026-10-15T10:00', () => d.act('callback1', o.o4.id, 'callback', { outcome: 'resolved', satisfaction: 'satisfied' }));
    // O5: registered late yesterday, dispatched and accepted today.
    o.o5 = await at('2026-10-19T23:30', () => d.register('agent1', { channel: 'phone', categoryId: d.category('C060201') }));
    await at('2026-10-20T09:00', () => d.act('dispatcher1', o.o5.id, 'dispatch', { leadUnitId: d.unit('rsj') }));
    await at('2026-10-20T09:05', () => d.act('rsj_handler', o.o5.id, 'accept'));
    // Today: O6 just after local midnight (still 10-19 in UTC), O7 dispatched to district dc, O8 through the app.
    o.o6 = await at('2026-10-20T00:30', () => d.register('agent1', { channel: 'wechat', categoryId: d.category('C020101') }));
    o.o7 = await at('2026-10-20T09:30', () => d.register('agent1', { channel: 'phone', categoryId: d.category('C010101') }));
    await at('2026-10-20T09:40', () => d.act('dispatcher1', o.o7.id, 'dispatch', { leadUnitId: d.unit('dc') }));
    o.o8 = await at('2026-10-20T09:50', () => d.register('agent1', { channel: 'app', categoryId: d.category('C010102') }));
    // The deadline scheduler sets the warning levels as of now.
    t.clock.set(NOW);
    await t.app.get(EscalationService).tick(NOW);
    for (const key of Object.keys(o)) o[key] = await d.read(o[key].id);
  });

  afterAll(async () => {
    t.clock.set(null);
    await t.close();
  });

  const dashboard = async (username: string) => {
    const response = await t.get(username, '/api/dashboard');
    expect(response.status).toBe(200);
    return response.body;
  };
  const ids = (...keys: string[]) => keys.map((key) => o[key].id);
  const count = (keys: string[], test: (order: OrderBody) => boolean) => keys.filter((key) => test(o[key])).length;
  const all = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8'];
  const red = (order: OrderBody) => order.warningLevel === 'red';

  it('counts the whole city for the center: today by the center’s day, open, overdue, warned', async () => {
    const body = await dashboard('supervisor1');
    expect(body).toMatchObject({ today: '2026-10-20', timeZone: 'Asia/Shanghai', scopeUnit: null, generatedAt: NOW.toISOString() });
    // Today (local 10-20) is O6, O7, O8: O6 at 00:30 local is 10-19 in UTC, O5 at 23:30 local yesterday is not today.
    const today = { createdFrom: local('2026-10-20T00:00').toISOString(), createdTo: local('2026-10-21T00:00').toISOString() };
    expect(body.todayIntake).toEqual({ count: 3, query: today });
    const byChannel = Object.fromEntries(body.todayByChannel.map((f: Figure & { channel: string }) => [f.channel, f.count]));
    expect(byChannel).toMatchObject({ wechat: 1, phone: 1, app: 1, web: 0, email: 0 });
    expect(body.todayByChannel.find((f: { channel: string }) => f.channel === 'wechat').query).toEqual({ ...today, channel: 'wechat' });
    const byType = Object.fromEntries(body.todayByRequestType.map((f: Figure & { requestType: string }) => [f.requestType, f.count]));
    expect(byType).toEqual({ consultation: 0, help: 0, complaint: 1, report: 2, suggestion: 0, praise: 0 });

    expect(body.open).toEqual({ count: 6, query: { open: true } });
    const byStatus = Object.fromEntries(body.openByStatus.map((f: Figure & { status: string }) => [f.status, f.count]));
    expect(byStatus).toMatchObject({ registered: 3, dispatched: 2, processing: 1, reply_review: 0, callback_pending: 0 });
    // O1 waited a month for dispatch, O2 for acceptance: red (超期). O2 stays red although the automatic
    // supervision gave it a new reply deadline.
    expect([o.o1.warningLevel, o.o2.warningLevel]).toEqual(['red', 'red']);
    expect(new Date(o.o2.replyDueAt as string) > NOW).toBe(true);
    expect(body.overdue).toEqual({ count: count(all, red), query: { warning: 'red' } });
    expect(body.yellow.count).toBe(count(all, (order) => order.warningLevel === 'yellow'));
  });

  it('gives a 30-day trend of registered and closed orders per center day, oldest first', async () => {
    const { trend } = await dashboard('supervisor1');
    expect(trend).toHaveLength(30);
    expect(trend[0].date).toBe('2026-09-21');
    expect(trend[29].date).toBe('2026-10-20');
    const created = Object.fromEntries(trend.filter((day: { created: Figure }) => day.created.count > 0).map((day: { date: string; created: Figure }) => [day.date, day.created.count]));
    expect(created).toEqual({ '2026-09-21': 1, '2026-10-10': 1, '2026-10-12': 1, '2026-10-19': 1, '2026-10-20': 3 });
    const closed = Object.fromEntries(trend.filter((day: { closed: Figure }) => day.closed.count > 0).map((day: { date: string; closed: Figure }) => [day.date, day.closed.count]));
    expect(closed).toEqual({ '2026-10-10': 1, '2026-10-15': 1 });
    expect(trend[24].closed.query).toEqual({ status: 'closed', closedFrom: local('2026-10-15T00:00').toISOString(), closedTo: local('2026-10-16T00:00').toISOString() });
  });

  it('ranks the categories of the last 30 days (O1 is older and does not count)', async () => {
    const { topCategories } = await dashboard('supervisor1');
    const ones = [d.category('C060201'), d.category('C010102')].sort((a, b) => a - b);
    expect(topCategories.map((c: { categoryId: number; count: number }) => [c.categoryId, c.count])).toEqual([
      [d.category('C020101'), 3],
      [d.category('C010101'), 2],
      [ones[0], 1],
      [ones[1], 1],
    ]);
    expect(topCategories[0]).toMatchObject({ name: '占道经营', path: '城市管理/市容环卫/占道经营' });
    expect(topCategories[0].query).toEqual({ categoryId: d.category('C020101'), createdFrom: local('2026-09-21T00:00').toISOString(), createdTo: local('2026-10-21T00:00').toISOString() });
  });

  it('has a row per unit below the center, each counting its subtree', async () => {
    const { units } = await dashboard('supervisor1');
    const row = (code: string) => units.find((u: { code: string }) => u.code === code);
    expect(units.map((u: { code: string }) => u.code)).toEqual(expect.arrayContaining(['cgj', 'dc', 'rsj', 'xc']));
    const figures = (r: Record<string, Figure>) => ({ open: r.open.count, received: r.received.count, closed: r.closed.count, overdue: r.overdue.count });
    expect(figures(row('cgj'))).toEqual({ open: 1, received: 1, closed: 0, overdue: 1 });
    // dc leads O7 itself and O4 through its street dc_cy.
    expect(figures(row('dc'))).toEqual({ open: 1, received: 2, closed: 1, overdue: count(['o7'], red) });
    expect(figures(row('rsj'))).toEqual({ open: 1, received: 1, closed: 0, overdue: count(['o5'], red) });
    expect(row('rsj').yellow.count).toBe(count(['o5'], (order) => order.warningLevel === 'yellow'));
    expect(row('xc').open.count).toBe(0);
    expect(row('dc').open.query).toEqual({ open: true, leadUnitId: d.unit('dc') });
  });

  it('gives a unit admin the orders led by their unit and the units below it, with their unit in every query', async () => {
    const body = await dashboard('dc_admin');
    expect(body.scopeUnit).toMatchObject({ id: d.unit('dc'), code: 'dc' });
    expect(body.todayIntake.count).toBe(1);
    expect(body.todayIntake.query.leadUnitId).toBe(d.unit('dc'));
    expect(body.open).toEqual({ count: 1, query: { open: true, leadUnitId: d.unit('dc') } });
    expect(body.openByStatus.find((f: { status: string }) => f.status === 'dispatched').count).toBe(1);
    const created = body.trend.filter((day: { created: Figure }) => day.created.count > 0).map((day: { date: string }) => day.date);
    expect(created).toEqual(['2026-10-12', '2026-10-20']);
    expect(body.trend.filter((day: { closed: Figure }) => day.closed.count > 0).map((day: { date: string }) => day.date)).toEqual(['2026-10-15']);
    expect(body.topCategories.map((c: { categoryId: number; count: number }) => [c.categoryId, c.count])).toEqual(
      [[d.category('C020101'), 1], [d.category('C010101'), 1]].sort((a, b) => a[0] - b[0]),
    );
    expect(body.units.map((u: { code: string }) => u.code)).toEqual(['dc', 'dc_cy', 'dc_dg']);
    expect(body.units[0]).toMatchObject({ open: { count: 1 }, received: { count: 2 }, closed: { count: 1 } });
    expect(body.units[1]).toMatchObject({ open: { count: 0 }, received: { count: 1 }, closed: { count: 1 } });
    // Another district's admin sees none of it.
    const xc = await dashboard('xc_admin');
    expect(xc.todayIntake.count).toBe(0);
    expect(xc.open.count).toBe(0);
  });

  it('every figure’s query lists exactly the orders it counts', async () => {
    for (const username of ['supervisor1', 'dc_admin']) {
      const body = await dashboard(username);
      const figures: Figure[] = [
        body.todayIntake,
        body.open,
        ...body.todayByChannel,
        ...body.todayByRequestType,
        ...body.openByStatus,
        body.overdue,
        body.yellow,
        ...body.trend.map((day: { created: Figure }) => day.created),
        ...body.topCategories,
        ...body.units.flatMap((row: Record<string, Figure>) => [row.open, row.overdue, row.yellow, row.received, row.closed]),
      ];
      let checked = 0;
      for (const figure of figures) {
        if (!Object.keys(figure.query).every((name) => LIST_FILTERS.has(name))) continue;
        const query = new URLSearchParams(Object.entries(figure.query).map(([name, value]) => [name, String(value)]));
        const list = await t.get(username, `/api/work-orders?${query}&pageSize=100`);
        expect({ query: figure.query, total: list.body.total }).toEqual({ query: figure.query, total: figure.count });
        checked++;
      }
      expect(checked).toBeGreaterThan(40);
    }
    // Closed per day, whose filter the list does not have, by hand.
    const body = await dashboard('supervisor1');
    expect(body.open.count).toBe(count(all, (order) => !['closed', 'merged', 'cancelled', 'invalid'].includes(order.status)));
    expect(ids('o3', 'o4').length).toBe(body.trend.reduce((sum: number, day: { closed: Figure }) => sum + day.closed.count, 0));
  });

  it('is for supervisors, administrators, dispatchers and unit admins only', async () => {
    expect((await t.get('admin', '/api/dashboard')).status).toBe(200);
    expect((await t.get('dispatcher1', '/api/dashboard')).status).toBe(200);
    expect((await t.get('agent1', '/api/dashboard')).status).toBe(403);
    expect((await t.get('cgj_handler', '/api/dashboard')).status).toBe(403);
    expect((await t.get('auditor1', '/api/dashboard')).status).toBe(403);
  });
});
