import type { CallDetail, CallListItem, LiveView } from '@/api/calls';

/** An answered call with a survey and a recording, as `GET /api/calls` lists it. */
export function answeredCall(overrides: Partial<CallListItem> = {}): CallListItem {
  return {
    id: 17,
    callId: 'c-answered@pbx',
    direction: 'inbound',
    fromNumber: '13800138000',
    toNumber: '12345',
    status: 'answered',
    cause: 'normalClearing',
    startedAt: '2026-12-02T01:00:00.000Z',
    ringingAt: '2026-12-02T01:00:00.000Z',
    queuedAt: '2026-12-02T01:00:08.000Z',
    answeredAt: '2026-12-02T01:00:21.000Z',
    endedAt: '2026-12-02T01:03:12.000Z',
    waitSeconds: 21,
    talkSeconds: 171,
    answeringAgent: { id: 2, displayName: '话务员张敏' },
    answeringExtension: '8001',
    recording: { url: '/api/calls/17/recording', bytes: 3_000_044, durationSeconds: 187.5, uploadedAt: '2026-12-02T01:03:15.000Z' },
    survey: { digit: '1', rating: 'satisfied' },
    calledBackAt: null,
    calledBackBy: null,
    workOrders: [],
    ...overrides,
  };
}

export function missedCall(overrides: Partial<CallListItem> = {}): CallListItem {
  return {
    ...answeredCall(),
    id: 18,
    callId: 'c-missed@pbx',
    fromNumber: '13900139000',
    status: 'missed',
    cause: 'cancel',
    queuedAt: null,
    answeredAt: null,
    endedAt: '2026-12-02T02:00:06.000Z',
    startedAt: '2026-12-02T02:00:00.000Z',
    ringingAt: '2026-12-02T02:00:00.000Z',
    waitSeconds: 6,
    talkSeconds: null,
    answeringAgent: null,
    answeringExtension: null,
    recording: null,
    survey: null,
    ...overrides,
  };
}

export function callDetail(overrides: Partial<CallDetail> = {}): CallDetail {
  return {
    ...answeredCall(),
    workOrders: [
      {
        id: 41,
        number: '20261202000012',
        title: '路灯不亮',
        status: 'registered',
        linkedAt: '2026-12-02T01:04:00.000Z',
        linkedBy: { id: 2, displayName: '话务员张敏' },
      },
    ],
    version: 5,
    ...overrides,
  };
}

export function liveView(at: string, overrides: Partial<LiveView> = {}): LiveView {
  return {
    at,
    queueLength: 1,
    calls: [
      answeredCall({ id: 30, callId: 'live-talk', status: 'answered', endedAt: null, talkSeconds: null, cause: null, recording: null, survey: null }),
      missedCall({
        id: 31,
        callId: 'live-queue',
        status: 'queued',
        fromNumber: '13700137000',
        startedAt: '2026-12-02T01:00:00.000Z',
        ringingAt: '2026-12-02T01:00:00.000Z',
        queuedAt: '2026-12-02T01:00:08.000Z',
        endedAt: null,
        waitSeconds: null,
        cause: null,
      }),
    ],
    agents: [
      { userId: 2, username: 'agent1', displayName: '话务员张敏', extension: '8001', state: 'busy', since: '2026-12-02T01:00:21.000Z', idleSince: null, lastCallEndedAt: null, currentCallId: 'live-talk', currentCallRecordId: 31, version: 4 },
      { userId: 3, username: 'agent2', displayName: '话务员李娜', extension: '8002', state: 'ready', since: '2026-12-02T01:05:00.000Z', idleSince: '2026-12-02T01:05:00.000Z', lastCallEndedAt: null, currentCallId: null, currentCallRecordId: null, version: 2 },
    ],
    ...overrides,
  };
}
