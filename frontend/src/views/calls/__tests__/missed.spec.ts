import { flushPromises } from '@vue/test-utils';
import { ElMessage } from 'element-plus';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import type * as callsApi from '@/api/calls';
import { getCall, listMissedCalls, markCalledBack } from '@/api/calls';
import { CALL_DETAIL, MISSED_CALLS } from '@/router/modules/calls';
import { mountView, StubPage } from '@/testing/mount-view';
import { useIncomingCall } from '@/views/intake/useIncomingCall';
import MissedCalls from '../missed/index.vue';
import { callDetail, missedCall } from './fixtures';

const session = vi.hoisted(() => ({ role: 'agent' }));
vi.mock('@/store/modules/user', () => ({ useUserStore: () => ({ user: { id: 2, role: session.role, displayName: '话务员张敏' } }) }));
vi.mock('@/api/calls', async (importOriginal) => ({
  ...(await importOriginal<typeof callsApi>()),
  listMissedCalls: vi.fn(),
  markCalledBack: vi.fn(),
  getCall: vi.fn(),
}));

const abandoned = missedCall({ id: 19, callId: 'c-abandoned@pbx', status: 'abandoned', fromNumber: '13700137000', queuedAt: '2026-12-02T02:00:05.000Z', waitSeconds: 48 });

async function mountMissed() {
  const mounted = await mountView({
    routes: [
      { path: '/calls/missed', name: MISSED_CALLS, component: MissedCalls },
      { path: '/calls/:id(\\d+)', name: CALL_DETAIL, component: StubPage },
      { path: '/intake', name: 'intake', component: StubPage, meta: { roles: ['agent', 'dispatcher', 'supervisor'] } },
    ],
    path: '/calls/missed',
  });
  await flushPromises();
  return mounted;
}

describe('call-back list page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    session.role = 'agent';
    useIncomingCall().end();
    vi.mocked(listMissedCalls).mockReset().mockResolvedValue({ items: [abandoned, missedCall()], total: 2, page: 1, pageSize: 20 });
    vi.mocked(markCalledBack).mockReset();
    vi.mocked(getCall).mockReset();
  });

  it('lists the calls to return, newest first as the server gives them, with their status and waiting time', async () => {
    const { wrapper } = await mountMissed();
    expect(listMissedCalls).toHaveBeenCalledWith({ page: 1, pageSize: 20 }, expect.any(AbortSignal));
    expect(wrapper.find('[data-test="missed-calls"]').attributes('data-state')).toBe('loaded');
    const rows = wrapper.findAll('[data-test="missed-table"] .el-table__body-wrapper tbody tr');
    expect(rows.map((row) => row.find('[data-test="missed-row"]').attributes('data-id'))).toEqual(['19', '18']);
    expect(rows[0].text()).toContain('13700137000');
    expect(rows[0].text()).toContain('排队放弃');
    expect(rows[0].text()).toContain('0:48');
    expect(rows[1].text()).toContain('未接');
  });

  it('已回拨 takes the call off the list', async () => {
    const success = vi.spyOn(ElMessage, 'success');
    vi.mocked(markCalledBack).mockResolvedValue(callDetail({ ...missedCall(), workOrders: [], version: 2 }));
    const { wrapper } = await mountMissed();
    vi.mocked(listMissedCalls).mockResolvedValue({ items: [abandoned], total: 1, page: 1, pageSize: 20 });
    await wrapper.find('[data-test="missed-called-back-18"]').trigger('click');
    await flushPromises();
    expect(markCalledBack).toHaveBeenCalledWith(18);
    expect(success).toHaveBeenCalledWith('已标记为已回拨');
    expect(wrapper.find('[data-test="missed-called-back-18"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="missed-total"]').text()).toBe('共 1 通');
  });

  it('says who called back first when someone else already did (409)', async () => {
    const error = vi.spyOn(ElMessage, 'error');
    vi.mocked(markCalledBack).mockRejectedValue(
      new ApiError('This call was already called back by 话务员李娜 at 2026-12-02T02:10:00.000Z', {
        kind: 'server',
        statusCode: 409,
        details: { calledBackAt: '2026-12-02T02:10:00.000Z', calledBackById: 3 },
      }),
    );
    vi.mocked(getCall).mockResolvedValue(callDetail({ ...missedCall(), workOrders: [], calledBackAt: '2026-12-02T02:10:00.000Z', calledBackBy: { id: 3, displayName: '话务员李娜' } }));
    const { wrapper } = await mountMissed();
    await wrapper.find('[data-test="missed-called-back-18"]').trigger('click');
    await flushPromises();
    expect(getCall).toHaveBeenCalledWith(18);
    expect(error).toHaveBeenCalledWith('该来电已由 话务员李娜 于 2026-12-02 10:10:00 回拨');
    expect(listMissedCalls).toHaveBeenCalledTimes(2);
  });

  it('登记工单 puts the caller’s number on the intake desk and opens the intake page', async () => {
    const { wrapper, router } = await mountMissed();
    await wrapper.find('[data-test="missed-register-19"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.name).toBe('intake');
    expect(useIncomingCall().call.value?.phone).toBe('13700137000');
  });

  it('offers 登记工单 only to those who register orders', async () => {
    session.role = 'callback_agent';
    const { wrapper } = await mountMissed();
    expect(wrapper.find('[data-test="missed-called-back-19"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="missed-register-19"]').exists()).toBe(false);
  });
});
