import { enginesUnderTest, startTestApp, type TestApp } from '../../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../../testing/work-order-driver';

/** An instant given as the center's local time (Asia/Shanghai, +08:00). */
const local = (text: string) => new Date(`${text}:00+08:00`);

/** Texts written for this test: a lamp in 东关 (dc_dg, district dc), a lift in 东关新村, a building site in 西湖 (xc_xh, district xc). */
const LAMP = { category: 'C010101', district: 'dc', street: 'dc_dg', address: '东关街道东关大街56号', title: '东关大街56号门口路灯不亮', content: '东关大街56号门口的两盏路灯从上周开始一直不亮，晚上路面漆黑，老人出门很不方便，请尽快派人维修。' };
const LAMP_AGAIN = { ...LAMP, title: '东关大街56号路灯还是不亮', content: '上次反映东关大街56号门口路灯不亮，到现在还没有修好，晚上还是一片漆黑，请督促尽快维修。' };
const LIFT = { category: 'C010203', district: 'dc', street: 'dc_dg', address: '东关街道东关新村3栋', title: '东关新村3栋电梯频繁故障', content: '东关新村3栋的电梯这个月已经坏了好几次，昨天又停在两层之间，有老人被困了半个小时，请监管部门督促物业彻底检修。' };
const LIFT_AGAIN = { ...LIFT, title: '东关新村3栋电梯又坏了', content: '上次反映的东关新村3栋电梯故障还没有解决，今天电梯又停运了，老人上下楼非常困难，请尽快督促物业维修。' };
const SITE = [
  { title: '建设路工地夜间施工噪音扰民', content: '建设路与湖滨街交叉口的工地每天晚上十一点以后还在打桩，噪音非常大，附近居民无法入睡，请求查处。' },
  { title: '湖滨街路口工地半夜施工', content: '湖滨街和建设路路口东北角那个工地，凌晨还在打桩施工，机器轰鸣声吵得孩子睡不着觉，请求查处。' },
  { title: '建设路口工地深夜打桩噪音大', content: '家住建设路口附近，建设路与湖滨街交叉口的工地连续几个晚上深夜打桩作业，噪音太大，希望有关部门管一管。' },
].map((text) => ({ ...text, category: 'C010301', district: 'xc', street: 'xc_xh', address: '西湖街道建设路与湖滨街交叉口东北角工地' }));

type Matter = typeof LAMP;

interface HotspotBody {
  hotspotId: number;
  title: string;
  address: string;
  memberCount: number;
  callerCount: number;
  firstAt: string;
  lastAt: string;
  districtUnitId: number | null;
}

/**
 * The repeats report of November 2026 with the repeat detector on: the same caller again about the same matter is a
 * repeat complaint (重复件, marked at registration); three or more orders of one matter from two or more callers are a
 * hotspot (多人反映).
 */
