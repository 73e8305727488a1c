import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
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
  /** Each request gives up after this. Default 5 s. */
  timeoutMs?: number;
}

/** Statuses worth retrying: the backend (or its configuration) will be back. */
const RETRYABLE = new Set([401, 403, 408, 425, 429]);

/** The bridge's side of the backend's CTI API (docs/cti.md). Never throws for what the network does. */
export class CtiBackendClient {
  private readonly timeoutMs: number;

  constructor(private readonly options: CtiBackendClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
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
    const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
    return this.deliver(`/api/cti/calls/${encodeURIComponent(callId)}/recording`, { body, contentType: 'audio/wav', contentLength: bytes });
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

  private async request(path: string, body: RequestBody | { method: 'GET' }): Promise<{ status: number; text: string } | { error: string }> {
    const headers: Record<string, string> = {};
    if (this.options.token !== undefined) headers.Authorization = `Bearer ${this.options.token}`;
    let init: RequestInit & { duplex?: 'half' };
    if ('method' in body) init = { method: 'GET', headers };
    else {
      headers['Content-Type'] = body.contentType;
      if (body.contentLength !== undefined) headers['Content-Length'] = String(body.contentLength);
      init = { method: 'POST', headers, body: body.body, ...(typeof body.body === 'string' ? {} : { duplex: 'half' as const }) };
    }
    try {
      const response = await fetch(`${this.options.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return { error: `${error instanceof Error ? error.message : String(error)}${cause}` };
    }
  }
}

interface RequestBody {
  body: string | ReadableStream<Uint8Array>;
  contentType: string;
  contentLength?: number;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
