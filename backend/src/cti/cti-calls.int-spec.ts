import request from 'supertest';
import { DataSource } from 'typeorm';
import { enginesUnderTest, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';
import { after, ctiPost, CTI_TOKEN, startCtiTestApp } from './cti-testing';
import { CallEvent } from './entities/call-event.entity';
import { wavHeader } from './wav-header';

interface CallBody {
  id: number;
  callId: string;
  status: string;
  cause: string | null;
  fromNumber: string | null;
  toNumber: string | null;
  direction: string;
  startedAt: string;
  ringingAt: string | null;
  queuedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  waitSeconds: number | null;
  talkSeconds: number | null;
  answeringAgent: { id: number; displayName: string } | null;
  answeringExtension: string | null;
  recording: { url: string; bytes: number; durationSeconds: number; uploadedAt: string } | null;
  survey: { digit: string; rating: string | null } | null;
  calledBackAt: string | null;
  calledBackBy: { id: number; displayName: string } | null;
  workOrders: { id: number; number: string; linkedBy: { id: number } }[];
}

describe.each(enginesUnderTest())('CTI events, call records, recordings (%s)', (engine) => {
  let t: TestApp;
  let close: () => Promise<void>;
  let d: WorkOrderDriver;
  let base: Date;
  let sequence = 0;
  /** A call id no other test uses. */
  const newCallId = () => `call-${engine}-${Date.now()}-${++sequence}@pbx.test`;

  beforeAll(async () => {
    ({ t, close } = await startCtiTestApp(engine, { CTI_RECORDING_MAX_BYTES: '65536' }));
    d = await new WorkOrderDriver(t).load();
    const me = await t.get('agent1', '/api/me');
    await request(t.server).put('/api/cti/agent-phones/8001').set('Authorization', `Bearer ${await t.token('admin')}`).send({ userId: me.body.id, password: 'sip-secret-8001' }).expect(200);
  });

  afterAll(async () => {
    await close();
  });

  beforeEach(() => {
    // An hour ago, to the millisecond: every event's `at` lies in the past of the server's clock.
    base = new Date(Math.floor(Date.now() / 1000) * 1000 - 3600 * 1000);
  });

  const event = (body: Record<string, unknown>) => ctiPost(t, '/api/cti/events', body);
  const call = async (id: number): Promise<CallBody> => {
    const response = await t.get('supervisor1', `/api/calls/${id}`);
    expect(response.status).toBe(200);
    return response.body as CallBody;
  };

  it('builds an answered call from its events, with the waiting and talking times of the events, and the survey', async () => {
    const callId = newCallId();
    const agent1 = (await t.get('agent1', '/api/me')).body as { id: number; displayName: string };
    expect((await event({ event: 'newCall', callId, from: '138-0013 8000', to: '12345', at: after(base, 0) })).body).toMatchObject({ duplicate: false, call: { status: 'ringing', fromNumber: '13800138000' } });
    expect((await event({ event: 'queued', callId, at: after(base, 8) })).body.call.status).toBe('queued');
    const answered = await event({ event: 'answer', callId, answeringAgent: '8001', at: after(base, 21.25) });
    expect(answered.status).toBe(200);
    expect(answered.body.call).toMatchObject({ status: 'answered', waitSeconds: 21, talkSeconds: null, answeringAgent: { id: agent1.id, displayName: agent1.displayName }, answeringExtension: '8001' });
    await event({ event: 'survey', callId, digit: '2', at: after(base, 190) }).expect(200);
    const ended = await event({ event: 'hangup', callId, cause: 'normalClearing', at: after(base, 185.25) });
    expect(ended.body.call).toMatchObject({
      callId,
      direction: 'inbound',
      toNumber: '12345',
      status: 'answered',
      cause: 'normalClearing',
      startedAt: after(base, 0),
      ringingAt: after(base, 0),
      queuedAt: after(base, 8),
      answeredAt: after(base, 21.25),
      endedAt: after(base, 185.25),
      waitSeconds: 21,
      talkSeconds: 164,
      survey: { digit: '2', rating: 'basically_satisfied' },
      recording: null,
      workOrders: [],
    });
    expect(await call(ended.body.call.id)).toMatchObject({ status: 'answered', waitSeconds: 21, talkSeconds: 164 });
  });

  it('ignores a repeated event (200, duplicate: true) and keeps one row, also for identical events sent at once', async () => {
    const callId = newCallId();
    await event({ event: 'newCall', callId, from: '13800000001', at: after(base, 0) }).expect(200);
    const again = await event({ event: 'newCall', callId, from: '13899999999', at: after(base, 5) });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, call: { fromNumber: '13800000001', ringingAt: after(base, 0) } });

    const burst = await Promise.all(Array.from({ length: 8 }, () => event({ event: 'hangup', callId, cause: 'cancel', at: after(base, 7) })));
    expect(burst.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(burst.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(burst.filter((r) => r.body.duplicate === true)).toHaveLength(7);
    const rows = await t.app.get(DataSource).getRepository(CallEvent).find({ where: { callId } });
    expect(rows.map((row) => row.event).sort()).toEqual(['hangup', 'newCall']);
    expect(rows.find((row) => row.event === 'hangup')?.occurredAt.toISOString()).toBe(after(base, 7));
    expect((await call(burst[0].body.call.id)).status).toBe('missed');
  });

  it('gives the same record when the events arrive out of order (hangup, answer, newCall replayed)', async () => {
    const callId = newCallId();
    const hangup = await event({ event: 'hangup', callId, at: after(base, 130) });
    expect(hangup.body.call).toMatchObject({ status: 'missed', fromNumber: null, startedAt: after(base, 130), waitSeconds: null });
    const answer = await event({ event: 'answer', callId, answeringAgent: 'agent1', at: after(base, 10) });
    expect(answer.body.call).toMatchObject({ status: 'answered', talkSeconds: 120, waitSeconds: null, answeringExtension: '8001' });
    const newCall = await event({ event: 'newCall', callId, from: '13800000002', to: '12345', at: after(base, 0) });
    expect(newCall.body.call).toMatchObject({ status: 'answered', fromNumber: '13800000002', startedAt: after(base, 0), waitSeconds: 10, talkSeconds: 120, cause: 'normalClearing' });
    // The agent is not left in a call that has ended.
    expect((await t.get('agent1', '/api/cti/agents/me/state')).body).toMatchObject({ currentCallId: null });
  });

  it('tells missed from abandoned; both wait on the call-back list until called back', async () => {
    const missedId = newCallId();
    await event({ event: 'newCall', callId: missedId, from: '13800000003', at: after(base, 100) }).expect(200);
    const missed = (await event({ event: 'hangup', callId: missedId, cause: 'cancel', at: after(base, 106) })).body.call as CallBody;
    expect(missed).toMatchObject({ status: 'missed', cause: 'cancel', waitSeconds: 6, talkSeconds: null });

    const abandonedId = newCallId();
    await event({ event: 'newCall', callId: abandonedId, from: '13800000004', at: after(base, 200) }).expect(200);
    await event({ event: 'queued', callId: abandonedId, at: after(base, 210) }).expect(200);
    const abandoned = (await event({ event: 'hangup', callId: abandonedId, at: after(base, 300) })).body.call as CallBody;
    expect(abandoned).toMatchObject({ status: 'abandoned', cause: 'normalClearing', waitSeconds: 100 });

    const list = await t.get('agent1', '/api/calls/missed?pageSize=100');
    expect(list.status).toBe(200);
    const ids = (list.body.items as CallBody[]).map((c) => c.id);
    expect(ids.indexOf(abandoned.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(abandoned.id)).toBeLessThan(ids.indexOf(missed.id)); // newest first

    const calledBack = await t.post('agent1', `/api/calls/${missed.id}/called-back`);
    expect(calledBack.status).toBe(200);
    expect(calledBack.body).toMatchObject({ calledBackBy: { displayName: '话务员张敏' } });
    const ids2 = ((await t.get('agent1', '/api/calls/missed?pageSize=100')).body.items as CallBody[]).map((c) => c.id);
    expect(ids2).not.toContain(missed.id);
    expect(ids2).toContain(abandoned.id);
    const twice = await t.post('agent2', `/api/calls/${missed.id}/called-back`);
    expect(twice.status).toBe(409);
    expect(twice.body.message).toMatch(/already called back by 话务员张敏/);
  });

  it('a failed call is failed, not missed, and an answered call cannot be called back', async () => {
    const callId = newCallId();
    await event({ event: 'newCall', callId, from: '13800000005', at: after(base, 0) }).expect(200);
    const failed = (await event({ event: 'hangup', callId, cause: 'failed', at: after(base, 1) })).body.call as CallBody;
    expect(failed.status).toBe('failed');
    const refused = await t.post('agent1', `/api/calls/${failed.id}/called-back`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe('Only a missed or abandoned call is called back; this call is failed');
  });

  it('refuses bad events with 400 and a message that names the problem', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ callId: 'x1' }, /event must be one of newCall, queued, answer, hangup, survey/],
      [{ event: 'ring', callId: 'x1' }, /event must be one of/],
      [{ event: 'hangup' }, /callId must be text/],
      [{ event: 'hangup', callId: 'has space' }, /callId must be printable ASCII without spaces/],
      [{ event: 'hangup', callId: 'x'.repeat(129) }, /callId must be at most 128 characters/],
      [{ event: 'newCall', callId: 'x1' }, /from must be text \(the caller’s number\), required for newCall/],
      [{ event: 'answer', callId: 'x1' }, /answeringAgent must be text .*required for answer/],
      [{ event: 'survey', callId: 'x1', digit: 'x' }, /digit must be one key: 0-9, \* or #/],
      [{ event: 'survey', callId: 'x1' }, /required for survey/],
      [{ event: 'hangup', callId: 'x1', cause: 'bored' }, /cause must be one of normalClearing, busy, cancel, noAnswer, failed/],
      [{ event: 'hangup', callId: 'x1', at: 'yesterday' }, /at must be an RFC 3339 date-time/],
      [{ event: 'hangup', callId: 'x1', at: new Date(Date.now() + 3600_000).toISOString() }, /more than 5 minutes ahead of the server's clock/],
      [{ event: 'hangup', callId: 'x1', agent: 'me' }, /property agent should not exist/],
    ];
    for (const [body, message] of cases) {
      const response = await event(body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(response.body.message).toMatch(message);
    }
    expect((await t.get('supervisor1', '/api/calls?pageSize=100')).body.items.map((c: CallBody) => c.callId)).not.toContain('x1');
  });

  it('answers 401 without the token or with a wrong one, and never to a user’s access token', async () => {
    const body = { event: 'hangup', callId: 'x2' };
    expect((await request(t.server).post('/api/cti/events').send(body)).status).toBe(401);
    expect((await request(t.server).post('/api/cti/events').set('Authorization', 'Bearer wrong-token-wrong-token').send(body)).status).toBe(401);
    expect((await request(t.server).post('/api/cti/events').set('Authorization', `Bearer ${await t.token('admin')}`).send(body)).status).toBe(401);
    expect((await request(t.server).post('/api/cti/events').set('X-CTI-Token', CTI_TOKEN).send({ event: 'newCall', callId: newCallId(), from: '1' })).status).toBe(200);
    expect((await request(t.server).get('/api/cti/registrar/credentials/8001')).status).toBe(401);
  });

  it('lists calls for the center with filters, never for units (403)', async () => {
    const callId = newCallId();
    const agent1 = (await t.get('agent1', '/api/me')).body as { id: number };
    await event({ event: 'newCall', callId, from: '13877776666', at: after(base, 500) }).expect(200);
    await event({ event: 'answer', callId, answeringAgent: '8001', at: after(base, 505) }).expect(200);
    await event({ event: 'hangup', callId, at: after(base, 565) }).expect(200);
    const query = `from=${encodeURIComponent(after(base, 499))}&to=${encodeURIComponent(after(base, 501))}`;
    const inPeriod = await t.get('supervisor1', `/api/calls?${query}`);
    expect(inPeriod.status).toBe(200);
    expect(inPeriod.body).toMatchObject({ total: 1, page: 1, pageSize: 20, items: [{ callId, status: 'answered', talkSeconds: 60 }] });
    expect((await t.get('dispatcher1', '/api/calls?phone=138-7777-6666')).body.items.map((c: CallBody) => c.callId)).toEqual([callId]);
    expect((await t.get('agent1', `/api/calls?agentId=${agent1.id}&status=answered&pageSize=100`)).body.items.map((c: CallBody) => c.callId)).toContain(callId);
    expect((await t.get('agent1', '/api/calls?status=missed&pageSize=100')).body.items.map((c: CallBody) => c.callId)).not.toContain(callId);
    expect((await t.get('dc_handler', '/api/calls')).status).toBe(403);
    expect((await t.get('dc_admin', '/api/calls/missed')).status).toBe(403);
    const bad = await t.get('supervisor1', '/api/calls?status=lost&from=soon');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/from must be an RFC 3339 date-time.*status must be one of ringing, queued, answered, missed, abandoned, failed|status must be one of.*from must be/);
    expect((await t.get('supervisor1', '/api/calls/999999')).status).toBe(404);
    expect((await t.get('supervisor1', '/api/calls/abc')).body.message).toBe('The call record id must be a whole number');
  });

  it('links a work order registered during the call; 404 for an unknown order or call, 409 when linked already', async () => {
    const callId = newCallId();
    const created = (await event({ event: 'newCall', callId, from: '13812341234', at: after(base, 0) })).body.call as CallBody;
    const order = await d.register('agent1');
    const linked = await t.post('agent1', `/api/calls/${created.id}/work-orders`, { workOrderId: order.id });
    expect(linked.status).toBe(200);
    expect(linked.body.workOrders).toEqual([expect.objectContaining({ id: order.id, number: order.number, title: '朝阳路路灯不亮', linkedBy: { id: expect.any(Number), displayName: '话务员张敏' } })]);
    const again = await t.post('agent1', `/api/calls/${created.id}/work-orders`, { workOrderId: order.id });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe(`Work order ${order.id} is already linked to this call`);
    expect((await t.post('agent1', `/api/calls/${created.id}/work-orders`, { workOrderId: 999999 })).body).toMatchObject({ statusCode: 404, message: 'Work order 999999 does not exist' });
    expect((await t.post('agent1', '/api/calls/999999/work-orders', { workOrderId: order.id })).status).toBe(404);
    expect((await t.post('agent1', `/api/calls/${created.id}/work-orders`, { workOrderId: 'one' })).status).toBe(400);
    expect((await t.post('dc_handler', `/api/calls/${created.id}/work-orders`, { workOrderId: order.id })).status).toBe(403);
    expect((await call(created.id)).workOrders.map((o) => o.id)).toEqual([order.id]);
  });

  describe('recordings', () => {
    const wav = (dataBytes: number) => Buffer.concat([wavHeader(dataBytes), Buffer.from(Array.from({ length: dataBytes }, (_, i) => i % 251))]);
    const upload = (callId: string, body: Buffer, type = 'audio/wav') =>
      request(t.server).post(`/api/cti/calls/${encodeURIComponent(callId)}/recording`).set('Authorization', `Bearer ${CTI_TOKEN}`).set('Content-Type', type).send(body);

    it('stores an uploaded WAV and serves it whole and in ranges (206, 416)', async () => {
      const callId = newCallId();
      await event({ event: 'newCall', callId, from: '13800000006', at: after(base, 0) }).expect(200);
      const file = wav(16000); // 1 s of 8 kHz PCM16
      const stored = await upload(callId, file);
      expect(stored.status).toBe(200);
      const id = stored.body.id as number;
      expect(stored.body.recording).toMatchObject({ url: `/api/calls/${id}/recording`, bytes: 16044, durationSeconds: 1 });

      const whole = await request(t.server).get(`/api/calls/${id}/recording`).set('Authorization', `Bearer ${await t.token('agent1')}`).buffer(true).parse(binary);
      expect(whole.status).toBe(200);
      expect(whole.headers['content-type']).toBe('audio/wav');
      expect(whole.headers['accept-ranges']).toBe('bytes');
      expect(Buffer.compare(whole.body as Buffer, file)).toBe(0);

      const part = await request(t.server).get(`/api/calls/${id}/recording`).set('Authorization', `Bearer ${await t.token('agent1')}`).set('Range', 'bytes=44-143').buffer(true).parse(binary);
      expect(part.status).toBe(206);
      expect(part.headers['content-range']).toBe('bytes 44-143/16044');
      expect(part.headers['content-length']).toBe('100');
      expect(Buffer.compare(part.body as Buffer, file.subarray(44, 144))).toBe(0);

      const tail = await request(t.server).get(`/api/calls/${id}/recording`).set('Authorization', `Bearer ${await t.token('agent1')}`).set('Range', 'bytes=-4').buffer(true).parse(binary);
      expect(tail.status).toBe(206);
      expect(Buffer.compare(tail.body as Buffer, file.subarray(16040))).toBe(0);

      const beyond = await request(t.server).get(`/api/calls/${id}/recording`).set('Authorization', `Bearer ${await t.token('agent1')}`).set('Range', 'bytes=16044-');
      expect(beyond.status).toBe(416);
      expect(beyond.headers['content-range']).toBe('bytes */16044');

      // Sent again (a replay): replaces the first.
      const replaced = await upload(callId, wav(8000));
      expect(replaced.body.recording).toMatchObject({ bytes: 8044, durationSeconds: 0.5 });
      expect(((await request(t.server).get(`/api/calls/${id}/recording`).set('Authorization', `Bearer ${await t.token('agent1')}`).buffer(true).parse(binary)).body as Buffer).length).toBe(8044);
      expect((await t.get('dc_handler', `/api/calls/${id}/recording`)).status).toBe(403);
    });

    it('refuses a body that is not a WAV (415), one over the size limit (413), an empty one (400), and no token (401)', async () => {
      const callId = newCallId();
      const notWav = await upload(callId, Buffer.from('ID3\u0003 an mp3 pretending to be a wav file'));
      expect(notWav.status).toBe(415);
      expect(notWav.body.message).toBe('The body is not a WAV file (no RIFF/WAVE header)');
      const tooLarge = await upload(callId, wav(70000));
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body.message).toMatch(/at most 65536 bytes/);
      expect((await upload(callId, Buffer.alloc(0))).status).toBe(400);
      expect((await request(t.server).post(`/api/cti/calls/${callId}/recording`).set('Content-Type', 'audio/wav').send(wav(100))).status).toBe(401);
      const record = ((await t.get('supervisor1', `/api/calls?pageSize=100`)).body.items as CallBody[]).find((c) => c.callId === callId);
      expect(record?.recording ?? null).toBeNull();
      if (record) expect((await t.get('supervisor1', `/api/calls/${record.id}/recording`)).status).toBe(404);
    });
  });
});

/** Collects a binary body into a Buffer (supertest parses only text and JSON by itself). */
function binary(response: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const stream = response as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
  stream.on('error', (error: Error) => done(error, Buffer.alloc(0)));
}