describe.each(enginesUnderTest())('repeats report (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  const o: Record<string, OrderBody> = {};

  const register = async (when: string, matter: Matter, phone: string, leadUnit: string | null) => {
    t.clock.set(local(when));
    const order = await d.register('agent1', {
      citizenPhone: phone,
      address: matter.address,
      districtUnitId: d.unit(matter.district),
      streetUnitId: d.unit(matter.street),
      categoryId: d.category(matter.category),
      title: matter.title,
      content: matter.content,
    });
    if (leadUnit === null) return order;
    t.clock.set(new Date(local(when).getTime() + 10 * 60_000));
    return d.act('dispatcher1', order.id, 'dispatch', { leadUnitId: d.unit(leadUnit) });
  };

  beforeAll(async () => {
    t = await startTestApp(engine, { env: { REPEAT_DETECTION: 'on' } });
    d = await new WorkOrderDriver(t).load();
    // The lamp: the first caller, again (a repeat), then a second and a third caller — a hotspot of 4 orders, 3 callers.
    o.lamp1 = await register('2026-11-02T09:00', LAMP, '13800000001', 'cgj');
    o.lamp2 = await register('2026-11-05T09:00', LAMP_AGAIN, '13800000001', 'cgj');
    o.lamp3 = await register('2026-11-06T09:00', LAMP, '13800000002', 'cgj');
    o.lamp4 = await register('2026-11-09T09:00', LAMP, '13800000003', null);
    // The lift: one caller twice (a repeat), both sent to the street dc_dg.
    o.lift1 = await register('2026-11-10T09:00', LIFT, '13900000001', 'dc_dg');
    o.lift2 = await register('2026-11-11T09:00', LIFT_AGAIN, '13900000001', 'dc_dg');
    // The site (district xc): three neighbours — a hotspot of 3 orders, 3 callers, nothing dispatched.
    o.site1 = await register('2026-11-16T20:00', SITE[0], '13700000001', null);
    o.site2 = await register('2026-11-17T21:00', SITE[1], '13700000002', null);
    o.site3 = await register('2026-11-18T22:00', SITE[2], '13700000003', null);
    t.clock.set(local('2026-12-02T10:00'));
  }, 300_000);

  afterAll(async () => {
    t.clock.set(null);
    await t.close();
  });

  const report = async (username: string, query: string) => {
    const response = await t.get(username, `/api/reports/repeats?${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  it('marked the repeats at registration (the data the report counts)', () => {
    expect([o.lamp2.repeatOfId, o.lift2.repeatOfId]).toEqual([o.lamp1.id, o.lift1.id]);
    expect([o.lamp3.repeatOfId, o.lamp4.repeatOfId]).toEqual([null, null]);
  });

  it('counts per unit the orders received and the repeat complaints among them, rolled up, with the totals', async () => {
    const body = await report('supervisor1', 'month=2026-11');
    expect(body.period).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    const figures = (code: string) => {
      const row = body.units.find((unit: { unitId: number }) => unit.unitId === d.unit(code));
      return row && [row.received, row.repeats, row.repeatRate];
    };
    // cgj received lamp1–3 in November, lamp2 a repeat: 1 ÷ 3.
    expect(figures('cgj')).toEqual([3, 1, 1 / 3]);
    // dc_dg received both lift orders, one a repeat; its district rolls it up.
    expect(figures('dc_dg')).toEqual([2, 1, 0.5]);
    expect(figures('dc')).toEqual([2, 1, 0.5]);
    // Nothing received: no rate.
    expect(figures('xc')).toEqual([0, 0, null]);
    expect(body.totals).toEqual({ orders: 5, repeats: 2, repeatRate: 0.4 });
    expect(body.units[0]).toMatchObject({ unitType: 'center', depth: 0, received: 5, repeats: 2 });
  });

  it('lists the hotspots whose orders reach into the period, largest first', async () => {
    const body = await report('supervisor1', 'month=2026-11');
    expect(body.hotspots.map((h: HotspotBody) => [h.address, h.memberCount, h.callerCount, h.firstAt, h.lastAt, h.districtUnitId])).toEqual([
      [LAMP.address, 4, 3, local('2026-11-02T09:00').toISOString(), local('2026-11-09T09:00').toISOString(), d.unit('dc')],
      [SITE[0].address, 3, 3, local('2026-11-16T20:00').toISOString(), local('2026-11-18T22:00').toISOString(), d.unit('xc')],
    ]);
    expect(typeof body.hotspots[0].hotspotId).toBe('number');
    expect(body.hotspots[0].title).toBe(LAMP.title);
    // October ended before the first lamp order; December began after the last order of both.
    expect((await report('supervisor1', 'month=2026-10')).hotspots).toEqual([]);
    expect((await report('supervisor1', 'month=2026-12')).hotspots).toEqual([]);
    // A period that only reaches the site's last day still lists it.
    const lastDay = await report('supervisor1', 'from=2026-11-18&to=2026-11-18');
    expect(lastDay.hotspots.map((h: HotspotBody) => h.address)).toEqual([SITE[0].address]);
  });

  it('keeps a unit_admin to its subtree: its units, its district’s hotspots', async () => {
    const body = await report('dc_admin', 'month=2026-11');
    expect(body.scopeUnitId).toBe(d.unit('dc'));
    expect(body.units[0]).toMatchObject({ unitId: d.unit('dc'), depth: 0, received: 2, repeats: 1, repeatRate: 0.5 });
    expect(body.units.map((unit: { unitId: number }) => unit.unitId)).not.toContain(d.unit('cgj'));
    expect(body.totals).toEqual({ orders: 2, repeats: 1, repeatRate: 0.5 });
    expect(body.hotspots.map((h: HotspotBody) => h.address)).toEqual([LAMP.address]);
    const xc = await report('xc_admin', 'month=2026-11');
    expect(xc.hotspots.map((h: HotspotBody) => h.address)).toEqual([SITE[0].address]);
  });
});
