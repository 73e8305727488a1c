import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as ctiApi from '@/api/cti-agent';
import { ApiError } from '@/api/api-error';
import { getOwnAgentState, getScreenPop, setOwnAgentState } from '@/api/cti-agent';
import type { Role } from '@/api/models';
import { INTAKE } from '@/router/modules/intake';
import { WORK_ORDER_DETAIL } from '@/router/modules/work-orders';
import { useUserStore } from '@/store/modules/user';
import { agentState, relayedSocket, screenPop, type FakeSocket } from '@/telephony/__tests__/fixtures';
import { useTelephonyStore } from '@/telephony/store';
import { mountView, StubPage } from '@/testing/mount-view';
import { useIncomingCall } from '@/views/intake/useIncomingCall';
import { user } from '@/views/intake/__tests__/intake-fixtures';
import AgentStatus from '../components/AgentStatus.vue';

vi.mock('@/api/cti-agent', async (importOriginal) => ({
  ...(await importOriginal<typeof ctiApi>()),
  getOwnAgentState: vi.fn(),
  setOwnAgentState: vi.fn(),
  getScreenPop: vi.fn(),
}));

const SINCE = '2026-12-02T01:00:00.000Z';

async function mountStatus(role: Role = 'agent', compact = false) {
  const mounted = await mountView({
    path: '/work-orders',
    routes: [
      { path: '/work-orders', component: AgentStatus, props: { compact } },
      { path: '/intake', name: INTAKE, component: StubPage },
      { path: '/work-orders/:id', name: WORK_ORDER_DETAIL, component: StubPage },
    ],
  });
  useUserStore().setSession({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user: user(role) });
  await flushPromises();
  return mounted;
}

const find = (test: string) => document.body.querySelector<HTMLElement>(`[data-test="${test}"]`);
const findAll = (test: string) => [...document.body.querySelectorAll<HTMLElement>(`[data-test="${test}"]`)];
const messages = () => [...document.body.querySelectorAll('.el-message')].map((m) => m.textContent?.trim());

async function openMenu() {
  find('agent-status-button')!.click();
  await vi.waitFor(() => expect(find('agent-state-ready')).not.toBeNull());
}

async function popCall(socket: FakeSocket) {
  socket.serverSends('cti.agentState', agentState({ state: 'ringing', since: SINCE, currentCallId: 'c-1@pbx' }));
  socket.serverSends('cti.screenPop', screenPop());
  await vi.waitFor(() => expect(find('screen-pop')).not.toBeNull());
}

