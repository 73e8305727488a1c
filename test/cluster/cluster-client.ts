import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { io, type Socket } from 'socket.io-client';

/** The header a worker of `WORKERS=n` puts on every answer and on the socket.io upgrade (backend/src/main.ts). */
export const WORKER_HEADER = 'x-jiesu-worker';

export interface Answer<T> {
  status: number;
  /** The worker that answered ('1', '2', …); undefined on a server of one process. */
  worker: string | undefined;
  body: T;
}

/**
 * One request on a connection of its own (no keep-alive): the primary hands every new connection to the next worker,
 * so successive calls reach the workers in turn.
 */
export function send<T = unknown>(url: string, method: string, path: string, token?: string, body?: unknown): Promise<Answer<T>> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      {
        method,
        agent: false,
        headers: {
          ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
      },
      (response: IncomingMessage) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON
          }
          const worker = response.headers[WORKER_HEADER];
          resolve({ status: response.statusCode ?? 0, worker: typeof worker === 'string' ? worker : undefined, body: parsed as T });
        });
      },
    );
    req.once('error', reject);
    req.end(payload);
  });
}

/** Sends the same request until a given worker answers it (at most `attempts` times); the last answer otherwise. */
export async function sendVia<T = unknown>(worker: string, url: string, method: string, path: string, token?: string, body?: unknown, attempts = 40): Promise<Answer<T>> {
  let answer = await send<T>(url, method, path, token, body);
  for (let i = 1; i < attempts && answer.worker !== worker; i++) answer = await send<T>(url, method, path, token, body);
  return answer;
}

export interface WorkOrderChanged {
  number: string;
  action: string;
}

export interface ConnectedSocket {
  socket: Socket;
  /** The worker holding it (from the upgrade's response), or undefined on a server of one process. */
  worker: string | undefined;
  userId: number;
  changes: WorkOrderChanged[];
  /** Resolves with the message of the server's `unauthorized` and the disconnection that follows it. */
  closedByServer: Promise<string>;
  /** Resolves once a `workOrder.changed` for this order number has arrived. */
  changeOf(number: string): Promise<WorkOrderChanged>;
}

/** A socket.io client as the console opens it (WebSocket only), ready (authenticated, rooms joined). */
export async function connectSocket(url: string, token: string): Promise<ConnectedSocket> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  // The WebSocket is created as io() returns; its HTTP upgrade's response names the worker.
  const ws = (socket.io.engine as unknown as { transport: { ws: { once(event: 'upgrade', listener: (response: IncomingMessage) => void): void } } }).transport.ws;
  const worker = new Promise<string | undefined>((resolve) => ws.once('upgrade', (response) => resolve(response.headers[WORKER_HEADER] as string | undefined)));
  const changes: WorkOrderChanged[] = [];
  const waiting = new Map<string, (change: WorkOrderChanged) => void>();
  socket.on('workOrder.changed', (change: WorkOrderChanged) => {
    changes.push(change);
    waiting.get(change.number)?.(change);
  });
  const closedByServer = new Promise<string>((resolve) => {
    socket.once('unauthorized', (event: { message: string }) => {
      if (socket.disconnected) resolve(event.message);
      else socket.once('disconnect', () => resolve(event.message));
    });
  });
  const ready = await new Promise<{ userId: number }>((resolve, reject) => {
    socket.once('ready', resolve);
    socket.once('unauthorized', (event: { message: string }) => reject(new Error(event.message)));
    socket.once('connect_error', reject);
  });
  return {
    socket,
    worker: await worker,
    userId: ready.userId,
    changes,
    closedByServer,
    changeOf: (number) =>
      new Promise((resolve) => {
        const seen = changes.find((change) => change.number === number);
        if (seen) resolve(seen);
        else waiting.set(number, resolve);
      }),
  };
}

/** Opens sockets until one is held by each of `workers`; returns one per worker (the others are closed). */
export async function socketsOnEveryWorker(url: string, token: string, workers: readonly string[], attempts = 40): Promise<Map<string, ConnectedSocket>> {
  const found = new Map<string, ConnectedSocket>();
  for (let i = 0; i < attempts && found.size < workers.length; i++) {
    const connected = await connectSocket(url, token);
    if (connected.worker !== undefined && workers.includes(connected.worker) && !found.has(connected.worker)) found.set(connected.worker, connected);
    else connected.socket.disconnect();
  }
  if (found.size < workers.length) throw new Error(`Sockets reached only workers ${[...found.keys()].join(', ')} in ${attempts} attempts`);
  return found;
}

/** Whether a Redis server answers PING at host:port (no client library: one RESP command on a socket). */
export function redisAnswers(host = '127.0.0.1', port = 6379): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port, timeout: 2000 });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
