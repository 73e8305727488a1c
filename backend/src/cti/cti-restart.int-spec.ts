import { enginesUnderTest, type TestApp } from '../testing/test-app';
import { after, ctiPost, startCtiTestApp } from './cti-testing';

/**
 * The bridge's outbox replays a call's events after the backend restarts (issue 12, "backend stopped during a call"):
 * the first event of a call the database already holds, on a fresh server that has inserted nothing yet, is applied.
 */
describe.each(enginesUnderTest())('CTI events after a backend restart (%s)', (engine) => {
  let t: TestApp;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ t, close } = await startCtiTestApp(engine));
  });

  afterAll(async () => {
    await close();
  });

  it('applies the survey and hangup of a call answered before the restart', async () => {
    const callId = `restart-${engine}-${Date.now()}@pbx.test`;
    const base = new Date(Math.floor(Date.now() / 1000) * 1000 - 600_000);
    await ctiPost(t, '/api/cti/events', { event: 'newCall', callId, from: '13800138000', to: '12345', direction: 'inbound', at: after(base, 0) }).expect(200);
    await ctiPost(t, '/api/cti/events', { event: 'answer', callId, answeringAgent: 'agent1', at: after(base, 10) }).expect(200);

    await t.restart();

    await ctiPost(t, '/api/cti/events', { event: 'survey', callId, digit: '1', at: after(base, 100) }).expect(200);
    await ctiPost(t, '/api/cti/events', { event: 'hangup', callId, cause: 'normalClearing', at: after(base, 110) }).expect(200);
    const list = await t.get('supervisor1', '/api/calls?phone=13800138000');
    expect(list.status).toBe(200);
    const row = (list.body.items as { callId: string; status: string; survey: { digit: string } | null; talkSeconds: number | null }[]).find((item) => item.callId === callId);
    expect(row).toMatchObject({ status: 'answered', survey: { digit: '1' }, talkSeconds: 100 });
  });
});
