import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import type { ExtensionCredentials } from '../sip/registrar';
import type { CtiEvent } from './cti-events';

/** What one delivery attempt of an outbox item came to. */
export type DeliveryResult =
  | { kind: 'delivered' }
  /** The backend is down, overloaded or not configured (5xx, 401/403, network): try again later. */
  | { kind: 'retry'; reason: string }
  /** The backend refused the item for good (400, 404, 413, 422…): retrying would block the queue forever. */
  | { kind: 'rejected'; reason: string };

/** The ACD's answer for a queued call. */
export type RouteResult =
  | { kind: 'agent'; extension: string; agent: string | undefined }
  | { kind: 'queued' }
  | { kind: 'unavailable'; reason: string };

export interface CtiBackendClientOptions {
  /** e.g. http://localhost:3000 (without /api). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer`. */
  token: string | undefined;
  /** Each request gives up after this (an upload: plus a second per MiB of the recording). Default 5 s. */
  timeoutMs?: number;
}

/** Statuses worth retrying: the backend (or its configuration) will be back. */
const RETRYABLE = new Set([401, 403, 408, 425, 429]);

/**
 * An idle kept-alive connection is closed after this long, before the backend's own idle timeout (Node's 5 s; a
 * shorter `Keep-Alive: timeout=` it announces wins), so a request rarely meets a connection the backend just closed.
 */
const IDLE_CONNECTION_MS = 4_000;

/**
 * An upload gets `timeoutMs` plus a second per MiB of its body: an hour's recording (≈ 110 MiB of stereo PCM) takes
 * seconds even on a fast network, and a whole-request limit of a few seconds would fail it on every attempt.
 */
const UPLOAD_BYTES_PER_SECOND = 1024 * 1024;

/**
 * The bridge's side of the backend's CTI API (docs/cti.md). Never throws for what the network does.
 *
 * Plain node:http(s) over kept-alive connections, not fetch: every call sends several events and a recording, and
 * fetch cost 4–5 times the CPU per request here (docs/telephony-media.md, "CPU per call").
 */
export class CtiBackendClient {
  private readonly timeoutMs: number;
  private readonly base: URL;
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;

  constructor(private readonly options: CtiBackendClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.base = new URL(options.baseUrl);
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') throw new Error(`CTI backend URL ${options.baseUrl} is not http(s)`);
    const https = this.base.protocol === 'https:';
    this.agent = new (https ? HttpsAgent : HttpAgent)({ keepAlive: true, timeout: IDLE_CONNECTION_MS });
    this.send = https ? httpsRequest : httpRequest;
  }

  /** Closes the kept-alive connections (a request after this opens new ones). */
  close(): void {
    this.agent.destroy();
  }

  /** POST /api/cti/events. */
  async postEvent(event: CtiEvent): Promise<DeliveryResult> {
    return this.deliver('/api/cti/events', { body: JSON.stringify(event), contentType: 'application/json' });
  }

  /** POST /api/cti/calls/:callId/recording with the WAV as the raw body (streamed from disk). */
  async uploadRecording(callId: string, file: string): Promise<DeliveryResult> {
    let bytes: number;
    try {
      bytes = (await stat(file)).size;
    } catch {
      return { kind: 'rejected', reason: `recording ${file} is gone` };
    }
    return this.deliver(`/api/cti/calls/${encodeURIComponent(callId)}/recording`, {
      body: () => createReadStream(file),
      contentType: 'audio/wav',
      contentLength: bytes,
      timeoutMs: this.timeoutMs + Math.ceil((bytes * 1000) / UPLOAD_BYTES_PER_SECOND),
    });
  }

  /** POST /api/cti/calls/:callId/route: the ready agent idle the longest, or 409 {queued:true}. */
  async route(callId: string): Promise<RouteResult> {
    const response = await this.request(`/api/cti/calls/${encodeURIComponent(callId)}/route`, { body: '{}', contentType: 'application/json' });
    if ('error' in response) return { kind: 'unavailable', reason: response.error };
    if (response.status === 409) return { kind: 'queued' };
    if (response.status < 200 || response.status >= 300) return { kind: 'unavailable', reason: `HTTP ${response.status}: ${response.text.slice(0, 200)}` };
    const parsed = parseJson(response.text);
    const extension = parsed?.extension;
    if (typeof extension !== 'string' || extension === '') return { kind: 'unavailable', reason: `route answer without an extension: ${response.text.slice(0, 200)}` };
    // The backend answers agent: {id, username, displayName}; a bare string is accepted too.
    const agent = parsed?.agent;
    const username = typeof agent === 'object' && agent !== null ? (agent as Record<string, unknown>).username : agent;
    return { kind: 'agent', extension, agent: typeof username === 'string' && username !== '' ? username : undefined };
  }

