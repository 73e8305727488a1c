import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as callsApi from '@/api/calls';
import { listCallAgents, listCalls } from '@/api/calls';
import { CALL_DETAIL, CALLS } from '@/router/modules/calls';
import { mountView, StubPage } from '@/testing/mount-view';
import CallList from '../list/index.vue';
import { answeredCall, missedCall } from './fixtures';

vi.mock('@/api/calls', async (importOriginal) => ({ ...(await importOriginal<typeof callsApi>()), listCalls: vi.fn(), listCallAgents: vi.fn() }));

async function mountList(path = '/calls', locale: 'zh-CN' | 'en' = 'zh-CN') {
  const mounted = await mountView({
    routes: [
      { path: '/calls', name: CALLS, component: CallList },
      { path: '/calls/:id(\\d+)', name: CALL_DETAIL, component: StubPage },
      { path: '/work-orders/:id', name: 'work-order-detail', component: StubPage },
    ],
    path,
    locale,
  });
  await flushPromises();
  return mounted;
}

const lastQuery = () => vi.mocked(listCalls).mock.lastCall?.[0];

describe('call list page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(listCalls)
      .mockReset()
      .mockResolvedValue({ items: [answeredCall({ workOrders: [{ id: 41, number: '20261202000012' }] }), missedCall()], total: 2, page: 1, pageSize: 20 });
    vi.mocked(listCallAgents).mockReset().mockResolvedValue([]);
  });

  it('shows each call: time, caller, status, agent, waiting, talking, survey, linked orders', async () => {
    const { wrapper } = await mountList();
    expect(wrapper.find('[data-test="call-list"]').attributes('data-state')).toBe('loaded');
    const rows = wrapper.findAll('[data-test="call-table"] .el-table__body-wrapper tbody tr');
    expect(rows).toHaveLength(2);
    const first = rows[0].text();
    for (const text of ['2026-12-02 09:00:00', '13800138000', '已接听', '话务员张敏', '0:21', '2:51', '满意', '20261202000012']) expect(first).toContain(text);
    expect(rows[0].find('[data-test="call-has-recording"]').exists()).toBe(true);
    const second = rows[1].text();
    expect(second).toContain('未接');
    expect(second).toContain('未评价');
    expect(rows[1].find('[data-test="call-has-recording"]').exists()).toBe(false);
    expect(rows[0].find('[data-test="call-link"]').attributes('href')).toBe('/calls/17');
    expect(wrapper.find('[data-test="call-total"]').text()).toBe('共 2 通');
    expect(lastQuery()).toEqual({ page: 1, pageSize: 20 });
  });

  it('查询 puts the filters in the address and loads them from the first page', async () => {
    const { wrapper, router } = await mountList('/calls?page=3');
    expect(lastQuery()).toEqual({ page: 3, pageSize: 20 });
    await wrapper.find('input[data-test="call-filter-phone"]').setValue(' 139-0013 9000 ');
    await wrapper.find('[data-test="call-filters"]').trigger('submit');
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ phone: '139-0013 9000' });
    expect(lastQuery()).toEqual({ page: 1, pageSize: 20, phone: '139-0013 9000' });
  });

  it('loads what an address names: days of the center, agent, status, page', async () => {
    await mountList('/calls?from=2026-12-01&to=2026-12-01&agentId=2&status=answered&page=2&pageSize=50');
    expect(lastQuery()).toEqual({
      page: 2,
      pageSize: 50,
      from: '2026-12-01T00:00:00+08:00',
      to: '2026-12-02T00:00:00+08:00',
      agentId: 2,
      status: 'answered',
    });
  });

  it('offers the active agents, the agents who answered the calls shown, and an agent the address names', async () => {
    vi.mocked(listCallAgents).mockResolvedValue([
      { id: 3, username: 'agent2', displayName: '话务员李娜' },
      { id: 5, username: 'agent5', displayName: '话务员周杰' },
    ]);
    let mounted = await mountList('/calls?agentId=5');
    expect(listCallAgents).toHaveBeenCalledTimes(1);
    // The chosen agent (from the address) shows by name.
    expect(mounted.wrapper.find('[data-test="call-filter-agent"]').text()).toContain('话务员周杰');
    await mounted.wrapper.find('[data-test="call-filter-agent"] .el-select__wrapper').trigger('click');
    await flushPromises();
    const offered = () => [...document.body.querySelectorAll('.call-list__agent-options .el-select-dropdown__item')].map((item) => item.textContent?.trim());
    // 话务员张敏 is not an active agent here, but answered a call on the page.
    expect(offered().sort()).toEqual(['话务员周杰', '话务员张敏', '话务员李娜'].sort());
    mounted.wrapper.unmount();

    // The server cannot say (an older one): the agents seen, and the address's as its number.
    document.body.innerHTML = '';
    vi.mocked(listCallAgents).mockRejectedValue(new Error('404'));
    mounted = await mountList('/calls?agentId=99');
    expect(mounted.wrapper.find('[data-test="call-filter-agent"]').text()).toContain('#99');
  });

  it('says why a list failed, in the console’s language', async () => {
    const { ApiError } = await import('@/api/api-error');
    vi.mocked(listCalls).mockRejectedValue(new ApiError('forbidden', { kind: 'server', statusCode: 403 }));
    const { wrapper } = await mountList();
    expect(wrapper.find('[data-test="call-list"]').attributes('data-state')).toBe('error');
    expect(wrapper.find('[data-test="call-error"]').text()).toContain('加载失败');
  });

  it('speaks English', async () => {
    const { wrapper } = await mountList('/calls', 'en');
    const first = wrapper.findAll('[data-test="call-table"] .el-table__body-wrapper tbody tr')[0].text();
    expect(first).toContain('Answered');
    expect(first).toContain('Satisfied');
    expect(wrapper.find('[data-test="call-total"]').text()).toBe('2 calls');
  });
});
