import request from 'supertest';
import { DataSource } from 'typeorm';
import { OpenApiConformance } from '../testing/openapi-conformance';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver, type OrderBody } from '../testing/work-order-driver';

describe.each(enginesUnderTest())('citizen phones: no search for units, reveal-contact for the lead unit (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let ofBureau: OrderBody; // led by 城管局 (cgj), assisted by 西湖街道 (xc_xh)
  let ofStreet: OrderBody; // led by 朝阳街道 (dc_cy), under 东城区 (dc)
  let confidential: OrderBody; // led by 城管局, the citizen asked for confidentiality

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    const bureau = await d.register('agent1', { citizenName: '王先生', citizenPhone: '13512348494', title: '城管工单' });
    ofBureau = await d.act('dispatcher1', bureau.id, 'dispatch', { leadUnitId: d.unit('cgj'), assistingUnitIds: [d.unit('xc_xh')] });
    ofStreet = await d.dispatched('dc_cy', { citizenPhone: '13900001111', title: '街道工单' });
    confidential = await d.dispatched('cgj', { citizenName: '保密市民', citizenPhone: '13900003333', citizenConfidential: true, title: '保密工单' });
  });

  afterAll(async () => {
    await t.close();
  });

  const ids = (response: { body: { items: OrderBody[] } }) => response.body.items.map((o) => o.id);

  it('a unit user cannot search by phone: looping the hidden digits of 135****8494 answers 403 every time', async () => {
    for (const username of ['cgj_handler', 'cgj_admin', 'xc_xh_handler']) {
      for (const guess of ['13512348494', '135****8494', '13500008494', '135 1234 8494']) {
        const response = await t.get(username, `/api/work-orders?citizenPhone=${encodeURIComponent(guess)}`);
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ statusCode: 403, message: expect.stringMatching(/center staff only/) });
        expect(JSON.stringify(response.body)).not.toContain('13512348494');
      }
    }
  });

  it('center roles still search by phone, confidential orders included', async () => {
    for (const username of ['agent1', 'dispatcher1', 'supervisor1']) {
      const found = await t.get(username, '/api/work-orders?pageSize=100&citizenPhone=13512348494');
      expect(found.status).toBe(200);
      expect(ids(found)).toEqual([ofBureau.id]);
    }
    expect(ids(await t.get('agent1', '/api/work-orders?pageSize=100&citizenPhone=13900003333'))).toEqual([confidential.id]);
  });

  it('the keyword search does not match phone numbers either', async () => {
    const byKeyword = await t.get('cgj_handler', '/api/work-orders?pageSize=100&keyword=8494');
    expect(byKeyword.status).toBe(200);
    expect(ids(byKeyword)).not.toContain(ofBureau.id);
    expect(ids(await t.get('cgj_handler', '/api/work-orders?pageSize=100&keyword=13512348494'))).toEqual([]);
  });

  it('the lead unit reveals the number of its order; the reveal is recorded in the timeline, not in the version', async () => {
    const before = await d.read(ofBureau.id);
    const revealed = await t.post('cgj_handler', `/api/work-orders/${ofBureau.id}/reveal-contact`);
    expect(revealed.status).toBe(200);
    expect(revealed.body).toEqual({ workOrderId: ofBureau.id, citizenName: '王先生', citizenPhone: '13512348494', revealedAt: expect.any(String) });

    const after = await d.read(ofBureau.id);
    expect(after.version).toBe(before.version);
    expect(after.status).toBe(before.status);
    const event = after.timeline.at(-1);
    expect(event).toMatchObject({
      action: 'reveal-contact',
      fromStatus: 'dispatched',
      toStatus: 'dispatched',
      actorRole: 'handler',
      unitId: d.unit('cgj'),
      createdAt: revealed.body.revealedAt,
    });
    expect(JSON.stringify(after.timeline)).not.toContain('13512348494');
    // …and in the audit trail, with the request's correlation id.
    const audit: { actorId: number; action: string; targetType: string; targetId: string; details: string; correlationId: string | null }[] = await t.app
      .get(DataSource)
      .query("SELECT actorId, action, targetType, targetId, details, correlationId FROM audit_events WHERE action = 'work_order.contact.reveal'");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'work_order.contact.reveal', targetType: 'work_order', targetId: String(ofBureau.id), correlationId: revealed.headers['x-correlation-id'] });
    expect(Number(audit[0].actorId)).toBe(event?.actorId);
    expect(JSON.parse(audit[0].details)).toMatchObject({ number: ofBureau.number, unitId: d.unit('cgj') });
    expect(audit[0].details).not.toContain('13512348494');

    // Lists and the detail stay masked for the unit.
    const detail = await t.get('cgj_handler', `/api/work-orders/${ofBureau.id}`);
    expect(detail.body.citizenPhone).toBe('135****8494');
    expect(JSON.stringify((await t.get('cgj_handler', '/api/work-orders?pageSize=100')).body)).not.toContain('13512348494');
  });

  it('others who see the order get 403, those who do not see it 404, and confidential orders are refused', async () => {
    const assisting = await t.post('xc_xh_handler', `/api/work-orders/${ofBureau.id}/reveal-contact`);
    expect(assisting.status).toBe(403);
    expect(assisting.body.message).toMatch(/lead unit/);
    const above = await t.post('dc_handler', `/api/work-orders/${ofStreet.id}/reveal-contact`); // 东城区 sees its street's order
    expect(above.status).toBe(403);
    const center = await t.post('agent1', `/api/work-orders/${ofBureau.id}/reveal-contact`);
    expect(center.status).toBe(403);

    const stranger = await t.post('cgj_handler', `/api/work-orders/${ofStreet.id}/reveal-contact`);
    expect(stranger.status).toBe(404);
    expect((await t.post('cgj_handler', '/api/work-orders/999999/reveal-contact')).status).toBe(404);

    const secret = await t.post('cgj_handler', `/api/work-orders/${confidential.id}/reveal-contact`);
    expect(secret.status).toBe(403);
    expect(secret.body.message).toMatch(/confidentiality/);
    expect(JSON.stringify(secret.body)).not.toContain('13900003333');

    // None of the refusals left a trace in the timeline.
    for (const order of [ofBureau, ofStreet, confidential]) {
      const events = (await d.read(order.id)).timeline.filter((e) => e.action === 'reveal-contact');
      expect(events.every((e) => e.unitId === d.unit('cgj') && e.actorRole === 'handler')).toBe(true);
      expect(events).toHaveLength(order.id === ofBureau.id ? 1 : 0);
    }
  });

  it('a closed order no longer reveals the contact', async () => {
    const order = await d.processing('cgj', { citizenPhone: '13700007777' });
    await d.reply('cgj_handler', order.id, { content: '已处理' });
    await d.act('reviewer1', order.id, 'approve-reply');
    await d.act('callback1', order.id, 'callback', { resolved: true, satisfaction: 'satisfied' });
    const late = await t.post('cgj_handler', `/api/work-orders/${order.id}/reveal-contact`);
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/closed/);
  });

  it('the answers match the OpenAPI document', async () => {
    const api = new OpenApiConformance((await request(t.server).get('/api/docs-json')).body);
    const order = await d.dispatched('cgj', { citizenPhone: '13600006666' });
    const path = '/api/work-orders/{id}/reveal-contact';
    expect(api.problemsOf(path, 'post', await t.post('cgj_handler', `/api/work-orders/${order.id}/reveal-contact`))).toEqual([]);
    expect(api.problemsOf(path, 'post', await t.post('agent1', `/api/work-orders/${order.id}/reveal-contact`))).toEqual([]);
    expect(api.problemsOf(path, 'post', await t.post('dc_handler', `/api/work-orders/${order.id}/reveal-contact`))).toEqual([]);
    expect(api.problemsOf('/api/work-orders', 'get', await t.get('cgj_handler', '/api/work-orders?citizenPhone=13600006666'))).toEqual([]);
  });
});
