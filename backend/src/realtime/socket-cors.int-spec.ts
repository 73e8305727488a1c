import type { AddressInfo } from 'node:net';
import { io } from 'socket.io-client';
import request from 'supertest';
import { enginesUnderTest, startTestApp, type TestApp } from '../testing/test-app';

const CONSOLE_ORIGIN = 'https://console.example.org';
const EVIL_ORIGIN = 'https://evil.example';

/** The first request of a socket.io client (the polling handshake), from a page of `origin`. */
const handshake = (t: TestApp, origin?: string) => {
  const call = request(t.server).get('/socket.io/?EIO=4&transport=polling');
  return origin ? call.set('Origin', origin) : call;
};

async function listen(t: TestApp): Promise<string> {
  await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
}

/** Whether a WebSocket from a page of `origin` gets through the handshake (the token is not the question here). */
function websocketFrom(url: string, origin: string): Promise<'connected' | 'refused'> {
  const socket = io(url, { auth: { token: 'irrelevant' }, transports: ['websocket'], reconnection: false, extraHeaders: { Origin: origin } });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.once('connect_error', () => {
      socket.disconnect();
      resolve('refused');
    });
  });
}

describe.each(enginesUnderTest())('socket.io origins (%s)', (engine) => {
  describe('CORS_ORIGIN unset: same origin only', () => {
    let t: TestApp;
    let url: string;

    beforeAll(async () => {
      t = await startTestApp(engine);
      url = await listen(t);
    });

    afterAll(async () => {
      await t.close();
    });

    it('refuses a handshake from a foreign page and sends no CORS headers', async () => {
      const response = await handshake(t, EVIL_ORIGIN);
      expect(response.status).toBe(403);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(await websocketFrom(url, EVIL_ORIGIN)).toBe('refused');
    });

    it('accepts the page served by the server itself, and clients that send no Origin, without CORS headers', async () => {
      const sameOrigin = await handshake(t, url);
      expect(sameOrigin.status).toBe(200);
      expect(sameOrigin.headers['access-control-allow-origin']).toBeUndefined();
      expect((await handshake(t)).status).toBe(200);
      expect(await websocketFrom(url, url)).toBe('connected');
    });
  });

  describe('CORS_ORIGIN set: exactly those origins', () => {
    let t: TestApp;
    let url: string;

    beforeAll(async () => {
      t = await startTestApp(engine, { env: { CORS_ORIGIN: `${CONSOLE_ORIGIN}, https://admin.example.org` } });
      url = await listen(t);
    });

    afterAll(async () => {
      await t.close();
    });

    it('allows a listed origin, with its CORS header', async () => {
      const response = await handshake(t, CONSOLE_ORIGIN);
      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(CONSOLE_ORIGIN);
      expect(await websocketFrom(url, 'https://admin.example.org')).toBe('connected');
    });

    it('refuses any other origin', async () => {
      const response = await handshake(t, EVIL_ORIGIN);
      expect(response.status).toBe(403);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(await websocketFrom(url, EVIL_ORIGIN)).toBe('refused');
    });
  });
});
