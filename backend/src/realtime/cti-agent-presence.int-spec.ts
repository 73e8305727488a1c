import { EventEmitter2 } from '@nestjs/event-emitter';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'socket.io-client';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { AcdService } from '../cti/acd.service';
import type { AgentStateView } from '../cti/agent-state.view';
import { after, connectConsole, ctiPost, startCtiTestApp } from '../cti/cti-testing';
import { AgentStateRow } from '../cti/entities/agent-state.entity';
import { DEMO_PASSWORD } from '../demo-data/demo-organisation';
import { enginesUnderTest, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';

/** The grace the suite runs with: long enough for a reconnect, short enough to wait for. */
const GRACE_MS = 1000;

describe.each(enginesUnderTest())('agents’ presence: offline after logout or without a console (%s)', (engine) => {
  let t: TestApp;
  let close: () => Promise<void>;
  let url: string;
  let agent1: AuthUser;
  let agent2: AuthUser;
  /** An agent driven over HTTP only (a PBX's agent): never opens a console. */
  let headless: AuthUser;
  const sockets: Socket[] = [];
  let sequence = 0;
  const newCallId = () => `presence-${engine}-${Date.now()}-${++sequence}`;

  /** A fresh session (the tests log out). */
  const login = async (username: string): Promise<string> => {
    const response = await request(t.server).post('/api/auth/login').send({ username, password: DEMO_PASSWORD });
    expect(response.status).toBe(200);
    return response.body.accessToken as string;
  };
  const openConsole = async (token: string) => {
    const console = await connectConsole(url, token);
    sockets.push(console.socket);
    return console;
  };
  const setState = (token: string, state: string) => request(t.server).put('/api/cti/agents/me/state').set('Authorization', `Bearer ${token}`).send({ state });
  const stateOf = (userId: number) => t.app.get(DataSource).getRepository(AgentStateRow).findOneByOrFail({ userId });
  const event = (body: Record<string, unknown>) => ctiPost(t, '/api/cti/events', body);
  /** The next `cti.agentStateChanged` of the user in that state (listened to from now on). */
  function nextState(userId: number, state: string): Promise<AgentStateView> {
    const emitter = t.app.get(EventEmitter2);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        emitter.off('cti.agentStateChanged', listener);
        reject(new Error(`Agent ${userId} did not become ${state} within 10 s`));
      }, 10_000);
      const listener = (view: AgentStateView) => {
        if (view.userId !== userId || view.state !== state) return;
        clearTimeout(timer);
        emitter.off('cti.agentStateChanged', listener);
        resolve(view);
      };
      emitter.on('cti.agentStateChanged', listener);
    });
  }
  /** Waits until the agent's row satisfies the check (the presence work runs beside the request that caused it). */
  async function until(userId: number, check: (row: AgentStateRow) => boolean): Promise<AgentStateRow> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const row = await stateOf(userId);
      if (check(row)) return row;
      if (Date.now() > deadline) throw new Error(`Agent ${userId}'s state never became as expected: ${JSON.stringify(row)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  /** Offers a call to the one ready agent; answers its Call-ID. */
  async function offer(): Promise<string> {
    const callId = newCallId();
    await event({ event: 'newCall', callId, from: '13900001111', at: after(new Date(), -30) }).expect(200);
    await ctiPost(t, `/api/cti/calls/${callId}/route`).expect(200);
    return callId;
  }

  beforeAll(async () => {
    ({ t, close } = await startCtiTestApp(engine, { CTI_AGENT_GRACE: `${GRACE_MS / 1000}s` }));
    const d = await new WorkOrderDriver(t).load();
    agent1 = (await t.get('agent1', '/api/me')).body as AuthUser;
    agent2 = (await t.get('agent2', '/api/me')).body as AuthUser;
    const created = await t.post('admin', '/api/users', { username: `headless_${engine}`, displayName: '接口话务员', role: 'agent', unitId: d.unit('center') });
    headless = { ...(created.body.user as AuthUser), unitName: '' };
    await request(t.server).put('/api/cti/agent-phones/8009').set('Authorization', `Bearer ${await t.token('admin')}`).send({ userId: headless.id, password: 'headless-secret' }).expect(200);
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await close();
  });

  beforeEach(async () => {
    await t.app.get(DataSource).getRepository(AgentStateRow).createQueryBuilder().update().set({ state: 'away', currentCallId: null, offlineAfterCall: false }).execute();
  });

  it('goes offline once the last console socket has been gone for CTI_AGENT_GRACE; a reload or a second tab keeps them; no console, no watch', async () => {
    await t.app.get(AcdService).setOwnState(headless, 'ready');
    const token1 = await login('agent1');
    const token2 = await login('agent2');
    let console1 = await openConsole(token1);
    expect((await setState(token1, 'ready')).status).toBe(200);
    const tab1 = await openConsole(token2);
    const tab2 = await openConsole(token2);
    expect((await setState(token2, 'ready')).status).toBe(200);

    // agent1 reloads the page (the socket goes and a new one comes); agent2 closes one of two tabs.
    console1.socket.disconnect();
    console1 = await openConsole(token1);
    tab1.socket.disconnect();
    // agent2 closes the last tab: offline after the grace — by then agent1's reload is long past its own grace.
    const agent2Offline = nextState(agent2.id, 'offline');
    const closedAt = Date.now();
    tab2.socket.disconnect();
    expect(await agent2Offline).toMatchObject({ userId: agent2.id, state: 'offline', currentCallId: null });
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(GRACE_MS - 50);
    expect(await stateOf(agent1.id)).toMatchObject({ state: 'ready' });
    expect(await stateOf(headless.id)).toMatchObject({ state: 'ready' });

    const agent1Offline = nextState(agent1.id, 'offline');
    console1.socket.disconnect();
    await agent1Offline;
    expect(await stateOf(headless.id)).toMatchObject({ state: 'ready' });
  });

  it('logging out takes a free agent offline at once, console or not', async () => {
    const token = await login('agent2');
    expect((await setState(token, 'ready')).status).toBe(200);
    const offline = nextState(agent2.id, 'offline');
    await request(t.server).post('/api/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
    expect(await offline).toMatchObject({ state: 'offline' });
  });

  it('never while a call rings or lasts: offline when it ends, unless the agent came back meanwhile', async () => {
    // agent1 leaves the console while a call rings at them, and answers it at the phone.
    const token1 = await login('agent1');
    const console1 = await openConsole(token1);
    expect((await setState(token1, 'ready')).status).toBe(200);
    const first = await offer();
    console1.socket.disconnect();
    expect(await until(agent1.id, (row) => row.offlineAfterCall)).toMatchObject({ state: 'ringing', currentCallId: first });
    await event({ event: 'answer', callId: first, answeringAgent: '8001', at: after(new Date(), -20) }).expect(200);
    expect(await stateOf(agent1.id)).toMatchObject({ state: 'busy', offlineAfterCall: true });
    const offline = nextState(agent1.id, 'offline');
    await event({ event: 'hangup', callId: first, at: after(new Date(), -1) }).expect(200);
    expect(await offline).toMatchObject({ state: 'offline', currentCallId: null });
    expect(await stateOf(agent1.id)).toMatchObject({ offlineAfterCall: false });

    // agent2 leaves during the call too, but comes back before it ends: ready after it.
    const token2 = await login('agent2');
    let console2 = await openConsole(token2);
    expect((await setState(token2, 'ready')).status).toBe(200);
    const second = await offer();
    await event({ event: 'answer', callId: second, answeringAgent: '8002', at: after(new Date(), -20) }).expect(200);
    console2.socket.disconnect();
    await until(agent2.id, (row) => row.offlineAfterCall);
    console2 = await openConsole(token2);
    await until(agent2.id, (row) => !row.offlineAfterCall);
    const ready = console2.next('cti.agentState', (s) => s.state === 'ready');
    await event({ event: 'hangup', callId: second, at: after(new Date(), -1) }).expect(200);
    expect(await ready).toMatchObject({ userId: agent2.id, state: 'ready', currentCallId: null });

    // agent2 logs out in a call: busy until it ends, then offline.
    const third = await offer();
    await event({ event: 'answer', callId: third, answeringAgent: '8002', at: after(new Date(), -20) }).expect(200);
    await request(t.server).post('/api/auth/logout').set('Authorization', `Bearer ${token2}`).expect(204);
    expect(await until(agent2.id, (row) => row.offlineAfterCall)).toMatchObject({ state: 'busy', currentCallId: third });
    const loggedOut = nextState(agent2.id, 'offline');
    await event({ event: 'hangup', callId: third, at: after(new Date(), -1) }).expect(200);
    await loggedOut;
  });
});
