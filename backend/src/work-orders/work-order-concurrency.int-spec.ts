import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import type { Response } from 'supertest';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';

describe.each(enginesUnderTest())('concurrent actions (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    await Promise.all(
      ['cgj_handler', 'cgj_admin', 'agent1', 'agent2', 'dispatcher1', 'supervisor1', 'dc_handler', 'dc_admin'].map((username) => t.token(username)),
    );
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

  it('50 dispatches (with assisting units), merges, sub-dispatches and registrations on different orders at once: no 5xx, data right', async () => {
    const leads = ['cgj', 'zjj', 'scjgj', 'sthjj', 'water'];
    const helpers = ['dc_cy', 'dc_dg', 'xc_xh', 'xc_jq', 'nh_nh', 'power'];
    const toDispatch = await Promise.all(Array.from({ length: 20 }, (_, i) => d.register(i % 2 ? 'agent1' : 'agent2', { title: `并发派单${i}` })));
    const repeats = await Promise.all(Array.from({ length: 10 }, (_, i) => d.register('agent1', { title: `重复${i}` })));
    const originals = await Promise.all(Array.from({ length: 10 }, (_, i) => d.register('agent2', { title: `原单${i}` })));
    const parents: OrderBody[] = [];
    for (let i = 0; i < 10; i++) parents.push(await d.processing('dc', { title: `下派${i}` }));

    const dispatches = toDispatch.map((order, i) => ({
      order,
      // Every other one goes to the category's default lead unit (路灯 → 城管局), looked up inside the transaction.
      leadUnitId: i % 2 ? d.unit(leads[i % leads.length]) : undefined,
      // Overlapping sets: the same units are assisting on many orders at once.
      assistingUnitIds: [d.unit(helpers[i % helpers.length]), d.unit(helpers[(i + 1) % helpers.length])],
    }));
    const requests: Promise<Response>[] = [
      ...dispatches.map(({ order, leadUnitId, assistingUnitIds }) =>
        t.post('dispatcher1', `/api/work-orders/${order.id}/dispatch`, { version: order.version, leadUnitId, assistingUnitIds }),
      ),
      ...repeats.map((repeat, i) => t.post('agent1', `/api/work-orders/${repeat.id}/merge`, { version: repeat.version, targetId: originals[i].id })),
      ...parents.map((parent, i) =>
        t.post(i % 2 ? 'dc_handler' : 'dc_admin', `/api/work-orders/${parent.id}/sub-dispatch`, {
          version: parent.version,
          unitId: d.unit(i % 2 ? 'dc_cy' : 'dc_dg'),
          instruction: '请现场核实',
        }),
      ),
      ...Array.from({ length: 10 }, (_, i) => t.post('agent2', '/api/work-orders', d.registration({ title: `并发新登记${i}` }))),
    ];
    expect(requests).toHaveLength(50);
    const responses = await Promise.all(requests);
    const failures = responses.filter((r) => r.status !== 200 && r.status !== 201).map((r) => `${r.status} ${JSON.stringify(r.body)}`);
    expect(failures).toEqual([]);

    for (const { order, leadUnitId, assistingUnitIds } of dispatches) {
      const read = await d.read(order.id);
      expect(read).toMatchObject({ status: 'dispatched', leadUnitId: leadUnitId ?? d.unit('cgj'), version: order.version + 1 });
      expect((read.assistingUnits as { id: number }[]).map((u) => u.id)).toEqual([...assistingUnitIds].sort((a, b) => a - b));
    }
    for (const [i, repeat] of repeats.entries()) {
      expect(await d.read(repeat.id)).toMatchObject({ status: 'merged', mergedIntoId: originals[i].id });
      expect((await d.read(originals[i].id)).mergedOrders.map((o) => o.id)).toEqual([repeat.id]);
    }
    for (const parent of parents) {
      const read = await d.read(parent.id);
      expect(read.children).toHaveLength(1);
      expect(read.children[0]).toMatchObject({ status: 'dispatched' });
    }
    const numbers = responses.slice(40).map((r) => r.body.number as string);
    expect(new Set(numbers).size).toBe(10);
  });

  it('crossed merges (A→B with B→A) on 10 pairs at once: per pair exactly one succeeds, never a cycle', async () => {
    const pairs = await Promise.all(Array.from({ length: 10 }, async (_, i) => [await d.register('agent1', { title: `交叉A${i}` }), await d.register('agent2', { title: `交叉B${i}` })]));
    const responses = await Promise.all(
      pairs.flatMap(([a, b]) => [
        t.post('agent1', `/api/work-orders/${a.id}/merge`, { version: a.version, targetId: b.id }),
        t.post('dispatcher1', `/api/work-orders/${b.id}/merge`, { version: b.version, targetId: a.id }),
      ]),
    );
    for (const [i, [a, b]] of pairs.entries()) {
      const [ab, ba] = [responses[2 * i], responses[2 * i + 1]];
      const statuses = [ab.status, ba.status].sort();
      expect(statuses[0]).toBe(200);
      expect([409, 422]).toContain(statuses[1]);
      const [readA, readB] = [await d.read(a.id), await d.read(b.id)];
      const merged = [readA, readB].filter((o) => o.status === 'merged');
      expect(merged).toHaveLength(1);
      const [source, target] = readA.status === 'merged' ? [readA, readB] : [readB, readA];
      expect(source.mergedIntoId).toBe(target.id);
      expect(target).toMatchObject({ status: 'registered', mergedIntoId: null });
      // The target's merged set changed: its version moved, and its timeline has the merge.
      expect(target.version).toBe(2);
      expect(target.mergedOrders.map((o) => o.id)).toEqual([source.id]);
    }
  });

  it('merges do not chain: no merging into a merged order, nor merging an order that others are merged into', async () => {
    const [a, b, c] = [await d.register(), await d.register(), await d.register()];
    const cIntoA = await d.act('agent1', c.id, 'merge', { targetId: a.id });
    expect(cIntoA.status).toBe('merged');
    const aRead = await d.read(a.id);
    expect(aRead.version).toBe(a.version + 1);
    const aIntoB = await d.try('agent1', a.id, 'merge', { targetId: b.id });
    expect(aIntoB.status).toBe(422);
    expect(aIntoB.body.message).toMatch(/has other orders merged into it/);
    const bIntoC = await d.try('agent1', b.id, 'merge', { targetId: c.id });
    expect(bIntoC.status).toBe(422);
    expect(bIntoC.body.message).toMatch(/itself merged/);
    // Unmerging moves the former target's version too.
    await d.act('dispatcher1', c.id, 'unmerge');
    expect((await d.read(a.id)).version).toBe(aRead.version + 1);
    // And a stale version of the target answers 409.
    expect((await t.post('agent1', `/api/work-orders/${a.id}/merge`, { version: aRead.version, targetId: b.id })).status).toBe(409);
  });

  it('merges racing into a chain (C→A with A→B, 10 times at once) never leave an order merged into a merged one', async () => {
    const triples = await Promise.all(Array.from({ length: 10 }, async () => [await d.register(), await d.register(), await d.register()]));
    const responses = await Promise.all(
      triples.flatMap(([a, b, c]) => [
        t.post('agent1', `/api/work-orders/${c.id}/merge`, { version: c.version, targetId: a.id }),
        t.post('agent2', `/api/work-orders/${a.id}/merge`, { version: a.version, targetId: b.id }),
      ]),
    );
    expect(responses.filter((r) => r.status >= 500)).toEqual([]);
    for (const [a, , c] of triples) {
      const [readA, readC] = [await d.read(a.id), await d.read(c.id)];
      expect(readA.status === 'merged' && readC.status === 'merged').toBe(false);
    }
  });
});
