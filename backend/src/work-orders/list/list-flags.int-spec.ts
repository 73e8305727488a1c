import { enginesUnderTest, startTestApp, type TestApp } from '../../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../../testing/work-order-driver';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The queue filters of the consoles' workspaces: open, supervised, extensionRequested, hasChildren, closedFrom/closedTo. */
describe.each(enginesUnderTest())('list filters of the work queues (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  const orders: Record<string, OrderBody> = {};

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    // A fixed Monday morning: deadlines run on working time.
    t.clock.set(new Date('2026-03-09T09:00:00+08:00'));
    orders.registered = await d.register();
    orders.closed = await d.register();
    await d.act('agent1', orders.closed.id, 'resolve-directly', { answer: '已当场解答' });
    orders.supervised = await d.processing('dc');
    await d.act('supervisor1', orders.supervised.id, 'supervise', {
      instruction: '加快办理',
      replyDueAt: iso(new Date(orders.supervised.replyDueAt as string).getTime() - HOUR),
    });
    orders.extension = await d.processing('dc');
    await d.act('dc_handler', orders.extension.id, 'request-extension', {
      requestedDueAt: iso(new Date(orders.extension.replyDueAt as string).getTime() + 24 * HOUR),
      reason: '需要协调多个部门',
    });
    orders.parent = await d.processing('dc');
    const withChild = await d.act('dc_handler', orders.parent.id, 'sub-dispatch', { unitId: d.unit('dc_cy'), instruction: '请街道核实' });
    orders.child = await d.read(withChild.children[0].id);
  });

  afterAll(async () => {
    t.clock.set(null);
    await t.close();
  });

  const ids = async (username: string, query: string) => {
    const response = await t.get(username, `/api/work-orders?${query}`);
    expect(response.status).toBe(200);
    return (response.body.items as OrderBody[]).map((o) => o.id).sort((a, b) => a - b);
  };
  const sorted = (...list: OrderBody[]) => list.map((o) => o.id).sort((a, b) => a - b);

  it('open=true leaves out finished orders', async () => {
    const open = await ids('supervisor1', 'open=true&pageSize=100');
    expect(open).toEqual(sorted(orders.registered, orders.supervised, orders.extension, orders.parent, orders.child));
    expect(open).not.toContain(orders.closed.id);
  });

  it('supervised=true lists the supervised orders only', async () => {
    expect(await ids('supervisor1', 'supervised=true')).toEqual(sorted(orders.supervised));
  });

  it('extensionRequested=true lists the orders waiting for an extension decision, for the center and for the unit', async () => {
    expect(await ids('dispatcher1', 'extensionRequested=true')).toEqual(sorted(orders.extension));
    expect(await ids('dc_handler', 'extensionRequested=true')).toEqual(sorted(orders.extension));
    await d.act('dispatcher1', orders.extension.id, 'approve-extension', {});
    expect(await ids('dispatcher1', 'extensionRequested=true')).toEqual([]);
  });

  it('hasChildren=true lists the orders with sub-orders, within the caller’s scope', async () => {
    expect(await ids('dc_handler', 'hasChildren=true')).toEqual(sorted(orders.parent));
    expect(await ids('dispatcher1', 'hasChildren=true&sortBy=replyDueAt&sortOrder=ASC')).toEqual(sorted(orders.parent));
    // The street that handles the child sees the child, not its parent.
    expect(await ids('dc_cy_handler', 'hasChildren=true')).toEqual([]);
  });

  it('closedFrom/closedTo list the orders closed in the period', async () => {
    expect(await ids('supervisor1', `closedFrom=${encodeURIComponent('2026-03-09T00:00:00+08:00')}&closedTo=${encodeURIComponent('2026-03-10T00:00:00+08:00')}`)).toEqual(sorted(orders.closed));
    expect(await ids('supervisor1', `closedTo=${encodeURIComponent('2026-03-09T00:00:00+08:00')}`)).toEqual([]);
    const backwards = await t.get('supervisor1', `/api/work-orders?closedFrom=${encodeURIComponent('2026-03-10T00:00:00+08:00')}&closedTo=${encodeURIComponent('2026-03-09T00:00:00+08:00')}`);
    expect(backwards.status).toBe(422);
    expect((await t.get('supervisor1', '/api/work-orders?closedFrom=2026-03-09')).status).toBe(400);
  });

  it('combines with the other filters and rejects what is not a boolean', async () => {
    expect(await ids('supervisor1', 'open=true&status=registered')).toEqual(sorted(orders.registered));
    const bad = await t.get('supervisor1', '/api/work-orders?supervised=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'supervised', constraints: ['isBoolean'] }] } });
  });
});
