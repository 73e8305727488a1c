import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import { DEMO_PASSWORD } from '../demo-data/demo-organisation';
import { DataSource } from 'typeorm';
// eslint-disable-next-line local/module-boundaries -- the test asks the gateway itself how many sockets are open after a logout
import { RealtimeGateway } from '../realtime/realtime.gateway';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { User } from '../users/user.entity';

interface Pair {
  accessToken: string;
  refreshToken: string;
}

describe.each(enginesUnderTest())('sessions end at logout; refresh tokens rotate (%s)', (engine) => {
  let t: TestApp;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp(engine);
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await t.close();
  });

  const login = async (username: string): Promise<Pair> => {
    const response = await request(t.server).post('/api/auth/login').send({ username, password: DEMO_PASSWORD });
    expect(response.status).toBe(200);
    return response.body;
  };
  const me = (accessToken: string) => request(t.server).get('/api/me').set('Authorization', `Bearer ${accessToken}`);
  const refresh = (refreshToken: string) => request(t.server).post('/api/auth/refresh').send({ refreshToken });
  const logout = (accessToken: string) => request(t.server).post('/api/auth/logout').set('Authorization', `Bearer ${accessToken}`);

  /** Opens a socket and waits for the server's verdict: 'ready', or the 'unauthorized' message. */
  function openSocket(accessToken: string): Promise<{ socket: Socket; verdict: { ready: true } | { unauthorized: string } }> {
    const socket = io(url, { auth: { token: accessToken }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('ready', () => resolve({ socket, verdict: { ready: true } }));
      socket.once('unauthorized', (e: { message: string }) => resolve({ socket, verdict: { unauthorized: e.message } }));
      socket.once('connect_error', reject);
    });
  }

  it('after logout the old access token gets 401 and opens no socket; a connected socket is told and closed', async () => {
    const pair = await login('agent1');
    expect((await me(pair.accessToken)).status).toBe(200);
    const open = await openSocket(pair.accessToken);
    expect(open.verdict).toEqual({ ready: true });
    const told = new Promise<string>((resolve) => open.socket.once('unauthorized', (e: { message: string }) => resolve(e.message)));
    const closed = new Promise<void>((resolve) => open.socket.once('disconnect', () => resolve()));

    expect((await logout(pair.accessToken)).status).toBe(204);

    expect(await told).toMatch(/Logged out/);
    await closed;
    expect(open.socket.connected).toBe(false);
    const after = await me(pair.accessToken);
    expect(after.status).toBe(401);
    expect(after.body.message).toMatch(/session has ended/);
    expect((await request(t.server).get('/api/work-orders').set('Authorization', `Bearer ${pair.accessToken}`)).status).toBe(401);
    expect((await openSocket(pair.accessToken)).verdict).toEqual({ unauthorized: expect.stringMatching(/session has ended/) });
    expect((await refresh(pair.refreshToken)).status).toBe(401);
  });

  it('logout ends the sessions of every device of the user; a new login works', async () => {
    const laptop = await login('agent2');
    const phone = await login('agent2');
    expect((await logout(laptop.accessToken)).status).toBe(204);
    expect((await me(phone.accessToken)).status).toBe(401);
    expect((await refresh(phone.refreshToken)).status).toBe(401);
    expect((await me((await login('agent2')).accessToken)).status).toBe(200);
  });

  it('a refresh token works once; the new pair works; using the old one again revokes the whole family', async () => {
    const first = await login('callback1');
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await me(second.body.accessToken)).status).toBe(200);

    const reused = await refresh(first.refreshToken);
    expect(reused.status).toBe(401);
    expect(reused.body.message).toMatch(/already used/);
    // The thief's copy and the owner's new token belong to one family: both are dead now.
    const successor = await refresh(second.body.refreshToken);
    expect(successor.status).toBe(401);
    expect(successor.body.message).toMatch(/revoked/);
  });

  it('reuse revokes only that login: another login of the same user keeps working', async () => {
    const stolen = await login('reviewer1');
    const other = await login('reviewer1');
    expect((await refresh(stolen.refreshToken)).status).toBe(200);
    expect((await refresh(stolen.refreshToken)).status).toBe(401);
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it('parallel refreshes of one token: exactly one 200', async () => {
    const pair = await login('supervisor1');
    const responses = await Promise.all(Array.from({ length: 10 }, () => refresh(pair.refreshToken)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(401)]);
  });

  it('a new password set by another process (the set-password CLI) ends the sessions: 401, and open sockets close on the next re-check', async () => {
    const pair = await login('dispatcher1');
    const open = await openSocket(pair.accessToken);
    expect(open.verdict).toEqual({ ready: true });
    const told = new Promise<string>((resolve) => open.socket.once('unauthorized', (e: { message: string }) => resolve(e.message)));
    // What set-password does to the user row, from outside this process's services (no event reaches the gateway).
    await t.app.get(DataSource).getRepository(User).increment({ username: 'dispatcher1' }, 'tokenVersion', 1);
    expect((await me(pair.accessToken)).status).toBe(401);
    await t.app.get(RealtimeGateway).closeStaleSockets();
    expect(await told).toMatch(/session has ended/);
  });
});
