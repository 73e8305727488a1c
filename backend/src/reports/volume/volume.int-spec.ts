import { enginesUnderTest, startTestApp, type TestApp } from '../../testing/test-app';
import { WorkOrderDriver } from '../../testing/work-order-driver';
import { monthPeriod } from '../report-period';
import { VolumeService } from './volume.service';

/** An instant given as the center's local time (Asia/Shanghai, +08:00). */
const local = (text: string) => new Date(`${text}:00+08:00`);

describe.each(enginesUnderTest())('volume summary (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;

  const registerAt = async (when: string, fields: Record<string, unknown>) => {
    t.clock.set(local(when));
    return d.register('agent1', fields);
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    // November (local days): 00:30 on 11-01 is still October in UTC, but November at the center.
    await registerAt('2026-11-01T00:30', { channel: 'phone', requestType: 'complaint' });
    await registerAt('2026-11-10T09:00', { channel: 'phone', requestType: 'help' });
    await registerAt('2026-11-30T23:59', { channel: 'wechat', requestType: 'complaint' });
    const dispatched = await registerAt('2026-11-12T09:00', { channel: 'web', requestType: 'consultation' });
    await d.act('dispatcher1', dispatched.id, 'dispatch', { leadUnitId: d.unit('dc_cy') });
    // Outside November: 10-31 23:59 and 12-01 00:00 local.
    await registerAt('2026-10-31T23:59', { channel: 'email', requestType: 'praise' });
    await registerAt('2026-12-01T00:00', { channel: 'email', requestType: 'praise' });
    t.clock.set(local('2026-12-02T10:00'));
  }, 120_000);

  afterAll(async () => {
    t.clock.set(null);
    await t.close();
  });

  it('counts the orders registered in the period by channel and request type, every value listed', async () => {
    const summary = await t.app.get(VolumeService).summary(monthPeriod('2026-11'), { unitId: null, unitIds: null });
    expect(summary.period).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(summary.total).toBe(4);
    expect(summary.byChannel).toEqual([
      { channel: 'phone', count: 2 },
      { channel: 'web', count: 1 },
      { channel: 'wechat', count: 1 },
      { channel: 'app', count: 0 },
      { channel: 'email', count: 0 },
      { channel: 'open311', count: 0 },
      { channel: 'partner_hotline', count: 0 },
      { channel: 'media', count: 0 },
      { channel: 'onsite', count: 0 },
    ]);
    expect(summary.byRequestType).toEqual([
      { requestType: 'consultation', count: 1 },
      { requestType: 'help', count: 1 },
      { requestType: 'complaint', count: 2 },
      { requestType: 'report', count: 0 },
      { requestType: 'suggestion', count: 0 },
      { requestType: 'praise', count: 0 },
    ]);
  });

  it('counts a unit’s scope by the orders its subtree leads', async () => {
    const service = t.app.get(VolumeService);
    const dc = { unitId: d.unit('dc'), unitIds: [d.unit('dc'), d.unit('dc_cy'), d.unit('dc_dg')] };
    const summary = await service.summary(monthPeriod('2026-11'), dc);
    expect(summary.total).toBe(1);
    expect(summary.byChannel.filter((row) => row.count > 0)).toEqual([{ channel: 'web', count: 1 }]);
    expect(summary.byRequestType.filter((row) => row.count > 0)).toEqual([{ requestType: 'consultation', count: 1 }]);
    const empty = await service.summary(monthPeriod('2026-11'), { unitId: d.unit('cgj'), unitIds: [d.unit('cgj')] });
    expect(empty.total).toBe(0);
    expect(empty.byChannel).toHaveLength(9);
  });
});
