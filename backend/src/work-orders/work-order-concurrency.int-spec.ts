import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';

describe.each(enginesUnderTest())('concurrent actions (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    await Promise.all([t.token('cgj_handler'), t.token('cgj_admin'), t.token('agent1'), t.token('agent2')]);
  });

  afterAll(async () => {
    await t.close();
  });

  it('two simultaneous accepts: exactly one 200 and one 409, and one accept in the timeline', async () => {
    const order = await d.dispatched('cgj');
    const [first, second] = await Promise.all([
      t.post('cgj_handler', `/api/work-orders/${order.id}/accept`, { version: order.version }),
      t.post('cgj_admin', `/api/work-orders/${order.id}/accept`, { version: order.version }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.body.message).toMatch(/changed by someone else/);
    const read = await d.read(order.id);
    expect(read.version).toBe(order.version + 1);
    expect(read.timeline.filter((e) => e.action === 'accept')).toHaveLength(1);
  });

  it('racing different actions on one order never loses an update', async () => {
    const order = await d.processing('cgj');
    const attempts = await Promise.all([
      t.post('cgj_handler', `/api/work-orders/${order.id}/contact`, { version: order.version, method: 'phone', note: '联系' }),
      t.post('dispatcher1', `/api/work-orders/${order.id}/remind`, { version: order.version }),
      t.post('supervisor1', `/api/work-orders/${order.id}/suspend`, { version: order.version, reason: '等待市民' }),
    ]);
    expect(attempts.filter((r) => r.status === 200)).toHaveLength(1);
    expect(attempts.filter((r) => r.status === 409)).toHaveLength(2);
    const read = await d.read(order.id);
    expect(read.timeline).toHaveLength(read.version);
  });

  it('numbers stay unique when many orders are registered at once', async () => {
    const created = await Promise.all(
      Array.from({ length: 24 }, (_, i) => t.post(i % 2 ? 'agent1' : 'agent2', '/api/work-orders', d.registration({ title: `并发登记${i}` }))),
    );
    expect(created.map((r) => r.status)).toEqual(Array(24).fill(201));
    const numbers = created.map((r) => r.body.number as string);
    expect(new Set(numbers).size).toBe(24);
    const sequences = numbers.map((n) => Number(n.slice(8))).sort((a, b) => a - b);
    // Consecutive: no number was skipped or handed out twice.
    expect(sequences.at(-1)! - sequences[0]).toBe(23);
  });
});
