import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as ctiApi from '@/api/cti-agent';
import { ApiError } from '@/api/api-error';
import { getOwnAgentState, getScreenPop, setOwnAgentState } from '@/api/cti-agent';
import type { Role } from '@/api/models';
import { useUserStore } from '@/store/modules/user';
import { useIncomingCall } from '@/views/intake/useIncomingCall';
import { user } from '@/views/intake/__tests__/intake-fixtures';
import { useTelephonyStore } from '../store';
import { agentState, relayedSocket, screenPop } from './fixtures';

vi.mock('@/api/cti-agent', async (importOriginal) => ({
  ...(await importOriginal<typeof ctiApi>()),
  getOwnAgentState: vi.fn(),
  setOwnAgentState: vi.fn(),
  getScreenPop: vi.fn(),
}));

function signIn(role: Role = 'agent') {
  useUserStore().setSession({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user: user(role) });
}

function started(role: Role = 'agent') {
  signIn(role);
  const store = useTelephonyStore();
  store.start();
  return store;
}

describe('the telephony store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    useIncomingCall().end();
    vi.mocked(getOwnAgentState).mockReset().mockResolvedValue(agentState({ state: 'ready', since: '2026-12-02T01:00:00.000Z' }));
    vi.mocked(setOwnAgentState).mockReset();
    vi.mocked(getScreenPop).mockReset();
  });
  afterEach(() => {
    useTelephonyStore().stop();
    useIncomingCall().end();
  });

  it('reads the state of a signed-in agent, follows pushes, and reads it again after a reconnection', async () => {
    const socket = relayedSocket();
    const store = started();
    await flushPromises();
    expect(getOwnAgentState).toHaveBeenCalledTimes(1);
    expect(store.agent?.state).toBe('ready');
    expect(store.hasPhone).toBe(true);

    socket.serverSends('cti.agentState', agentState({ state: 'away', since: '2026-12-02T01:05:00.000Z' }));
    expect(store.agent?.state).toBe('away');

    vi.mocked(getOwnAgentState).mockResolvedValue(agentState({ state: 'offline' }));
    socket.serverSends('connect');
    await flushPromises();
    expect(getOwnAgentState).toHaveBeenCalledTimes(2);
    expect(store.agent?.state).toBe('offline');
  });

  it('keeps the newer of a read and a push by the server’s version, whichever arrives last', async () => {
    const socket = relayedSocket();
    let answer: (value: ReturnType<typeof agentState>) => void = () => undefined;
    vi.mocked(getOwnAgentState).mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const store = started();
    socket.serverSends('cti.agentState', agentState({ state: 'ringing', currentCallId: 'c-1@pbx', version: 5 }));
    answer(agentState({ state: 'ready', version: 4 }));
    await flushPromises();
    expect(store.agent?.state).toBe('ringing');

    // A push delayed behind a newer read is stale too.
    socket.serverSends('cti.agentState', agentState({ state: 'busy', version: 6 }));
    socket.serverSends('cti.agentState', agentState({ state: 'ringing', version: 5 }));
    expect(store.agent?.state).toBe('busy');
  });

  it('stays empty for other roles and clears at logout', async () => {
    relayedSocket();
    const other = started('dispatcher');
    await flushPromises();
    expect(getOwnAgentState).not.toHaveBeenCalled();
    expect(other.agent).toBeNull();

    signIn('agent');
    await flushPromises();
    expect(other.agent?.state).toBe('ready');
    useUserStore().logout();
    await flushPromises();
    expect(other.agent).toBeNull();
  });

  it('shows the pushed screen pop; the pop goes when the call rings out before an answer', async () => {
    const socket = relayedSocket();
    const store = started();
    await flushPromises();
    socket.serverSends('cti.agentState', agentState({ state: 'ringing', currentCallId: 'c-1@pbx' }));
    socket.serverSends('cti.screenPop', screenPop());
    expect(store.pop?.fromNumber).toBe('13800138000');
    expect(store.popCallCurrent).toBe(true);

    // No answer: the ACD sets the agent away and rings someone else.
    socket.serverSends('cti.agentState', agentState({ state: 'away', currentCallId: null }));
    expect(store.pop).toBeNull();
  });

  it('keeps the pop of an answered call after the hangup until the agent takes it to the desk', async () => {
    const socket = relayedSocket();
    const store = started();
    await flushPromises();
    socket.serverSends('cti.agentState', agentState({ state: 'ringing', currentCallId: 'c-1@pbx' }));
    socket.serverSends('cti.screenPop', screenPop());
    socket.serverSends('cti.agentState', agentState({ state: 'busy', currentCallId: 'c-1@pbx' }));
    expect(store.popAnswered).toBe(true);
    socket.serverSends('cti.agentState', agentState({ state: 'ready', currentCallId: null }));
    expect(store.pop?.callId).toBe('c-1@pbx');
    expect(store.popCallCurrent).toBe(false);

    const call = store.accept();
    expect(call).toMatchObject({ phone: '13800138000', callId: 'c-1@pbx', callRecordId: 17 });
    expect(useIncomingCall().call.value?.callRecordId).toBe(17);
    expect(store.pop).toBeNull();

    // The same call popped again (a replayed push) is on the desk already: no second pop.
    socket.serverSends('cti.screenPop', screenPop());
    expect(store.pop).toBeNull();
  });

  it('puts the pop aside and back', async () => {
    const socket = relayedSocket();
    const store = started();
    await flushPromises();
    socket.serverSends('cti.screenPop', screenPop());
    store.hidePop();
    expect(store.popHidden).toBe(true);
    store.reopenPop();
    expect(store.popHidden).toBe(false);
  });

  it('ignores a screen pop meant for another user', async () => {
    const socket = relayedSocket();
    const store = started();
    await flushPromises();
    socket.serverSends('cti.screenPop', screenPop({ userId: 99 }));
    expect(store.pop).toBeNull();
  });

  it('restores the pop of a call ringing when the console (re)loads, by the record id the state gives', async () => {
    vi.mocked(getOwnAgentState).mockResolvedValue(agentState({ state: 'ringing', currentCallId: 'c-1@pbx', currentCallRecordId: 17 }));
    vi.mocked(getScreenPop).mockResolvedValue(screenPop());
    relayedSocket();
    const store = started();
    await flushPromises();
    expect(getScreenPop).toHaveBeenCalledWith(17);
    expect(store.pop?.callRecordId).toBe(17);
    expect(store.popAnswered).toBe(false);
  });

  it('does not pop again a call already on the desk', async () => {
    useIncomingCall().offer({ phone: '13800138000', callId: 'c-1@pbx', callRecordId: 17 });
    vi.mocked(getOwnAgentState).mockResolvedValue(agentState({ state: 'busy', currentCallId: 'c-1@pbx' }));
    relayedSocket();
    const store = started();
    await flushPromises();
    expect(getScreenPop).not.toHaveBeenCalled();
    expect(store.pop).toBeNull();
  });

  it('sets the state, and reads it again when the server refuses', async () => {
    relayedSocket();
    const store = started();
    await flushPromises();
    vi.mocked(setOwnAgentState).mockResolvedValue(agentState({ state: 'busy', since: '2026-12-02T01:10:00.000Z' }));
    await store.setState('busy');
    expect(setOwnAgentState).toHaveBeenCalledWith('busy');
    expect(store.agent?.state).toBe('busy');

    const refused = new ApiError('A call is ringing at your phone', { kind: 'server', statusCode: 409, details: { state: 'ringing', callId: 'c-2' } });
    vi.mocked(setOwnAgentState).mockRejectedValue(refused);
    vi.mocked(getOwnAgentState).mockResolvedValue(agentState({ state: 'ringing', currentCallId: 'c-2' }));
    await expect(store.setState('away')).rejects.toBe(refused);
    await flushPromises();
    expect(store.agent?.state).toBe('ringing');
    expect(store.changing).toBe(false);
  });
});
