import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';
import { WorkOrderDriver } from '../testing/work-order-driver';

describe.each(enginesUnderTest())('realtime workOrder.changed (%s)', (engine) => {
  let t: TestApp;
  let d: WorkOrderDriver;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp(engine);
    d = await new WorkOrderDriver(t).load();
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await t.close();
  });

  async function connect(username: string): Promise<{ socket: Socket; events: { number: string; action: string; toStatus: string }[] }> {
    const socket = io(url, { auth: { token: await t.token(username) }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    const events: { number: string; action: string; toStatus: string }[] = [];
    socket.on('workOrder.changed', (event) => events.push(event));
    await new Promise<void>((resolve, reject) => {
      socket.once('ready', () => resolve());
      socket.once('unauthorized', (e: { message: string }) => reject(new Error(e.message)));
      socket.once('connect_error', reject);
    });
    return { socket, events };
  }

  const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

  it('tells the lead unit, the units above it and the center; not other units', async () => {
    const lead = await connect('dc_cy_handler');
    const district = await connect('dc_admin');
    const other = await connect('cgj_handler');
    const center = await connect('dispatcher1');
    const order = await d.dispatched('dc_cy');
    await d.act('dc_cy_handler', order.id, 'accept');
    await settle();
    expect(lead.events.map((e) => [e.number, e.action, e.toStatus])).toEqual([
      [order.number, 'dispatch', 'dispatched'],
      [order.number, 'accept', 'processing'],
    ]);
    expect(district.events.map((e) => e.action)).toEqual(['dispatch', 'accept']);
    expect(center.events.map((e) => e.action)).toEqual(['register', 'dispatch', 'accept']);
    expect(other.events).toEqual([]);
  });

  it('refuses a socket without a valid token', async () => {
    const socket = io(url, { auth: { token: 'forged' }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    const message = await new Promise<string>((resolve) => socket.once('unauthorized', (e: { message: string }) => resolve(e.message)));
    expect(message).toMatch(/invalid/);
    await settle();
    expect(socket.connected).toBe(false);
  });
});

describe('realtime sockets and token expiry', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('sqlite', { env: { ACCESS_TOKEN_TTL: '2s' } });
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await t.close();
  });

  it('disconnects a socket when its access token expires', async () => {
    const url = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
    const socket = io(url, { auth: { token: await t.token('agent1') }, transports: ['websocket'], reconnection: false });
    try {
      const message = await new Promise<string>((resolve) => socket.once('unauthorized', (e: { message: string }) => resolve(e.message)));
      expect(message).toMatch(/expired/);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(socket.connected).toBe(false);
    } finally {
      socket.disconnect();
    }
  });
});
