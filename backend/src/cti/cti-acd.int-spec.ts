import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { OpenApiConformance } from '../testing/openapi-conformance';
import type { AuthUser } from '../auth/auth-user';
import { UnprocessableException } from '../common/exceptions';
import { enginesUnderTest, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';
import { AcdService } from './acd.service';
import { after, connectConsole, ctiPost, CTI_TOKEN, startCtiTestApp } from './cti-testing';
import { AgentStateRow } from './entities/agent-state.entity';

interface Agent {
  user: AuthUser;
  extension: string;
}

describe.each(enginesUnderTest())('ACD: agents’ states, routing, screen pop (%s)', (engine) => {
  let t: TestApp;
  let close: () => Promise<void>;
  let d: WorkOrderDriver;
  let acd: AcdService;
  let url: string;
  const sockets: Socket[] = [];
  /** agent1, agent2 (demo accounts, 8001, 8002) and four agents created here (8003–8006). */
  const agents: Agent[] = [];
  let base: Date;
  let sequence = 0;
  const newCallId = () => `acd-${engine}-${Date.now()}-${++sequence}`;

  const put = async (username: string, path: string, body: object) => request(t.server).put(path).set('Authorization', `Bearer ${await t.token(username)}`).send(body);
  const route = (callId: string) => ctiPost(t, `/api/cti/calls/${encodeURIComponent(callId)}/route`);
  const event = (body: Record<string, unknown>) => ctiPost(t, '/api/cti/events', body);
  const stateOf = async (userId: number) => t.app.get(DataSource).getRepository(AgentStateRow).findOneByOrFail({ userId });
  /** A console of the user: a socket that records what it is pushed and can wait for the next push of a kind. */
  const listen = async (username: string) => {
    const console = await connectConsole(url, await t.token(username));
    sockets.push(console.socket);
    return console;
  };
  /** Sets the clock `seconds` after base (the ACD's own times: since, idleSince). */
  const at = (seconds: number) => t.clock.set(new Date(base.getTime() + seconds * 1000));
  /** The agents become ready in this order, one minute apart (the first is idle the longest). */
  async function readyInOrder(...ready: Agent[]): Promise<void> {
    for (const [i, agent] of ready.entries()) {
      at(i * 60);
      await acd.setOwnState(agent.user, 'ready');
    }
  }

  beforeAll(async () => {
    ({ t, close } = await startCtiTestApp(engine));
    d = await new WorkOrderDriver(t).load();
    acd = t.app.get(AcdService);
    for (const username of ['agent1', 'agent2']) {
      const me = (await t.get(username, '/api/me')).body as AuthUser;
      agents.push({ user: me, extension: `800${agents.length + 1}` });
    }
    for (let i = 3; i <= 6; i++) {
      const created = await t.post('admin', '/api/users', { username: `acd_agent${i}_${engine}`, displayName: `话务员${i}`, role: 'agent', unitId: d.unit('center') });
      expect(created.status).toBe(201);
      const user = created.body.user as AuthUser;
      agents.push({ user: { ...user, unitName: '' }, extension: `800${i}` });
    }
    for (const agent of agents) {
      expect((await put('admin', `/api/cti/agent-phones/${agent.extension}`, { userId: agent.user.id, password: `secret-${agent.extension}` })).status).toBe(200);
    }
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await close();
  });

  beforeEach(async () => {
    base = new Date(Math.floor(Date.now() / 1000) * 1000 - 3600 * 1000);
    // Every agent away and free: each test sets up its own ready agents.
    await t.app.get(DataSource).getRepository(AgentStateRow).createQueryBuilder().update().set({ state: 'away', currentCallId: null }).execute();
  });

  afterEach(() => t.clock.set(null));

  it('offers a call to the ready agent idle the longest, the next call to the next; nobody ready → 409 queued', async () => {
    const [agent1, agent2] = agents;
    await readyInOrder(agent2, agent1);
    at(120);
    const first = newCallId();
    await event({ event: 'newCall', callId: first, from: '13800001111', at: after(base, 100) }).expect(200);
    const offered = await route(first);
    expect(offered.status).toBe(200);
    expect(offered.body).toEqual({ callId: first, agent: { id: agent2.user.id, username: 'agent2', displayName: '话务员李娜' }, extension: '8002', ringTimeoutSeconds: 15 });
    expect(await stateOf(agent2.user.id)).toMatchObject({ state: 'ringing', currentCallId: first, since: new Date(base.getTime() + 120_000) });
    // Asked again while it rings: the same agent.
    expect((await route(first)).body.agent.id).toBe(agent2.user.id);

    const second = newCallId();
    expect((await route(second)).body).toMatchObject({ agent: { id: agent1.user.id }, extension: '8001' });
    const third = await route(newCallId());
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({ message: 'No agent is ready: the caller stays in the queue', details: { queued: true } });
  });

  it('an answer puts the agent in the call; the hangup makes them ready at the end of the idle order', async () => {
    const [agent1, agent2] = agents;
    await readyInOrder(agent1, agent2);
    at(120);
    const callId = newCallId();
    await event({ event: 'newCall', callId, from: '13800002222', at: after(base, 110) }).expect(200);
    expect((await route(callId)).body.agent.id).toBe(agent1.user.id);
    const whileRinging = await put('agent1', '/api/cti/agents/me/state', { state: 'busy' });
    expect(whileRinging.status).toBe(409);
    expect(whileRinging.body.message).toMatch(/A call is ringing at your phone/);

    await event({ event: 'answer', callId, answeringAgent: '8001', at: after(base, 125) }).expect(200);
    expect(await stateOf(agent1.user.id)).toMatchObject({ state: 'busy', currentCallId: callId });
    const inCall = await put('agent1', '/api/cti/agents/me/state', { state: 'away' });
    expect(inCall.status).toBe(409);
    expect(inCall.body.message).toBe('You are in a call: you are ready again when it ends');

    const ended = await event({ event: 'hangup', callId, at: after(base, 245) });
    expect(ended.body.call).toMatchObject({ status: 'answered', waitSeconds: 15, talkSeconds: 120 });
    expect(await stateOf(agent1.user.id)).toMatchObject({ state: 'ready', currentCallId: null, idleSince: new Date(base.getTime() + 245_000), lastCallEndedAt: new Date(base.getTime() + 245_000) });
    // agent2 has been idle since base+60, agent1 only since the call ended.
    expect((await route(newCallId())).body.agent.id).toBe(agent2.user.id);
    expect((await route(newCallId())).body.agent.id).toBe(agent1.user.id);
  });

  it('no answer: the agent is set away and the call offered to the next ready agent, until nobody is left (409 queued)', async () => {
    const [agent1, agent2] = agents;
    await readyInOrder(agent1, agent2);
    at(120);
    const callId = newCallId();
    expect((await route(callId)).body.agent.id).toBe(agent1.user.id);
    const next = await ctiPost(t, `/api/cti/calls/${callId}/no-answer`);
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ agent: { id: agent2.user.id }, extension: '8002' });
    expect(await stateOf(agent1.user.id)).toMatchObject({ state: 'away', currentCallId: null });
    const none = await ctiPost(t, `/api/cti/calls/${callId}/no-answer`);
    expect(none.status).toBe(409);
    expect(none.body.details).toMatchObject({ queued: true });
    expect(await stateOf(agent2.user.id)).toMatchObject({ state: 'away', currentCallId: null });
  });

  it('the caller hangs up while it rings: the agent is ready again and keeps their place; an ended call is not routed', async () => {
    const [agent1, agent2] = agents;
    await readyInOrder(agent1, agent2);
    at(120);
    const callId = newCallId();
    await event({ event: 'newCall', callId, from: '13800003333', at: after(base, 115) }).expect(200);
    await event({ event: 'queued', callId, at: after(base, 118) }).expect(200);
    expect((await route(callId)).body.agent.id).toBe(agent1.user.id);
    const hangup = await event({ event: 'hangup', callId, at: after(base, 125) });
    expect(hangup.body.call.status).toBe('abandoned');
    expect(await stateOf(agent1.user.id)).toMatchObject({ state: 'ready', currentCallId: null, idleSince: base });
    const again = await route(callId);
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('The call has ended: there is nobody to connect');
    expect((await route(newCallId())).body.agent.id).toBe(agent1.user.id);
  });

  it('calls routed at the same moment never get the same agent; one call routed twice at once rings at one agent', async () => {
    await readyInOrder(...agents);
    at(600);
    const results = await Promise.all(Array.from({ length: 8 }, () => route(newCallId())));
    const offered = results.filter((r) => r.status === 200).map((r) => r.body.agent.id as number);
    expect(offered).toHaveLength(agents.length);
    expect(new Set(offered).size).toBe(agents.length);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.details)).toEqual([{ queued: true, queueLength: expect.any(Number) }, { queued: true, queueLength: expect.any(Number) }]);

    await t.app.get(DataSource).getRepository(AgentStateRow).createQueryBuilder().update().set({ state: 'away', currentCallId: null }).execute();
    await readyInOrder(agents[0], agents[1], agents[2]);
    const callId = newCallId();
    const same = await Promise.all(Array.from({ length: 5 }, () => route(callId)));
    expect(same.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(same.map((r) => r.body.agent.id)).size).toBe(1);
    const ringing = await t.app.get(DataSource).getRepository(AgentStateRow).find({ where: { state: 'ringing' } });
    expect(ringing.map((row) => row.currentCallId)).toEqual([callId]);
  });

  it('agents set their own state: only agents (403), a known state (400), ready only with an extension (422)', async () => {
    const ready = await put('agent1', '/api/cti/agents/me/state', { state: 'ready' });
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ username: 'agent1', extension: '8001', state: 'ready', currentCallId: null });
    expect((await t.get('agent1', '/api/cti/agents/me/state')).body.state).toBe('ready');
    expect((await put('agent1', '/api/cti/agents/me/state', { state: 'ringing' })).body.message).toBe('state must be one of ready, busy, away');
    expect((await put('dispatcher1', '/api/cti/agents/me/state', { state: 'ready' })).status).toBe(403);
    const created = await t.post('admin', '/api/users', { username: `acd_nophone_${engine}`, displayName: '无分机话务员', role: 'agent', unitId: d.unit('center') });
    const phoneless: AuthUser = { ...(created.body.user as AuthUser), unitName: '' };
    await expect(acd.setOwnState(phoneless, 'ready')).rejects.toThrow(UnprocessableException);
    await expect(acd.setOwnState(phoneless, 'away')).resolves.toMatchObject({ state: 'away', extension: null });
  });

  it('pushes the screen pop to the offered agent only: the caller’s number, their earlier orders and open ones', async () => {
    const agent1 = await listen('agent1');
    const agent2 = await listen('agent2');
    const older = await d.register('agent1', { citizenPhone: '13912345678', title: '小区噪音扰民' });
    const newer = await d.register('agent1', { citizenPhone: '139-1234-5678', title: '路面坑洼' });
    await d.act('agent1', older.id, 'invalidate', { reasonCode: 'test_call', reason: '测试来电' });
    await readyInOrder(agents[0], agents[1]);
    at(120);
    const callId = newCallId();
    const created = await event({ event: 'newCall', callId, from: '13912345678', to: '12345', at: after(base, 119) });
    const popped = agent1.next('cti.screenPop');
    expect((await route(callId)).body.agent.id).toBe(agents[0].user.id);
    const order = (o: { id: number; number: string }, title: string) => ({ id: o.id, number: o.number, title, status: expect.any(String), createdAt: expect.any(String) });
    expect(await popped).toEqual({
      callId,
      callRecordId: created.body.call.id,
      userId: agents[0].user.id,
      extension: '8001',
      fromNumber: '13912345678',
      toNumber: '12345',
      offeredAt: new Date(base.getTime() + 120_000).toISOString(),
      earlierOrders: [order(newer, '路面坑洼'), { ...order(older, '小区噪音扰民'), status: 'invalid' }],
      earlierOrdersTotal: 2,
      // The invalid one is finished, and the detector (off here) put it in no matter: only the open one.
      repeatCandidates: [{ ...order(newer, '路面坑洼'), status: 'registered', matterId: null, matterOpen: true, repeatOfId: null }],
    });
    // The same, read again by a console (re)loaded while it rings; not for another agent.
    const again = await t.get('agent1', `/api/calls/${created.body.call.id}/screen-pop`);
    expect(again.status).toBe(200);
    const api = new OpenApiConformance((await request(t.server).get('/api/docs-json')).body);
    expect(api.problemsOf('/api/calls/{id}/screen-pop', 'get', again)).toEqual([]);
    expect(api.problemsOf('/api/cti/agents/me/state', 'get', await t.get('agent1', '/api/cti/agents/me/state'))).toEqual([]);
    expect(api.problemsOf('/api/cti/live', 'get', await t.get('supervisor1', '/api/cti/live'))).toEqual([]);
    expect(again.body).toEqual(agent1.received('cti.screenPop')[0]);
    expect((await t.get('agent2', `/api/calls/${created.body.call.id}/screen-pop`)).status).toBe(403);
    expect(agent2.received('cti.screenPop')).toEqual([]);
  });

  it('GET /api/calls/{id}/screen-pop: for the agent who answered too (after the call), 403 for others, 404 unknown', async () => {
    await readyInOrder(agents[0], agents[1]);
    at(120);
    const callId = newCallId();
    const created = await event({ event: 'newCall', callId, from: '13700001111', at: after(base, 118) });
    expect((await route(callId)).body.agent.id).toBe(agents[0].user.id);
    // agent2 answers it at another phone (a PBX may): the offer to agent1 is withdrawn.
    await event({ event: 'answer', callId, answeringAgent: 'agent2', at: after(base, 125) }).expect(200);
    expect((await t.get('agent1', `/api/calls/${created.body.call.id}/screen-pop`)).status).toBe(403);
    await event({ event: 'hangup', callId, at: after(base, 185) }).expect(200);
    const pop = await t.get('agent2', `/api/calls/${created.body.call.id}/screen-pop`);
    expect(pop.status).toBe(200);
    expect(pop.body).toMatchObject({ callId, userId: agents[1].user.id, extension: '8002', fromNumber: '13700001111', offeredAt: new Date(base.getTime() + 120_000).toISOString(), earlierOrders: [], repeatCandidates: [] });
    expect((await t.get('supervisor1', `/api/calls/${created.body.call.id}/screen-pop`)).status).toBe(403);
    expect((await t.get('dc_handler', `/api/calls/${created.body.call.id}/screen-pop`)).status).toBe(403);
    expect((await t.get('agent2', '/api/calls/999999/screen-pop')).status).toBe(404);
  });

  it('pushes cti.agentState to the agent as the state changes: own PUT, offered, answered, hung up, missed offer', async () => {
    const agent1 = await listen('agent1');
    await readyInOrder(agents[0]);
    at(120);
    const callId = newCallId();
    await event({ event: 'newCall', callId, from: '13600002222', at: after(base, 110) }).expect(200);
    const record = (await t.get('supervisor1', `/api/calls?phone=13600002222`)).body.items[0] as { id: number };
    const ringing = agent1.next('cti.agentState', (s) => s.state === 'ringing');
    await route(callId).expect(200);
    expect(await ringing).toMatchObject({ userId: agents[0].user.id, extension: '8001', state: 'ringing', currentCallId: callId, currentCallRecordId: record.id });
    const busy = agent1.next('cti.agentState', (s) => s.state === 'busy');
    await event({ event: 'answer', callId, answeringAgent: '8001', at: after(base, 125) }).expect(200);
    expect(await busy).toMatchObject({ state: 'busy', currentCallId: callId, currentCallRecordId: record.id });
    const ready = agent1.next('cti.agentState', (s) => s.state === 'ready');
    await event({ event: 'hangup', callId, at: after(base, 185) }).expect(200);
    expect(await ready).toMatchObject({ state: 'ready', currentCallId: null, currentCallRecordId: null, lastCallEndedAt: after(base, 185) });

    const missed = newCallId();
    await route(missed).expect(200);
    const away = agent1.next('cti.agentState', (s) => s.state === 'away');
    expect((await ctiPost(t, `/api/cti/calls/${missed}/no-answer`)).status).toBe(409);
    expect(await away).toMatchObject({ state: 'away', currentCallId: null });
    const pushed = agent1.received('cti.agentState');
    // Every push is newer than the one before, and the last is what GET answers.
    expect(pushed.map((s) => s.version)).toEqual([...pushed.map((s) => s.version)].sort((a, b) => a - b));
    expect(new Set(pushed.map((s) => s.version)).size).toBe(pushed.length);
    expect((await t.get('agent1', '/api/cti/agents/me/state')).body).toEqual(pushed[pushed.length - 1]);
  });

  it('lists the accounts that answer calls for the call list’s agent filter (center staff only)', async () => {
    const listed = await t.get('dispatcher1', '/api/calls/agents');
    expect(listed.status).toBe(200);
    expect(new OpenApiConformance((await request(t.server).get('/api/docs-json')).body).problemsOf('/api/calls/agents', 'get', listed)).toEqual([]);
    expect(listed.body).toEqual(expect.arrayContaining([{ id: agents[0].user.id, username: 'agent1', displayName: '话务员张敏' }, { id: agents[1].user.id, username: 'agent2', displayName: '话务员李娜' }]));
    expect((listed.body as { username: string }[]).every((a) => !['dispatcher1', 'admin'].includes(a.username))).toBe(true);
    expect((await t.get('dc_handler', '/api/calls/agents')).status).toBe(403);
  });

  it('shows supervisors the live calls, the queue and every agent’s state (not agents: 403)', async () => {
    await readyInOrder(agents[0]);
    at(120);
    const routed = newCallId();
    await event({ event: 'newCall', callId: routed, from: '13800004444', at: after(base, 100) }).expect(200);
    await event({ event: 'queued', callId: routed, at: after(base, 101) }).expect(200);
    await route(routed).expect(200);
    const waiting = newCallId();
    await event({ event: 'newCall', callId: waiting, from: '13800005555', at: after(base, 110) }).expect(200);
    await event({ event: 'queued', callId: waiting, at: after(base, 111) }).expect(200);
    const live = await t.get('supervisor1', '/api/cti/live');
    expect(live.status).toBe(200);
    const calls = (live.body.calls as { callId: string; status: string }[]).filter((c) => [routed, waiting].includes(c.callId));
    expect(calls).toEqual([expect.objectContaining({ callId: routed, status: 'queued' }), expect.objectContaining({ callId: waiting, status: 'queued' })]);
    expect(live.body.queueLength).toBeGreaterThanOrEqual(2);
    expect(live.body.agents).toEqual(expect.arrayContaining([expect.objectContaining({ username: 'agent1', extension: '8001', state: 'ringing', currentCallId: routed })]));
    expect((await t.get('agent1', '/api/cti/live')).status).toBe(403);
  });

  it('administrators manage extensions; the registrar gets HA1 = MD5(extension:realm:password), never the password', async () => {
    const list = await t.get('admin', '/api/cti/agent-phones');
    expect(list.status).toBe(200);
    expect(list.body[0]).toEqual({ extension: '8001', userId: agents[0].user.id, username: 'agent1', displayName: '话务员张敏', realm: 'jiesu', realmIsCurrent: true, updatedAt: expect.any(String) });
    expect(JSON.stringify(list.body)).not.toMatch(/ha1|secret/);
    const credentials = await request(t.server).get('/api/cti/registrar/credentials/8001').set('X-CTI-Token', CTI_TOKEN);
    expect(credentials.body).toEqual({ extension: '8001', ha1: createHash('md5').update('8001:jiesu:secret-8001').digest('hex'), realm: 'jiesu', userId: agents[0].user.id });

    expect((await put('admin', '/api/cti/agent-phones/8099', { userId: agents[0].user.id })).body.message).toBe('Extension 8099 is new: give its SIP password');
    expect((await put('admin', '/api/cti/agent-phones/8099', { userId: agents[0].user.id, password: 'another-secret' })).status).toBe(409);
    const dispatcher = (await t.get('dispatcher1', '/api/me')).body as AuthUser;
    expect((await put('admin', '/api/cti/agent-phones/8099', { userId: dispatcher.id, password: 'another-secret' })).status).toBe(422);
    expect((await put('admin', '/api/cti/agent-phones/ab', { userId: agents[0].user.id, password: 'another-secret' })).body.message).toBe('The extension must be 2 to 16 digits');
    expect((await put('admin', '/api/cti/agent-phones/8001', { userId: agents[0].user.id, password: 'short' })).status).toBe(400);
    expect((await put('agent1', '/api/cti/agent-phones/8001', { userId: agents[0].user.id, password: 'another-secret' })).status).toBe(403);

    // A new password changes the HA1; removing the extension takes the agent offline.
    expect((await put('admin', '/api/cti/agent-phones/8006', { userId: agents[5].user.id, password: 'changed-secret' })).status).toBe(200);
    expect((await request(t.server).get('/api/cti/registrar/credentials/8006').set('X-CTI-Token', CTI_TOKEN)).body.ha1).toBe(createHash('md5').update('8006:jiesu:changed-secret').digest('hex'));
    const removed = await request(t.server).delete('/api/cti/agent-phones/8006').set('Authorization', `Bearer ${await t.token('admin')}`);
    expect(removed.status).toBe(204);
    expect((await request(t.server).get('/api/cti/registrar/credentials/8006').set('X-CTI-Token', CTI_TOKEN)).status).toBe(404);
    expect(await stateOf(agents[5].user.id)).toMatchObject({ state: 'offline' });
    expect((await request(t.server).delete('/api/cti/agent-phones/8006').set('Authorization', `Bearer ${await t.token('admin')}`)).status).toBe(404);
    expect((await put('admin', '/api/cti/agent-phones/8006', { userId: agents[5].user.id, password: 'changed-secret' })).status).toBe(200);
  });
});
