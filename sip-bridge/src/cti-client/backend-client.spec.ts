import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeCtiBackend } from '../testing/fake-cti-backend';
import { CtiBackendClient } from './backend-client';
import type { CtiEvent } from './cti-events';

const hangup: CtiEvent = { event: 'hangup', callId: 'c1', at: '2026-12-07T20:00:00.000Z', cause: 'normalClearing' };

/** A bare HTTP server whose handler the test writes; counts the connections it accepted. */
async function rawServer(handle: (request: IncomingMessage, response: ServerResponse, connection: number) => void): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const numbers = new WeakMap<Socket, number>();
  const server: Server = createServer((request, response) => handle(request, response, numbers.get(request.socket) ?? 0));
  server.on('connection', (socket: Socket) => numbers.set(socket, ++connections));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('CtiBackendClient', () => {
  let backend: FakeCtiBackend;
  let directory: string;
  const clients: CtiBackendClient[] = [];
  const client = (baseUrl = backend.url, options: { token?: string; timeoutMs?: number } = {}) => {
    const made = new CtiBackendClient({ baseUrl, token: options.token ?? backend.token, timeoutMs: options.timeoutMs });
    clients.push(made);
    return made;
  };

  beforeEach(async () => {
    backend = await FakeCtiBackend.start();
    directory = await mkdtemp(join(tmpdir(), 'cti-client-'));
  });

  afterEach(async () => {
    for (const made of clients.splice(0)) made.close();
    await backend.down();
    await rm(directory, { recursive: true, force: true });
  });

  it('posts an event as JSON with the bearer token: delivered', async () => {
    await expect(client().postEvent(hangup)).resolves.toEqual({ kind: 'delivered' });
    expect(backend.events).toEqual([hangup]);
  });

  it('streams a recording from disk as audio/wav with its length, byte for byte', async () => {
    const file = join(directory, 'c1.wav');
    const audio = Buffer.from(Array.from({ length: 300_000 }, (_value, index) => index % 251));
    await writeFile(file, audio);
    await expect(client().uploadRecording('c1', file)).resolves.toEqual({ kind: 'delivered' });
    expect(backend.recordings).toHaveLength(1);
    expect(backend.recordings[0].contentType).toBe('audio/wav');
    expect(backend.recordings[0].body.equals(audio)).toBe(true);
  });

  it('rejects a recording whose file is gone (retrying cannot bring it back)', async () => {
    await expect(client().uploadRecording('c1', join(directory, 'missing.wav'))).resolves.toEqual({ kind: 'rejected', reason: expect.stringContaining('is gone') });
  });

  it('retries on 5xx and on a refused token, rejects other 4xx for good, with the status and the answer in the reason', async () => {
    backend.failWith = 503;
    await expect(client().postEvent(hangup)).resolves.toEqual({ kind: 'retry', reason: expect.stringMatching(/^HTTP 503: .*failing on purpose/) });
    backend.failWith = 422;
    await expect(client().postEvent(hangup)).resolves.toEqual({ kind: 'rejected', reason: expect.stringMatching(/^HTTP 422: /) });
    backend.failWith = undefined;
    await expect(client(backend.url, { token: 'wrong' }).postEvent(hangup)).resolves.toEqual({ kind: 'retry', reason: expect.stringMatching(/^HTTP 401: .*Invalid CTI token/) });
  });

  it('retries when the backend is down, saying why', async () => {
    await backend.down();
    await expect(client().postEvent(hangup)).resolves.toEqual({ kind: 'retry', reason: expect.stringContaining('ECONNREFUSED') });
  });

  it('gives up on a backend that never answers after timeoutMs, and retries later', async () => {
    const silent = await rawServer(() => undefined);
    try {
      await expect(client(silent.url, { timeoutMs: 200 }).postEvent(hangup)).resolves.toEqual({ kind: 'retry', reason: expect.stringContaining('no answer within 200 ms') });
    } finally {
      await silent.close();
    }
  });

  it('gives an upload a second per MiB beyond timeoutMs: a recording slower to send than that still goes', async () => {
    const file = join(directory, 'long.wav');
    await writeFile(file, Buffer.alloc(2 * 1024 * 1024, 7));
    let received = 0;
    const slow = await rawServer((request, response) => {
      // A backend that takes its time reading: ≈ 32 chunks, 25 ms apart, ≈ 0.8 s in all (the client's limit: 0.3 + 2 s).
      request.on('data', (chunk: Buffer) => {
        received += chunk.length;
        request.pause();
        setTimeout(() => request.resume(), 25);
      });
      request.on('end', () => response.writeHead(201, { 'Content-Type': 'application/json' }).end('{}'));
    });
    try {
      const started = performance.now();
      await expect(client(slow.url, { timeoutMs: 300 }).uploadRecording('c1', file)).resolves.toEqual({ kind: 'delivered' });
      expect(performance.now() - started).toBeGreaterThan(300); // it did need more than timeoutMs
      expect(received).toBe(2 * 1024 * 1024);
    } finally {
      await slow.close();
    }
  });

  it('keeps its connection alive across requests', async () => {
    const server = await rawServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    });
    try {
      const sut = client(server.url);
      for (let n = 0; n < 5; n += 1) await expect(sut.postEvent(hangup)).resolves.toEqual({ kind: 'delivered' });
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('sends again, once, on a new connection when the backend closed the kept-alive one as the request went out', async () => {
    const seen: number[] = [];
    const server = await rawServer((request, response, connection) => {
      seen.push(connection);
      // The first connection's second request meets a closed connection (the backend's idle timeout, just then).
      if (connection === 1 && seen.filter((number) => number === 1).length === 2) {
        request.socket.destroy();
        return;
      }
      request.resume();
      request.on('end', () => response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
    });
    try {
      const sut = client(server.url);
      await expect(sut.postEvent(hangup)).resolves.toEqual({ kind: 'delivered' });
      await expect(sut.postEvent(hangup)).resolves.toEqual({ kind: 'delivered' });
      expect(seen).toEqual([1, 1, 2]);
    } finally {
      await server.close();
    }
  });

  it('does not send a request again on a connection it had just opened', async () => {
    const server = await rawServer((request) => request.socket.destroy());
    try {
      await expect(client(server.url).postEvent(hangup)).resolves.toEqual({ kind: 'retry', reason: expect.stringContaining('socket hang up') });
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('asks the ACD for an agent: the extension and username, or queued (409)', async () => {
    backend.readyExtensions = ['8001'];
    const sut = client();
    await expect(sut.route('c1')).resolves.toEqual({ kind: 'agent', extension: '8001', agent: 'agent8001' });
    await expect(sut.route('c2')).resolves.toEqual({ kind: 'queued' });
    expect(backend.routeRequests).toEqual(['c1', 'c2']);
    await backend.down();
    await expect(sut.route('c3')).resolves.toEqual({ kind: 'unavailable', reason: expect.stringContaining('ECONNREFUSED') });
  });

  it('reports an unanswered agent; reads credentials (undefined for an unknown extension, an error when the backend cannot say)', async () => {
    backend.credentials.set('8001', 'a'.repeat(32));
    const sut = client();
    await expect(sut.noAnswer('c1', '8001')).resolves.toBe(true);
    expect(backend.noAnswers).toEqual([{ callId: 'c1', extension: '8001' }]);
    await expect(sut.credentials('8001')).resolves.toEqual({ ha1: 'a'.repeat(32) });
    await expect(sut.credentials('8002')).resolves.toBeUndefined();
    backend.failWith = 500;
    await expect(sut.credentials('8001')).rejects.toThrow('Cannot look up extension 8001: HTTP 500');
  });

  it('accepts a base URL with a trailing slash; refuses one that is not http(s)', async () => {
    await expect(client(`${backend.url}/`).postEvent(hangup)).resolves.toEqual({ kind: 'delivered' });
    expect(() => new CtiBackendClient({ baseUrl: 'ftp://127.0.0.1:21', token: undefined })).toThrow('is not http(s)');
  });
});
