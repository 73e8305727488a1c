import type { AgentStateResponse, ScreenPop } from '@/api/cti-agent';
import { relayRealtime, type RealtimeSocket } from '@/realtime/socket';

/** agent1 (id 7, as intake-fixtures' `user()`), extension 8001. */
export function agentState(overrides: Partial<AgentStateResponse> = {}): AgentStateResponse {
  return {
    userId: 7,
    username: 'agent7',
    displayName: '话务员张敏',
    extension: '8001',
    state: 'offline',
    since: null,
    idleSince: null,
    lastCallEndedAt: null,
    currentCallId: null,
    currentCallRecordId: null,
    version: 1,
    ...overrides,
  };
}

export function screenPop(overrides: Partial<ScreenPop> = {}): ScreenPop {
  return {
    callId: 'c-1@pbx',
    callRecordId: 17,
    userId: 7,
    extension: '8001',
    fromNumber: '13800138000',
    toNumber: '12345',
    offeredAt: '2026-12-02T01:00:09.000Z',
    earlierOrders: [
      { id: 41, number: '20261130000012', title: '朝阳路路灯不亮', status: 'processing', createdAt: '2026-11-30T02:00:00.000Z' },
      { id: 40, number: '20261101000003', title: '小区噪音扰民', status: 'closed', createdAt: '2026-11-01T02:00:00.000Z' },
    ],
    earlierOrdersTotal: 3,
    repeatCandidates: [{ id: 41, number: '20261130000012', title: '朝阳路路灯不亮', status: 'processing', createdAt: '2026-11-30T02:00:00.000Z', matterId: 9, matterOpen: true, repeatOfId: null }],
    ...overrides,
  };
}

/** A stand-in for the console's socket: the real relay is attached, the test plays the server. */
export class FakeSocket {
  handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  on(event: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  serverSends(event: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
}

/** A socket as connectRealtime opens it: relaying to the telephony desk. */
export function relayedSocket(): FakeSocket {
  const socket = new FakeSocket();
  relayRealtime(socket as unknown as RealtimeSocket);
  return socket;
}
