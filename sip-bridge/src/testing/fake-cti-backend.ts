import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedEvent {
  event: string;
  callId: string;
  [field: string]: unknown;
}

export interface ReceivedRecording {
  callId: string;
  contentType: string | undefined;
  body: Buffer;
}

/**
 * A stand-in for the backend's CTI API on a real HTTP port: it checks the bearer token, keeps the events
 * (ignoring duplicates by callId + event, as the backend does), the recordings, answers route requests from
 * a list of ready extensions, and can be taken down (connection refused) and brought back on the same port.
 */
export class FakeCtiBackend {
  readonly events: ReceivedEvent[] = [];
  readonly recordings: ReceivedRecording[] = [];
  readonly noAnswers: { callId: string; extension: string }[] = [];
  readonly routeRequests: string[] = [];
  /** Every request that reached the server, failed on purpose or not. */
  requestCount = 0;
  /** Extensions the ACD hands out, in order; each is given once (then it is "ringing"). */
  readyExtensions: string[] = [];
  /** extension → HA1 for the registrar. */
  readonly credentials = new Map<string, string>();
  /** Answer every request with this status instead (503: backend up but failing). */
  failWith: number | undefined;
  private server: Server | undefined;
  private port = 0;
  private readonly waiters: { predicate: () => boolean; resolve: () => void }[] = [];

  constructor(readonly token = 'test-token') {}

  static async start(token?: string): Promise<FakeCtiBackend> {
    const backend = new FakeCtiBackend(token);
    await backend.up();
    return backend;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch(() => response.writeHead(500).end());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops open connections: the bridge sees connection refused. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once `predicate` holds (checked after every request), or rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { predicate, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`Fake backend: timed out waiting for ${what}; events so far: ${JSON.stringify(this.events.map((e) => e.event))}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  eventNames(callId?: string): string[] {
    return this.events.filter((event) => callId === undefined || event.callId === callId).map((event) => event.event);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    this.requestCount += 1;
    const answer = (status: number, json?: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(json === undefined ? '' : JSON.stringify(json));
      this.settle();
    };
    if (this.failWith !== undefined) return answer(this.failWith, { message: 'failing on purpose' });
    if (request.headers.authorization !== `Bearer ${this.token}`) return answer(401, { message: 'Invalid CTI token' });
    const url = request.url ?? '';
    let match: RegExpExecArray | null;
    if (request.method === 'POST' && url === '/api/cti/events') {
      const event = JSON.parse(body.toString('utf8')) as ReceivedEvent;
      const duplicate = this.events.some((seen) => seen.callId === event.callId && seen.event === event.event);
      if (!duplicate) this.events.push(event);
      return answer(200, { duplicate });
    }
    if (request.method === 'POST' && (match = /^\/api\/cti\/calls\/([^/]+)\/recording$/.exec(url))) {
      this.recordings.push({ callId: decodeURIComponent(match[1]), contentType: request.headers['content-type'], body });
      return answer(201, {});
    }
    if (request.method === 'POST' && (match = /^\/api\/cti\/calls\/([^/]+)\/route$/.exec(url))) {
      this.routeRequests.push(decodeURIComponent(match[1]));
      const extension = this.readyExtensions.shift();
      return extension === undefined ? answer(409, { queued: true }) : answer(200, { callId: decodeURIComponent(match[1]), agent: { id: Number(extension), username: `agent${extension}`, displayName: '坐席' }, extension, ringTimeoutSeconds: 15 });
    }
    if (request.method === 'POST' && (match = /^\/api\/cti\/calls\/([^/]+)\/no-answer$/.exec(url))) {
      const { extension } = JSON.parse(body.toString('utf8')) as { extension: string };
      this.noAnswers.push({ callId: decodeURIComponent(match[1]), extension });
      return answer(200, {});
    }
    if (request.method === 'GET' && (match = /^\/api\/cti\/registrar\/credentials\/([^/]+)$/.exec(url))) {
      const extension = decodeURIComponent(match[1]);
      const ha1 = this.credentials.get(extension);
      return ha1 === undefined ? answer(404, { message: 'No such extension' }) : answer(200, { extension, ha1, realm: 'jiesu' });
    }
    return answer(404, { message: `No route ${request.method} ${url}` });
  }

  private settle(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