describe('the agent state in the header', () => {
  let socket: FakeSocket;

  beforeEach(() => {
    localStorage.clear();
    document.body.innerHTML = '';
    useIncomingCall().end();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date('2026-12-02T01:02:05.000Z'));
    vi.mocked(getOwnAgentState).mockReset().mockResolvedValue(agentState({ state: 'ready', since: SINCE }));
    vi.mocked(setOwnAgentState).mockReset();
    vi.mocked(getScreenPop).mockReset();
    socket = relayedSocket();
  });
  afterEach(() => {
    useTelephonyStore().stop();
    useIncomingCall().end();
    vi.useRealTimers();
  });

  it('shows the state with the time in it, ticking', async () => {
    await mountStatus();
    expect(find('agent-status')?.dataset.state).toBe('ready');
    expect(find('agent-status-label')?.textContent).toBe('就绪');
    expect(find('agent-status-time')?.textContent).toBe('2:05');
    expect(find('agent-status-button')?.getAttribute('title')).toContain('分机 8001');
    vi.advanceTimersByTime(3000);
    await flushPromises();
    expect(find('agent-status-time')?.textContent).toBe('2:08');
  });

  it('shows nothing to an agent without an extension, nor to other roles', async () => {
    vi.mocked(getOwnAgentState).mockResolvedValue(agentState({ extension: null }));
    await mountStatus();
    expect(getOwnAgentState).toHaveBeenCalled();
    expect(find('agent-status')).toBeNull();

    document.body.innerHTML = '';
    useTelephonyStore().stop();
    vi.mocked(getOwnAgentState).mockClear();
    await mountStatus('dispatcher');
    expect(getOwnAgentState).not.toHaveBeenCalled();
    expect(find('agent-status')).toBeNull();
  });

  it('sets busy from the menu and follows the server’s pushes', async () => {
    await mountStatus();
    await openMenu();
    expect(find('agent-state-ready')?.classList.contains('is-disabled')).toBe(true);
    vi.mocked(setOwnAgentState).mockResolvedValue(agentState({ state: 'busy', since: '2026-12-02T01:02:05.000Z' }));
    find('agent-state-busy')!.click();
    await flushPromises();
    expect(setOwnAgentState).toHaveBeenCalledWith('busy');
    expect(find('agent-status-label')?.textContent).toBe('忙碌');
    expect(find('agent-status-time')?.textContent).toBe('0:00');
    expect(messages()).toContain('已切换为忙碌');

    socket.serverSends('cti.agentState', agentState({ state: 'offline', since: null }));
    await flushPromises();
    expect(find('agent-status-label')?.textContent).toBe('离线');
    expect(find('agent-status-time')).toBeNull();
  });

  it('says why ready is refused without an extension (422) and while a call rings (409)', async () => {
    vi.mocked(getOwnAgentState).mockResolvedValue(agentState({ state: 'away', since: SINCE }));
    await mountStatus();
    await openMenu();
    vi.mocked(setOwnAgentState).mockRejectedValue(new ApiError('You have no extension yet', { kind: 'server', statusCode: 422 }));
    find('agent-state-ready')!.click();
    await flushPromises();
    expect(messages()).toContain('您还没有分机，不能置为就绪：请联系系统管理员配置分机');

    vi.mocked(setOwnAgentState).mockRejectedValue(
      new ApiError('A call is ringing at your phone', { kind: 'server', statusCode: 409, details: { state: 'ringing', callId: 'c-1@pbx' } }),
    );
    await openMenu();
    find('agent-state-ready')!.click();
    await flushPromises();
    expect(messages()).toContain('来电正在振铃：请接听，或等待振铃结束（之后将置为离开）');
  });

  it('locks the menu while a call rings or lasts', async () => {
    await mountStatus();
    socket.serverSends('cti.agentState', agentState({ state: 'ringing', since: SINCE, currentCallId: 'c-1@pbx' }));
    await flushPromises();
    expect(find('agent-status-label')?.textContent).toBe('振铃');
    await openMenu();
    expect(find('agent-status-locked')?.textContent).toContain('状态随通话自动变化');
    expect(findAll('agent-state-busy')[0].classList.contains('is-disabled')).toBe(true);
  });

  it('pops the call with the number, the repeats highlighted and the earlier orders; 受理 takes it to intake', async () => {
    const { router } = await mountStatus();
    await popCall(socket);
    const pop = find('screen-pop')!;
    expect(pop.dataset.phase).toBe('ringing');
    expect(find('screen-pop-phone')?.textContent).toBe('13800138000');
    expect(find('screen-pop-repeats')?.textContent).toContain('可能重复');
    expect(find('screen-pop-repeat')?.textContent).toContain('事项 #9');
    const earlier = findAll('screen-pop-order');
    expect(earlier).toHaveLength(2);
    expect(earlier[0].classList.contains('is-repeat')).toBe(true);
    expect(earlier[0].textContent).toContain('办理中');
    expect(earlier[1].classList.contains('is-repeat')).toBe(false);
    expect(find('screen-pop-earlier-count')?.textContent?.trim()).toBe('共 3 条');

    socket.serverSends('cti.agentState', agentState({ state: 'busy', since: SINCE, currentCallId: 'c-1@pbx' }));
    await flushPromises();
    expect(find('screen-pop')?.dataset.phase).toBe('inCall');

    find('screen-pop-accept')!.click();
    await flushPromises();
    expect(router.currentRoute.value.name).toBe(INTAKE);
    expect(useIncomingCall().call.value).toMatchObject({ phone: '13800138000', callId: 'c-1@pbx', callRecordId: 17 });
    expect(find('screen-pop')).toBeNull();
  });

  it('puts the pop aside ("稍后") and brings it back from the header', async () => {
    await mountStatus();
    await popCall(socket);
    find('screen-pop-later')!.click();
    await flushPromises();
    expect(find('screen-pop')).toBeNull();
    expect(find('screen-pop-reopen')?.textContent).toContain('13800138000');
    find('screen-pop-reopen')!.click();
    await vi.waitFor(() => expect(find('screen-pop')).not.toBeNull());
  });

  it('closes the pop when the call rings out unanswered', async () => {
    await mountStatus();
    await popCall(socket);
    socket.serverSends('cti.agentState', agentState({ state: 'away', since: SINCE, currentCallId: null }));
    await flushPromises();
    expect(find('screen-pop')).toBeNull();
    expect(find('agent-status-label')?.textContent).toBe('离开');
  });

  it('condenses on a phone: the state without its time, the put-aside pop as an icon', async () => {
    await mountStatus('agent', true);
    expect(find('agent-status')?.classList.contains('is-compact')).toBe(true);
    expect(find('agent-status-label')?.textContent).toBe('就绪');
    expect(find('agent-status-time')).toBeNull();
    await popCall(socket);
    find('screen-pop-later')!.click();
    await flushPromises();
    const reopen = find('screen-pop-reopen')!;
    expect(reopen.textContent?.trim()).toBe('');
    expect(reopen.getAttribute('aria-label')).toBe('来电 13800138000');
  });

  it('speaks English too', async () => {
    const mounted = await mountView({
      path: '/work-orders',
      locale: 'en',
      routes: [
        { path: '/work-orders', component: AgentStatus },
        { path: '/intake', name: INTAKE, component: StubPage },
        { path: '/work-orders/:id', name: WORK_ORDER_DETAIL, component: StubPage },
      ],
    });
    useUserStore().setSession({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, user: user() });
    await flushPromises();
    expect(find('agent-status-label')?.textContent).toBe('Ready');
    await popCall(socket);
    expect(find('screen-pop-accept')?.textContent?.trim()).toBe('Take the call');
    mounted.wrapper.unmount();
  });
});
