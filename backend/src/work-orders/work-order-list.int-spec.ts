import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';

describe.each(enginesUnderTest())('listing work orders (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  const created: OrderBody[] = [];

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    const base = Date.UTC(2026, 9, 1, 2, 0, 0);
    const specs = [
      { title: '路灯不亮', categoryId: d.category('C010101'), channel: 'phone', citizenPhone: '13800000001' },
      { title: '占道经营 100%严重', categoryId: d.category('C020101'), channel: 'wechat', citizenPhone: '13800000002', requestType: 'complaint' },
      { title: '咨询社保', categoryId: d.category('C060201'), channel: 'web', citizenPhone: '13800000003', urgency: 'urgent' },
      { title: '停水', categoryId: d.category('C070101'), channel: 'phone', citizenPhone: '13800000001', urgency: 'critical', address: '南湖花园小区' },
    ];
    for (const [i, spec] of specs.entries()) {
      t.clock.set(new Date(base + i * 86_400_000));
      created.push(await d.register('agent1', spec));
    }
    t.clock.set(new Date(base + 5 * 86_400_000));
    await d.act('dispatcher1', created[3].id, 'dispatch');
    t.clock.set(null);
  });

  afterAll(async () => {
    await t.close();
  });

  const ids = async (query: string) => ((await t.get('agent1', `/api/work-orders?${query}`)).body.items as OrderBody[]).map((o) => o.id);

  it('gives each item its category path', async () => {
    const items = (await t.get('agent1', '/api/work-orders?sortBy=createdAt&sortOrder=ASC')).body.items;
    expect(items[0].category).toMatchObject({ name: '路灯', path: '城乡建设/市政设施/路灯' });
  });

  it('pages with a total', async () => {
    const first = await t.get('agent1', '/api/work-orders?pageSize=3&page=1&sortBy=createdAt&sortOrder=ASC');
    expect(first.body).toMatchObject({ total: 4, page: 1, pageSize: 3 });
    expect(first.body.items.map((o: OrderBody) => o.id)).toEqual(created.slice(0, 3).map((o) => o.id));
    const second = await t.get('agent1', '/api/work-orders?pageSize=3&page=2&sortBy=createdAt&sortOrder=ASC');
    expect(second.body.items.map((o: OrderBody) => o.id)).toEqual([created[3].id]);
  });

  it('sorts newest first by default, and by urgency', async () => {
    expect(await ids('')).toEqual([...created].reverse().map((o) => o.id));
    expect((await ids('sortBy=urgency&sortOrder=DESC')).slice(0, 2)).toEqual([created[3].id, created[2].id]);
  });

  it('filters by status, lead unit (with the units below), category (any level), type, channel and phone', async () => {
    expect(await ids('status=dispatched')).toEqual([created[3].id]);
    expect(await ids('status=registered')).toHaveLength(3);
    expect(await ids(`leadUnitId=${d.unit('water')}`)).toEqual([created[3].id]);
    expect(await ids(`categoryId=${d.category('C0201')}`)).toEqual([created[1].id]);
    expect(await ids(`categoryId=${d.category('C02')}`)).toEqual([created[1].id]);
    expect(await ids(`categoryId=${d.category('C010101')}`)).toEqual([created[0].id]);
    expect(await ids('requestType=complaint')).toEqual([created[1].id]);
    expect(await ids('channel=phone')).toEqual([created[3].id, created[0].id]);
    expect(await ids('citizenPhone=13800000001')).toEqual([created[3].id, created[0].id]);
  });

  it('filters by registration date range', async () => {
    expect(await ids('createdFrom=2026-10-02T00:00:00Z&createdTo=2026-10-04T00:00:00Z')).toEqual([created[2].id, created[1].id]);
  });

  it('searches number, title, content and address through the full-text index; punctuation alone matches nothing', async () => {
    expect(await ids(`keyword=${encodeURIComponent('南湖花园')}`)).toEqual([created[3].id]);
    expect(await ids(`keyword=${created[1].number}`)).toEqual([created[1].id]);
    expect(await ids(`keyword=${created[1].number.slice(0, 8)}&sortBy=createdAt&sortOrder=ASC`)).toEqual([created[1].id]);
    expect(await ids(`keyword=${encodeURIComponent('100%')}`)).toEqual([created[1].id]);
    expect(await ids(`keyword=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await ids(`keyword=${encodeURIComponent('_')}`)).toEqual([]);
  });

  it('lists keyword matches newest first by default, or ranks them by relevance', async () => {
    // Every order's content mentions 路灯; only the first has it in its title too, which ranks it first.
    const relevance = await t.get('agent1', `/api/work-orders?keyword=${encodeURIComponent('路灯')}&sortBy=relevance`);
    expect(relevance.body).toMatchObject({ total: 4, totalExact: true, hasMore: false, nextCursor: null });
    expect(relevance.body.items[0].id).toBe(created[0].id);
    const newest = await ids(`keyword=${encodeURIComponent('路灯')}`);
    expect(newest).toEqual([...created].reverse().map((o) => o.id));
    expect(await ids(`keyword=${encodeURIComponent('社保')}&sortBy=createdAt`)).toEqual([created[2].id]);
    const wrongSort = await t.get('agent1', `/api/work-orders?keyword=${encodeURIComponent('路灯')}&sortBy=replyDueAt`);
    expect(wrongSort.status).toBe(400);
    expect(wrongSort.body.message).toMatch(/relevance or newest first/);
  });
});
