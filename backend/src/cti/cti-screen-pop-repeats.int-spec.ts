import request from 'supertest';
import { enginesUnderTest, type TestApp } from '../testing/test-app';
import { type OrderBody, WorkOrderDriver } from '../testing/work-order-driver';
import { after, ctiPost, startCtiTestApp } from './cti-testing';

const DAY_MS = 24 * 3600 * 1000;

interface Candidate {
  id: number;
  status: string;
  matterId: number | null;
  matterOpen: boolean;
  repeatOfId: number | null;
}

describe.each(enginesUnderTest())('the screen pop’s likely repeats, from the repeat detector (%s)', (engine) => {
  let t: TestApp;
  let close: () => Promise<void>;
  let d: WorkOrderDriver;
  let sequence = 0;

  beforeAll(async () => {
    // The repeat detector on (the test apps switch it off by default).
    ({ t, close } = await startCtiTestApp(engine, { REPEAT_DETECTION: 'on' }));
    d = await new WorkOrderDriver(t).load();
  });

  afterAll(async () => {
    await close();
  });

  afterEach(() => t.clock.set(null));

  /** A call from the phone offered to agent1 (extension 8001 of the demo data); answers the screen pop agent1 reads again. */
  async function popFor(phone: string): Promise<{ repeatCandidates: Candidate[]; earlierOrders: { id: number }[]; earlierOrdersTotal: number }> {
    const base = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const callId = `repeats-${engine}-${Date.now()}-${++sequence}`;
    await request(t.server).put('/api/cti/agents/me/state').set('Authorization', `Bearer ${await t.token('agent1')}`).send({ state: 'ready' }).expect(200);
    const created = await ctiPost(t, '/api/cti/events', { event: 'newCall', callId, from: phone, at: after(base, 0) }).expect(200);
    expect((await ctiPost(t, `/api/cti/calls/${callId}/route`)).body.extension).toBe('8001');
    const pop = await t.get('agent1', `/api/calls/${created.body.call.id}/screen-pop`);
    expect(pop.status).toBe(200);
    // The caller hangs up while it rings: agent1 is free for the next test.
    await ctiPost(t, '/api/cti/events', { event: 'hangup', callId, at: after(base, 5) }).expect(200);
    return pop.body;
  }

  const invalidate = (order: OrderBody) => d.act('agent1', order.id, 'invalidate', { reasonCode: 'test_call', reason: '测试来电' });

  it('lists the caller’s orders within the window that are open or whose matter is open, with the matter, newest first', async () => {
    const phone = '13522223333';
    t.clock.set(new Date(Date.now() - 120 * DAY_MS));
    const outside = await d.register('agent1', { citizenPhone: phone });
    t.clock.set(null);
    const first = await d.register('agent1', { citizenPhone: phone });
    const repeat = await d.register('agent1', { citizenPhone: phone });
    const unrelated = await d.register('agent1', {
      citizenPhone: phone,
      categoryId: d.category('C010301'),
      title: '金桥路工地夜间施工噪音',
      address: '金桥街道金桥路工地',
      content: '金桥路工地夜间施工噪音扰民，已持续一周，请求查处。',
      districtUnitId: d.unit('xc'),
      streetUnitId: d.unit('xc_jq'),
    });
    // The first of the matter is finished, its repeat still open: the matter is open. The unrelated one is finished alone.
    await invalidate(first);
    await invalidate(unrelated);

    const pop = await popFor(phone);
    expect(pop.earlierOrders.map((o) => o.id)).toEqual([unrelated.id, repeat.id, first.id, outside.id]);
    expect(pop.earlierOrdersTotal).toBe(4);
    expect(pop.repeatCandidates).toEqual([
      expect.objectContaining({ id: repeat.id, status: 'registered', matterId: first.id, matterOpen: true, repeatOfId: first.id }),
      expect.objectContaining({ id: first.id, status: 'invalid', matterId: first.id, matterOpen: true, repeatOfId: null }),
    ]);
  });

  it('lists at most five, the newest', async () => {
    const phone = '13522224444';
    const orders: OrderBody[] = [];
    for (let i = 0; i < 6; i++) orders.push(await d.register('agent1', { citizenPhone: phone, title: `长安街${i + 1}号路灯不亮` }));
    const pop = await popFor(phone);
    expect(pop.repeatCandidates.map((c) => c.id)).toEqual(orders.slice(1).reverse().map((o) => o.id));
    expect(pop.repeatCandidates.every((c) => c.matterId !== null && c.matterOpen)).toBe(true);
  });
});