  /** POST /api/cti/calls/:callId/no-answer: the agent did not answer (set away); true when the backend took it. */
  async noAnswer(callId: string, extension: string): Promise<boolean> {
    const response = await this.request(`/api/cti/calls/${encodeURIComponent(callId)}/no-answer`, {
      body: JSON.stringify({ extension }),
      contentType: 'application/json',
    });
    return !('error' in response) && response.status >= 200 && response.status < 300;
  }

  /**
   * GET /api/cti/registrar/credentials/:extension → the HA1 (never a password); undefined for an unknown
   * extension. Throws when the backend cannot answer: the registrar then answers 500 with Retry-After.
   */
  async credentials(extension: string): Promise<ExtensionCredentials | undefined> {
    const response = await this.request(`/api/cti/registrar/credentials/${encodeURIComponent(extension)}`, { method: 'GET' });
    if ('error' in response) throw new Error(`Cannot look up extension ${extension}: ${response.error}`);
    if (response.status === 404) return undefined;
    if (response.status < 200 || response.status >= 300) throw new Error(`Cannot look up extension ${extension}: HTTP ${response.status}`);
    const ha1 = parseJson(response.text)?.ha1;
    if (typeof ha1 !== 'string' || !/^[0-9a-f]{32}$/i.test(ha1)) throw new Error(`Credentials of extension ${extension} carry no usable ha1`);
    return { ha1 };
  }

  private async deliver(path: string, body: RequestBody): Promise<DeliveryResult> {
    const response = await this.request(path, body);
    if ('error' in response) return { kind: 'retry', reason: response.error };
    const { status } = response;
    if (status >= 200 && status < 300) return { kind: 'delivered' };
    const reason = `HTTP ${status}: ${response.text.slice(0, 300)}`;
    return status >= 500 || RETRYABLE.has(status) ? { kind: 'retry', reason } : { kind: 'rejected', reason };
  }

  /**
   * One request; a connection kept alive from an earlier request that the backend closed meanwhile (ECONNRESET or
   * EPIPE before any answer) is retried once on a new one, as Node's documentation advises (`reusedSocket`).
   */
  private async request(path: string, body: RequestBody | { method: 'GET' }): Promise<Outcome> {
    const timeoutMs = ('timeoutMs' in body ? body.timeoutMs : undefined) ?? this.timeoutMs;
    const deadline = Date.now() + timeoutMs;
    const first = await this.attempt(path, body, deadline, timeoutMs);
    return 'reusedConnectionLost' in first && Date.now() < deadline ? this.attempt(path, body, deadline, timeoutMs) : first;
  }

  private attempt(path: string, body: RequestBody | { method: 'GET' }, deadline: number, timeoutMs: number): Promise<Outcome> {
    const headers: Record<string, string> = {};
    if (this.options.token !== undefined) headers.Authorization = `Bearer ${this.options.token}`;
    const post = !('method' in body);
    if (post) {
      headers['Content-Type'] = body.contentType;
      const length = typeof body.body === 'string' ? Buffer.byteLength(body.body) : body.contentLength;
      // A stream of unknown length goes chunked.
      if (length !== undefined) headers['Content-Length'] = String(length);
    }
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    return new Promise((resolve) => {
      let settled = false;
      let source: Readable | undefined;
      const finish = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        source?.destroy();
        resolve(outcome);
      };
      const request = this.send(url, { method: post ? 'POST' : 'GET', headers, agent: this.agent }, (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => finish({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => finish({ error: `${url.pathname}: the answer broke off: ${error.message}` }));
      });
      const timer = setTimeout(() => {
        finish({ error: `${url.pathname}: no answer within ${timeoutMs} ms (timed out)` });
        request.destroy();
      }, Math.max(0, deadline - Date.now()));
      request.on('error', (error: NodeJS.ErrnoException) => {
        const lost = request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        finish({ error: `${url.pathname}: ${error.message}`, ...(lost ? { reusedConnectionLost: true as const } : {}) });
      });
      if (!post) request.end();
      else if (typeof body.body === 'string') request.end(body.body);
      else {
        source = body.body();
        source.on('error', (error) => {
          finish({ error: `${url.pathname}: cannot read the body: ${error.message}` });
          request.destroy();
        });
        source.pipe(request);
      }
    });
  }
}

/** What one request came to: the backend's answer, or why there was none. */
type Outcome = { status: number; text: string } | { error: string; reusedConnectionLost?: true };

interface RequestBody {
  /** A string, or a function opening the body's stream (called again if the request is retried). */
  body: string | (() => Readable);
  contentType: string;
  contentLength?: number;
  /** This request's limit instead of the client's `timeoutMs`. */
  timeoutMs?: number;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
