import { DataSource } from 'typeorm';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';
import { WorkOrderNumbers } from './work-order-numbers';

describe.each(enginesUnderTest())('work-order numbers (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    db = t.app.get(DataSource);
  });

  afterAll(async () => {
    t.clock.set(null);
    await t.close();
  });

  const numbersSorted = async (order: 'ASC' | 'DESC', ids: number[]) => {
    const response = await t.get('agent1', `/api/work-orders?sortBy=number&sortOrder=${order}&pageSize=100`);
    expect(response.status).toBe(200);
    return (response.body.items as OrderBody[]).filter((o) => ids.includes(o.id)).map((o) => o.number);
  };

  it('the 100 000th order of a day (child orders share the sequence) still sorts after the 99 999th', async () => {
    t.clock.set(new Date()); // fixed, so the day cannot change in the middle of the test
    const day = t.app.get(WorkOrderNumbers).dayOf(t.clock.now());
    await db.query('INSERT INTO daily_sequences (day, lastValue) VALUES (?, ?)', [day, 99_998]);
    const parent = await d.processing('dc');
    const afterSubDispatch = await d.act('dc_handler', parent.id, 'sub-dispatch', { unitId: d.unit('dc_cy'), instruction: '请街道现场核实' });
    const child = (afterSubDispatch.children as OrderBody[])[0];
    expect(parent.number).toBe(`${day}099999`);
    expect(child.number).toBe(`${day}100000`);
    expect(child.number).toHaveLength(14);
    expect(await numbersSorted('ASC', [parent.id, child.id])).toEqual([parent.number, child.number]);
    expect(await numbersSorted('DESC', [parent.id, child.id])).toEqual([child.number, parent.number]);
  });

  it('keeps numbers of the old 5-digit width valid: they sort among the new ones in the order handed out and are found by search', async () => {
    // Numbers as the old code handed them out (13 characters, 14 past 99 999 a day), then new ones from the day of the upgrade.
    const handedOut = ['2026112000017', '20261120100000', '2026112100005', '20261121000006', '20261122000001'];
    const ids: number[] = [];
    // Registered on the days their numbers name, in the order handed out: numbers and registration times sort alike.
    for (const [i, number] of handedOut.entries()) {
      t.clock.set(new Date(`${number.slice(0, 4)}-${number.slice(4, 6)}-${number.slice(6, 8)}T02:00:0${i}+08:00`));
      const order = await d.register('agent1');
      await db.query('UPDATE work_orders SET number = ? WHERE id = ?', [number, order.id]);
      ids.push(order.id);
    }
    t.clock.set(null);
    expect(await numbersSorted('ASC', ids)).toEqual(handedOut);
    expect(await numbersSorted('DESC', ids)).toEqual([...handedOut].reverse());

    const found = await t.get('agent1', '/api/work-orders?keyword=2026112000017');
    expect((found.body.items as OrderBody[]).map((o) => o.number)).toEqual(['2026112000017']);
    const detail = await d.read(ids[0]);
    expect(detail.number).toBe('2026112000017');
  });
});
