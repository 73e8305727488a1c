import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import type { CtiCallOfferedEvent } from '../events/app-events';
import { startTestApp, type Engine, type TestApp } from '../testing/test-app';
import type { AgentStateView } from './agent-state.view';

/** The CTI token of the test apps. */
export const CTI_TOKEN = 'test-cti-token-0123456789';

/** A test app with the CTI API configured and a recordings directory of its own. */
export async function startCtiTestApp(engine: Engine, env: Record<string, string> = {}): Promise<{ t: TestApp; recordingsDir: string; close: () => Promise<void> }> {
  const recordingsDir = mkdtempSync(join(tmpdir(), 'jiesu-recordings-'));
  const t = await startTestApp(engine, { env: { CTI_TOKEN, RECORDINGS_DIR: recordingsDir, CTI_RING_TIMEOUT: '15s', ...env } });
  return {
    t,
    recordingsDir,
    close: async () => {
      await t.close();
      rmSync(recordingsDir, { recursive: true, force: true });
    },
  };
}

/** POSTs to the CTI API with the token. */
export function ctiPost(t: TestApp, path: string, body: object = {}): request.Test {
  return request(t.server).post(path).set('Authorization', `Bearer ${CTI_TOKEN}`).send(body);
}

/** An instant `seconds` after `base`, as the RFC 3339 text an event carries. */
export const after = (base: Date, seconds: number): string => new Date(base.getTime() + seconds * 1000).toISOString();

/** What an agent's console is pushed over socket.io. */
export interface ConsolePushes {
  'cti.screenPop': CtiCallOfferedEvent;
  'cti.agentState': AgentStateView;
}

/** A console's socket that keeps what it was pushed and can wait for the next push of a kind. */
export interface ConsoleSocket {
  socket: Socket;
  received<K extends keyof ConsolePushes>(event: K): ConsolePushes[K][];
  /** The next push of the kind (that `match` accepts) from now on; fails after `timeoutMs`. */
  next<K extends keyof ConsolePushes>(event: K, match?: (payload: ConsolePushes[K]) => boolean, timeoutMs?: number): Promise<ConsolePushes[K]>;
}

/** Connects a console socket with the access token and waits for the server's `ready`. */
export async function connectConsole(url: string, token: string): Promise<ConsoleSocket> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false });
  const received = new Map<keyof ConsolePushes, unknown[]>([
    ['cti.screenPop', []],
    ['cti.agentState', []],
  ]);
  const waiting = new Set<{ event: keyof ConsolePushes; take: (payload: unknown) => boolean }>();
  for (const [event, pushes] of received) {
    socket.on(event, (payload: unknown) => {
      pushes.push(payload);
      for (const waiter of [...waiting]) if (waiter.event === event && waiter.take(payload)) waiting.delete(waiter);
    });
  }
  await new Promise<void>((resolve, reject) => {
    socket.once('ready', () => resolve());
    socket.once('unauthorized', (e: { message: string }) => reject(new Error(e.message)));
    socket.once('connect_error', reject);
  });
  return {
    socket,
    received: <K extends keyof ConsolePushes>(event: K) => [...(received.get(event) ?? [])] as ConsolePushes[K][],
    next: (event, match = () => true, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(waiter);
          reject(new Error(`No ${event} push within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = {
          event,
          take: (payload: unknown) => {
            if (!match(payload as ConsolePushes[typeof event])) return false;
            clearTimeout(timer);
            resolve(payload as ConsolePushes[typeof event]);
            return true;
          },
        };
        waiting.add(waiter);
      }),
  };
}
