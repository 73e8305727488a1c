import request from 'supertest';
import { OpenApiConformance } from '../testing/openapi-conformance';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';

interface Summary {
  id: number;
  accessible: boolean;
  number?: string;
  title?: string;
}

describe.each(enginesUnderTest())('related orders a unit cannot open show as ids only (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let parent: OrderBody; // led by 东城区 (dc), assisted by 城管局 (cgj)
  let child: OrderBody; // sub-dispatched by dc to 朝阳街道 (dc_cy)
  let linkedOwn: OrderBody; // led by cgj
  let linkedOther: OrderBody; // led by 住建局 (zjj), linked to linkedOwn
  let mergeTarget: OrderBody; // led by cgj
  let repeat: OrderBody; // never dispatched, merged into mergeTarget

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    const registered = await d.register('agent1', { title: '父工单-东城区' });
    await d.act('dispatcher1', registered.id, 'dispatch', { leadUnitId: d.unit('dc'), assistingUnitIds: [d.unit('cgj')] });
    await d.act('dc_handler', registered.id, 'accept');
    parent = await d.act('dc_handler', registered.id, 'sub-dispatch', { unitId: d.unit('dc_cy'), instruction: '请街道核实' });
    child = await d.read(parent.children[0].id);
    linkedOwn = await d.dispatched('cgj', { title: '城管关联工单' });
    linkedOther = await d.dispatched('zjj', { title: '住建局秘密标题' });
    await d.act('dispatcher1', linkedOwn.id, 'link', { targetId: linkedOther.id });
    mergeTarget = await d.dispatched('cgj', { title: '城管合并目标' });
    repeat = await d.register('agent2', { title: '未派单的重复件' });
    await d.act('agent2', repeat.id, 'merge', { targetId: mergeTarget.id });
  });

  afterAll(async () => {
    await t.close();
  });

  const detail = async (username: string, id: number) => {
    const response = await t.get(username, `/api/work-orders/${id}`);
    expect(response.status).toBe(200);
    return response.body as OrderBody & { parent: Summary | null; children: Summary[]; linkedOrders: Summary[]; mergedOrders: Summary[] };
  };

  it('an assisting unit sees the parent but not its child: the child is an id, the sub-dispatch event keeps only the id', async () => {
    const seen = await detail('cgj_handler', parent.id);
    expect(seen.children).toEqual([{ id: child.id, accessible: false }]);
    const event = seen.timeline.find((e) => e.action === 'sub-dispatch');
    expect(event?.payload).toEqual({ childId: child.id, unitId: d.unit('dc_cy') });
    expect(JSON.stringify(seen.children) + JSON.stringify(seen.timeline)).not.toContain(child.number);
    expect((await t.get('cgj_handler', `/api/work-orders/${child.id}`)).status).toBe(404);
  });

  it("a child's unit does not see the parent's number, title, status or unit", async () => {
    const seen = await detail('dc_cy_handler', child.id);
    expect(seen.parent).toEqual({ id: parent.id, accessible: false });
    const event = seen.timeline.find((e) => e.action === 'sub-dispatch');
    expect(event?.payload).toEqual({ parentId: parent.id, replyDueAt: child.replyDueAt });
    expect(JSON.stringify(seen)).not.toContain(parent.number);
  });

  it('linked and merged orders of other units show as ids only, in the lists and the link/merge events', async () => {
    const linked = await detail('cgj_handler', linkedOwn.id);
    expect(linked.linkedOrders).toEqual([{ id: linkedOther.id, accessible: false }]);
    expect(linked.timeline.find((e) => e.action === 'link')?.payload).toEqual({ targetId: linkedOther.id });
    expect(JSON.stringify(linked)).not.toContain('住建局秘密标题');
    expect(JSON.stringify(linked)).not.toContain(linkedOther.number);

    const target = await detail('cgj_handler', mergeTarget.id);
    expect(target.mergedOrders).toEqual([{ id: repeat.id, accessible: false }]);
    expect(target.timeline.find((e) => e.action === 'merge')?.payload).toEqual({ mergedWorkOrderId: repeat.id });
    expect(JSON.stringify(target)).not.toContain(repeat.number);
  });

  it('those who may open the related orders see them in full', async () => {
    const byParentUnit = await detail('dc_handler', parent.id);
    expect(byParentUnit.children).toEqual([expect.objectContaining({ id: child.id, accessible: true, number: child.number, status: 'dispatched' })]);
    expect(byParentUnit.timeline.find((e) => e.action === 'sub-dispatch')?.payload).toMatchObject({ childNumber: child.number, unitName: expect.any(String) });
    expect((await detail('dc_handler', child.id)).parent).toMatchObject({ id: parent.id, accessible: true, number: parent.number });

    const byCenter = await detail('agent1', linkedOwn.id);
    expect(byCenter.linkedOrders).toEqual([expect.objectContaining({ id: linkedOther.id, accessible: true, number: linkedOther.number, title: '住建局秘密标题' })]);
    expect(byCenter.timeline.find((e) => e.action === 'link')?.payload).toEqual({ targetId: linkedOther.id, targetNumber: linkedOther.number });
    expect((await detail('supervisor1', mergeTarget.id)).mergedOrders).toEqual([
      expect.objectContaining({ id: repeat.id, accessible: true, number: repeat.number, title: '未派单的重复件' }),
    ]);
  });

  it('details with orders the caller cannot open match the OpenAPI document', async () => {
    const api = new OpenApiConformance((await request(t.server).get('/api/docs-json')).body);
    for (const [username, id] of [['cgj_handler', parent.id], ['dc_cy_handler', child.id], ['cgj_handler', linkedOwn.id], ['cgj_handler', mergeTarget.id], ['dc_handler', parent.id]] as const) {
      expect(api.problemsOf('/api/work-orders/{id}', 'get', await t.get(username, `/api/work-orders/${id}`))).toEqual([]);
    }
  });
});
