import request from 'supertest';
import { DataSource } from 'typeorm';
import { OpenApiConformance } from '../testing/openapi-conformance';
import { enginesUnderTest, type TestApp } from '../testing/test-app';
import { type OrderBody, WorkOrderDriver } from '../testing/work-order-driver';
import { WorkOrderEvent } from '../work-orders/entities/work-order-event.entity';
import { WorkOrdersService } from '../work-orders/work-orders.service';
import { after, ctiPost, startCtiTestApp } from './cti-testing';

interface SurveyedOrder extends Omit<OrderBody, 'timeline'> {
  callSurvey: { rating: string; digit: string; callId: string; ratedAt: string } | null;
  satisfaction: string | null;
  timeline: (OrderBody['timeline'][number] & { actorName: string | null })[];
}

describe.each(enginesUnderTest())('the IVR survey on the calls’ work orders (%s)', (engine) => {
  let t: TestApp;
  let close: () => Promise<void>;
  let d: WorkOrderDriver;
  let base: Date;
  let sequence = 0;
  const newCallId = () => `survey-${engine}-${Date.now()}-${++sequence}@pbx.test`;
  const event = (body: Record<string, unknown>) => ctiPost(t, '/api/cti/events', body);
  const read = async (id: number) => (await d.read(id)) as unknown as SurveyedOrder;
  const surveyEntries = (order: SurveyedOrder) => order.timeline.filter((e) => e.action === 'call-survey');

  /** A call from the phone: newCall, answered, hung up; answers its record id. */
  async function answeredCall(callId: string, phone: string, startSeconds: number): Promise<number> {
    const created = await event({ event: 'newCall', callId, from: phone, to: '12345', at: after(base, startSeconds) });
    await event({ event: 'answer', callId, answeringAgent: '8001', at: after(base, startSeconds + 10) }).expect(200);
    await event({ event: 'hangup', callId, at: after(base, startSeconds + 120) }).expect(200);
    return created.body.call.id as number;
  }

  beforeAll(async () => {
    ({ t, close } = await startCtiTestApp(engine));
    d = await new WorkOrderDriver(t).load();
  });

  afterAll(async () => {
    await close();
  });

  beforeEach(() => {
    base = new Date(Math.floor(Date.now() / 1000) * 1000 - 3600 * 1000);
  });

  it('records the survey on the linked order once: a timeline entry by the system and callSurvey, the version moved on', async () => {
    const callId = newCallId();
    const callRecordId = await answeredCall(callId, '13811110001', 0);
    const order = await d.register('agent1', { citizenPhone: '13811110001' });
    await t.post('agent1', `/api/calls/${callRecordId}/work-orders`, { workOrderId: order.id }).then((r) => expect(r.status).toBe(200));
    expect((await read(order.id)).callSurvey).toBeNull();

    await event({ event: 'survey', callId, digit: '2', at: after(base, 125) }).expect(200);
    const detail = await t.get('supervisor1', `/api/work-orders/${order.id}`);
    expect(new OpenApiConformance((await request(t.server).get('/api/docs-json')).body).problemsOf('/api/work-orders/{id}', 'get', detail)).toEqual([]);
    const surveyed = await read(order.id);
    expect(surveyed.callSurvey).toEqual({ rating: 'basically_satisfied', digit: '2', callId, ratedAt: after(base, 125) });
    expect(surveyed.satisfaction).toBeNull();
    expect(surveyed.version).toBe(order.version + 1);
    expect(surveyEntries(surveyed)).toEqual([
      expect.objectContaining({
        actorId: null,
        actorName: 'system',
        reason: `IVR survey after call ${callId}`,
        fromStatus: 'registered',
        toStatus: 'registered',
        payload: { callId, callRecordId, digit: '2', rating: 'basically_satisfied', ratedAt: after(base, 125) },
      }),
    ]);

    // The bridge replays it (a crash, a lost answer): nothing more.
    expect((await event({ event: 'survey', callId, digit: '2', at: after(base, 125) })).body.duplicate).toBe(true);
    const replayed = await read(order.id);
    expect(replayed.version).toBe(surveyed.version);
    expect(surveyEntries(replayed)).toHaveLength(1);
  });

  it('records a survey given before the link when the order is linked, on every linked order', async () => {
    const callId = newCallId();
    const callRecordId = await answeredCall(callId, '13811110002', 200);
    await event({ event: 'survey', callId, digit: '3', at: after(base, 325) }).expect(200);
    const first = await d.register('agent1', { citizenPhone: '13811110002' });
    const second = await d.register('agent1', { citizenPhone: '13811110002', title: '小区路面坑洼', content: '小区门口路面坑洼，雨天积水，请求修补。' });
    for (const order of [first, second]) {
      expect((await t.post('agent1', `/api/calls/${callRecordId}/work-orders`, { workOrderId: order.id })).status).toBe(200);
      const linked = await read(order.id);
      expect(linked.callSurvey).toEqual({ rating: 'dissatisfied', digit: '3', callId, ratedAt: after(base, 325) });
      expect(surveyEntries(linked)).toHaveLength(1);
    }
    // A survey event replayed after the links changes neither.
    await event({ event: 'survey', callId, digit: '3', at: after(base, 325) }).expect(200);
    for (const order of [first, second]) expect(surveyEntries(await read(order.id))).toHaveLength(1);
  });

  it('a key that rates nothing is kept on the call only', async () => {
    const callId = newCallId();
    const callRecordId = await answeredCall(callId, '13811110003', 400);
    const order = await d.register('agent1', { citizenPhone: '13811110003' });
    await t.post('agent1', `/api/calls/${callRecordId}/work-orders`, { workOrderId: order.id });
    expect((await event({ event: 'survey', callId, digit: '9', at: after(base, 525) })).body.call.survey).toEqual({ digit: '9', rating: null });
    const unrated = await read(order.id);
    expect(unrated.callSurvey).toBeNull();
    expect(unrated.version).toBe(order.version);

  });

  it('the callback’s satisfaction (回访, the handling) stays its own beside the call’s survey', async () => {
    const callId = newCallId();
    const callRecordId = await answeredCall(callId, '13811110008', 700);
    const order = await d.processing('cgj', { citizenPhone: '13811110008' });
    await t.post('agent1', `/api/calls/${callRecordId}/work-orders`, { workOrderId: order.id });
    await event({ event: 'survey', callId, digit: '1', at: after(base, 825) }).expect(200);
    await d.reply('cgj_handler', order.id);
    expect((await d.act('reviewer1', order.id, 'approve-reply')).status).toBe('callback_pending');
    await d.act('callback1', order.id, 'callback', { outcome: 'resolved', satisfaction: 'basically_satisfied', note: '回访' });
    expect(await read(order.id)).toMatchObject({ status: 'closed', satisfaction: 'basically_satisfied', callSurvey: { rating: 'satisfied', callId } });
  });

  it('keeps the newest call’s survey when an older one arrives late; each call once on the timeline', async () => {
    const order = await d.register('agent1', { citizenPhone: '13811110004' });
    const older = newCallId();
    const newer = newCallId();
    const olderRecord = await answeredCall(older, '13811110004', 800);
    const newerRecord = await answeredCall(newer, '13811110004', 1000);
    for (const id of [olderRecord, newerRecord]) await t.post('agent1', `/api/calls/${id}/work-orders`, { workOrderId: order.id });
    await event({ event: 'survey', callId: newer, digit: '1', at: after(base, 1125) }).expect(200);
    await event({ event: 'survey', callId: older, digit: '3', at: after(base, 925) }).expect(200);
    const both = await read(order.id);
    expect(both.callSurvey).toMatchObject({ callId: newer, rating: 'satisfied' });
    expect(surveyEntries(both).map((e) => e.payload?.callId)).toEqual([newer, older]);
  });

  it('loses no concurrent change: an action racing the survey either lands first or gets its 409', async () => {
    const callId = newCallId();
    const callRecordId = await answeredCall(callId, '13811110005', 1200);
    const order = await d.register('agent1', { citizenPhone: '13811110005' });
    await t.post('agent1', `/api/calls/${callRecordId}/work-orders`, { workOrderId: order.id });
    const [survey, dispatch] = await Promise.all([
      event({ event: 'survey', callId, digit: '1', at: after(base, 1325) }),
      t.post('dispatcher1', `/api/work-orders/${order.id}/dispatch`, { version: order.version, leadUnitId: d.unit('cgj') }),
    ]);
    expect(survey.status).toBe(200);
    expect([200, 409]).toContain(dispatch.status);
    const after2 = await read(order.id);
    expect(after2.callSurvey).toMatchObject({ callId, rating: 'satisfied' });
    expect(after2.status).toBe(dispatch.status === 200 ? 'dispatched' : 'registered');
    expect(after2.version).toBe(order.version + (dispatch.status === 200 ? 2 : 1));
    expect(surveyEntries(after2)).toHaveLength(1);
  });

  it('WorkOrdersService.recordCallSurvey: once per call and order; 404 for an unknown order', async () => {
    const sut = t.app.get(WorkOrdersService);
    const order = await d.register('agent1', { citizenPhone: '13811110006' });
    const survey = { rating: 'satisfied' as const, digit: '1', callId: newCallId(), callRecordId: 1, ratedAt: after(base, 1400) };
    const results = await Promise.all([sut.recordCallSurvey(order.id, survey), sut.recordCallSurvey(order.id, survey)]);
    expect(results.sort()).toEqual([false, true]);
    const entries = await t.app.get(DataSource).getRepository(WorkOrderEvent).countBy({ workOrderId: order.id, action: 'call-survey' });
    expect(entries).toBe(1);
    await expect(sut.recordCallSurvey(999999, survey)).rejects.toThrow('Work order 999999 does not exist');
  });

  it('names the linked orders on the call lists’ items', async () => {
    const callId = newCallId();
    const callRecordId = await answeredCall(callId, '13811110007', 1500);
    const order = await d.register('agent1', { citizenPhone: '13811110007' });
    await t.post('agent1', `/api/calls/${callRecordId}/work-orders`, { workOrderId: order.id });
    const listed = await t.get('supervisor1', '/api/calls?phone=13811110007');
    expect(new OpenApiConformance((await request(t.server).get('/api/docs-json')).body).problemsOf('/api/calls', 'get', listed)).toEqual([]);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: callRecordId, workOrders: [{ id: order.id, number: order.number }] })]);
  });
});
