import { DataSource } from 'typeorm';
import { digestHa1 } from '../cti/agent-phones.service';
import { AgentPhone } from '../cti/entities/agent-phone.entity';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { DEMO_PASSWORD } from './demo-organisation';
import { WORK_ORDER_STATUSES } from '../work-orders/work-order.enums';

describe.each(enginesUnderTest())('demo data (%s)', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(engine, { demoWorkOrders: true });
  });

  afterAll(async () => {
    await t.close();
  });

  it('creates about fifty work orders spread over every state, each with a timeline', async () => {
    const response = await t.get('supervisor1', '/api/work-orders?pageSize=100');
    expect(response.body.total).toBeGreaterThanOrEqual(50);
    const statuses = new Set(response.body.items.map((o: { status: string }) => o.status));
    expect([...statuses].sort()).toEqual([...WORK_ORDER_STATUSES].sort());
    const closed = response.body.items.find((o: { status: string; leadUnitId: number | null }) => o.status === 'closed' && o.leadUnitId !== null);
    const detail = await t.get('supervisor1', `/api/work-orders/${closed.id}`);
    expect(detail.body.timeline.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['register', 'dispatch', 'accept', 'reply', 'approve-reply', 'callback']));
  });

  it('builds the organisation: ≥ 6 bureaus, 3 districts with 2 streets of 2 communities each, 2 utilities, ~40 categories', async () => {
    const [center] = (await t.get('admin', '/api/units')).body;
    const ofType = (type: string) => center.children.filter((u: { type: string }) => u.type === type);
    expect(ofType('bureau').length).toBeGreaterThanOrEqual(6);
    expect(ofType('utility')).toHaveLength(2);
    const districts = ofType('district');
    expect(districts).toHaveLength(3);
    for (const district of districts) {
      expect(district.children).toHaveLength(2);
      for (const street of district.children) expect(street.children.map((c: { type: string }) => c.type)).toEqual(['community', 'community']);
    }
    const count = (nodes: { children: unknown[] }[]): number => nodes.reduce((n, c) => n + 1 + count(c.children as never), 0);
    const categories = (await t.get('agent1', '/api/categories')).body;
    expect(count(categories)).toBeGreaterThanOrEqual(40);
    const leaves: { defaultLeadUnitId: number | null; defaultRequestType: string | null }[] = categories.flatMap((c: { children: { children: unknown[] }[] }) => c.children.flatMap((s) => s.children));
    expect(leaves.every((l) => l.defaultLeadUnitId !== null && l.defaultRequestType !== null)).toBe(true);
  });

  it('gives agent1 and agent2 the extensions 8001 and 8002, the demo password as their SIP password', async () => {
    const phones = await t.get('admin', '/api/cti/agent-phones');
    expect(phones.body).toEqual([
      expect.objectContaining({ extension: '8001', username: 'agent1', realmIsCurrent: true }),
      expect.objectContaining({ extension: '8002', username: 'agent2', realmIsCurrent: true }),
    ]);
    const stored = await t.app.get(DataSource).getRepository(AgentPhone).find({ order: { extension: 'ASC' } });
    expect(stored.map((phone) => phone.ha1)).toEqual(['8001', '8002'].map((extension) => digestHa1(extension, 'jiesu', DEMO_PASSWORD)));
  });

  it('seeds only an empty database', async () => {
    const { DemoDataService } = await import('./demo-data.service');
    expect(await t.app.get(DemoDataService).seedIfEmpty()).toBe(false);
  });
});
