import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';

describe.each(enginesUnderTest())('unit isolation and citizen privacy (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let ofStreet: OrderBody; // led by 朝阳街道 (dc_cy) under 东城区 (dc)
  let ofBureau: OrderBody; // led by 城管局 (cgj), assisted by 西湖街道 (xc_xh)
  let confidential: OrderBody; // led by 城管局, citizen asked for confidentiality

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    ofStreet = await d.dispatched('dc_cy', { citizenPhone: '13900001111', title: '街道工单' });
    const bureau = await d.register('agent1', { citizenPhone: '13900002222', title: '城管工单' });
    ofBureau = await d.act('dispatcher1', bureau.id, 'dispatch', { leadUnitId: d.unit('cgj'), assistingUnitIds: [d.unit('xc_xh')] });
    confidential = await d.dispatched('cgj', { citizenName: '保密市民', citizenPhone: '13900003333', citizenConfidential: true, title: '保密工单' });
  });

  afterAll(async () => {
    await t.close();
  });

  const listIds = async (username: string, query = '') =>
    ((await t.get(username, `/api/work-orders?pageSize=100${query}`)).body.items as OrderBody[]).map((o) => o.id);

  it("a handler of unit A gets 404 for unit B's order and never sees it in a list", async () => {
    const response = await t.get('cgj_handler', `/api/work-orders/${ofStreet.id}`);
    expect(response.status).toBe(404);
    expect(response.body.message).toBe(`Work order ${ofStreet.id} does not exist`);
    expect(await listIds('cgj_handler')).not.toContain(ofStreet.id);
    expect(await listIds('xc_handler')).not.toContain(ofStreet.id);
    // Acting on it is 404 too, not 403: its existence is not revealed.
    const act = await t.post('cgj_handler', `/api/work-orders/${ofStreet.id}/accept`, { version: ofStreet.version });
    expect(act.status).toBe(404);
  });

  it('a unit sees its own orders and those of the units below it', async () => {
    expect(await listIds('dc_cy_handler')).toContain(ofStreet.id);
    expect(await listIds('dc_admin')).toContain(ofStreet.id); // 东城区 is above 朝阳街道
    expect((await t.get('dc_handler', `/api/work-orders/${ofStreet.id}`)).status).toBe(200);
    expect(await listIds('dc_cy_1_handler')).not.toContain(ofStreet.id); // a community below does not see its street's order
    const unitsOfStreet = (await listIds('dc_cy_handler')).length;
    expect(unitsOfStreet).toBeGreaterThan(0);
  });

  it('only the lead unit itself may act; a unit above it sees but may not accept', async () => {
    const response = await t.post('dc_handler', `/api/work-orders/${ofStreet.id}/accept`, { version: ofStreet.version });
    expect(response.status).toBe(403);
  });

  it('an assisting unit sees the order; other units do not', async () => {
    expect(await listIds('xc_xh_handler')).toContain(ofBureau.id);
    expect((await t.get('xc_xh_handler', `/api/work-orders/${ofBureau.id}`)).status).toBe(200);
    expect(await listIds('xc_jq_handler')).not.toContain(ofBureau.id);
    // Assisting does not make it the lead: the only action is submitting its own part (协办意见).
    expect((await t.get('xc_xh_handler', `/api/work-orders/${ofBureau.id}`)).body.allowedActions).toEqual(['assist-reply']);
  });

  it('center staff see every order with the full phone number', async () => {
    const ids = await listIds('agent1');
    expect(ids).toEqual(expect.arrayContaining([ofStreet.id, ofBureau.id, confidential.id]));
    const read = await t.get('agent1', `/api/work-orders/${confidential.id}`);
    expect(read.body).toMatchObject({ citizenName: '保密市民', citizenPhone: '13900003333' });
  });

  it('units get the phone masked, and neither name nor phone on a confidential order', async () => {
    const masked = await t.get('cgj_handler', `/api/work-orders/${ofBureau.id}`);
    expect(masked.body.citizenPhone).toBe('139****2222');
    expect(masked.body.citizenName).toBe('测试市民');
    const hidden = await t.get('cgj_handler', `/api/work-orders/${confidential.id}`);
    expect(hidden.body).toMatchObject({ citizenConfidential: true, citizenName: null, citizenPhone: null });
    const inList = ((await t.get('cgj_handler', '/api/work-orders?pageSize=100')).body.items as OrderBody[]).find((o) => o.id === confidential.id);
    expect(inList).toMatchObject({ citizenName: null, citizenPhone: null });
    expect(JSON.stringify((await t.get('cgj_handler', '/api/work-orders?pageSize=100')).body)).not.toContain('13900003333');
  });

  it("a unit cannot search by the citizen's phone at all (it sees phones masked); the center can", async () => {
    expect((await t.get('cgj_handler', '/api/work-orders?citizenPhone=13900003333')).status).toBe(403);
    expect((await t.get('cgj_handler', '/api/work-orders?citizenPhone=13900002222')).status).toBe(403);
    expect(await listIds('agent1', '&citizenPhone=13900003333')).toEqual([confidential.id]);
  });

  it('unit staff see only their own part of the unit tree; only admins list users', async () => {
    const tree = await t.get('dc_cy_handler', '/api/units');
    expect(tree.body).toHaveLength(1);
    expect(tree.body[0]).toMatchObject({ code: 'dc_cy', children: [expect.objectContaining({ code: 'dc_cy_1' }), expect.objectContaining({ code: 'dc_cy_2' })] });
    expect((await t.get('dc_cy_handler', '/api/users')).status).toBe(403);
    expect((await t.get('agent1', '/api/users')).status).toBe(403);
    const users = await t.get('admin', '/api/users?pageSize=100&role=handler');
    expect(users.status).toBe(200);
    expect(users.body.items.every((u: { role: string }) => u.role === 'handler')).toBe(true);
    expect(JSON.stringify(users.body)).not.toContain('passwordHash');
  });

  it('unit staff cannot register orders', async () => {
    const response = await t.post('cgj_handler', '/api/work-orders', d.registration());
    expect(response.status).toBe(403);
  });
});
