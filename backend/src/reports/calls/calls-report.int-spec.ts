import { after, ctiPost, startCtiTestApp } from '../../cti/cti-testing';
import { enginesUnderTest, type TestApp } from '../../testing/test-app';

/** An instant given as the center's local time (Asia/Shanghai, +08:00). */
const local = (text: string) => new Date(`${text}:00+08:00`);

describe.each(enginesUnderTest())('calls report (%s)', (engine) => {
  let t: TestApp;
  let close: () => Promise<void>;

  const event = async (body: Record<string, unknown>) => {
    const response = await ctiPost(t, '/api/cti/events', body);
    expect(response.status).toBe(200);
  };
  const november = async () => {
    const response = await t.get('supervisor1', '/api/reports/calls?month=2026-11');
    expect(response.status).toBe(200);
    return response.body as {
      dataAvailable: boolean;
      totals: { calls: number; answered: number; answeredWithin15s: number; abandoned: number; answerRate: number | null; within15sRate: number | null } | null;
      byDay: { day: string; calls: number; answered: number; abandoned: number }[];
    };
  };

  beforeAll(async () => {
    ({ t, close } = await startCtiTestApp(engine));
    t.clock.set(local('2026-12-02T10:00'));
  }, 120_000);

  afterAll(async () => {
    t.clock.set(null);
    await close();
  });

  it('says "no data yet" while telephony has recorded no call', async () => {
    const report = await november();
    expect(report).toMatchObject({ dataAvailable: false, totals: null, byDay: [] });
  });

  it('counts inbound calls by the center day they started: answered, within 15 s, abandoned (queued or not)', async () => {
    // A: answered after 10 s of waiting; B: answered after 30 s — both on 11-03.
    const a = local('2026-11-03T09:00');
    await event({ event: 'newCall', callId: 'report-a', from: '13800000001', to: '12345', at: a.toISOString() });
    await event({ event: 'queued', callId: 'report-a', at: after(a, 2) });
    await event({ event: 'answer', callId: 'report-a', answeringAgent: 'agent1', at: after(a, 10) });
    await event({ event: 'hangup', callId: 'report-a', at: after(a, 70) });
    const b = local('2026-11-03T10:00');
    await event({ event: 'newCall', callId: 'report-b', from: '13800000002', to: '12345', at: b.toISOString() });
    await event({ event: 'queued', callId: 'report-b', at: after(b, 1) });
    await event({ event: 'answer', callId: 'report-b', answeringAgent: 'agent1', at: after(b, 30) });
    await event({ event: 'hangup', callId: 'report-b', at: after(b, 90) });
    // C: hung up in the queue (abandoned); D: hung up before the queue (missed) — both on 11-04, both count as abandoned here.
    const c = local('2026-11-04T11:00');
    await event({ event: 'newCall', callId: 'report-c', from: '13800000003', to: '12345', at: c.toISOString() });
    await event({ event: 'queued', callId: 'report-c', at: after(c, 1) });
    await event({ event: 'hangup', callId: 'report-c', at: after(c, 20) });
    const dd = local('2026-11-04T12:00');
    await event({ event: 'newCall', callId: 'report-d', from: '13800000004', to: '12345', at: dd.toISOString() });
    await event({ event: 'hangup', callId: 'report-d', cause: 'cancel', at: after(dd, 5) });
    // Not counted: December (local; still November 30th in UTC) and an outbound call.
    const e = local('2026-12-01T00:10');
    await event({ event: 'newCall', callId: 'report-e', from: '13800000005', to: '12345', at: e.toISOString() });
    await event({ event: 'hangup', callId: 'report-e', at: after(e, 5) });
    const f = local('2026-11-05T09:00');
    await event({ event: 'newCall', callId: 'report-f', from: '12345', to: '13800000006', direction: 'outbound', at: f.toISOString() });
    await event({ event: 'hangup', callId: 'report-f', at: after(f, 5) });

    const report = await november();
    expect(report.dataAvailable).toBe(true);
    // 4 calls, 2 answered (1 within 15 s), 2 abandoned.
    expect(report.totals).toEqual({ calls: 4, answered: 2, answeredWithin15s: 1, abandoned: 2, answerRate: 0.5, within15sRate: 0.25 });
    expect(report.byDay).toHaveLength(30);
    expect(report.byDay.find((day) => day.day === '2026-11-03')).toEqual({ day: '2026-11-03', calls: 2, answered: 2, abandoned: 0 });
    expect(report.byDay.find((day) => day.day === '2026-11-04')).toEqual({ day: '2026-11-04', calls: 2, answered: 0, abandoned: 2 });
    expect(report.byDay.filter((day) => day.calls > 0).map((day) => day.day)).toEqual(['2026-11-03', '2026-11-04']);
  });
});
