import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getWorkOrder } from '@/api/work-orders';
import { WORK_ORDER_DETAIL, WORK_ORDER_LIST } from '@/router/modules/work-orders';
import { mountView, StubPage } from '@/testing/mount-view';
import { workOrderDetail } from '../../__tests__/fixtures';
import DetailView from '../index.vue';

vi.mock('@/api/work-orders', () => ({ listWorkOrders: vi.fn(), getWorkOrder: vi.fn() }));

const routes = [
  { path: '/work-orders', name: WORK_ORDER_LIST, component: StubPage },
  { path: '/work-orders/:id', name: WORK_ORDER_DETAIL, component: DetailView },
];

const detail = workOrderDetail({
  assigneeId: 31,
  assignee: { id: 31, displayName: '城管局承办人' },
  assistingUnits: [
    { id: 7, code: 'B-LIGHT', name: '市城市照明管理中心', dueAt: '2025-06-18T01:00:00.000Z', reply: '已配合更换灯头', repliedAt: '2025-06-17T02:00:00.000Z', lateMinutes: null, overdue: false },
    { id: 8, code: 'zjj', name: '市住建局', dueAt: '2025-06-18T01:00:00.000Z', reply: null, repliedAt: null, lateMinutes: null, overdue: true },
    { id: 9, code: 'dc_cy', name: '朝阳街道', dueAt: '2025-06-18T01:00:00.000Z', reply: '迟交的意见', repliedAt: '2025-06-19T02:00:00.000Z', lateMinutes: 90, overdue: false },
  ],
});

describe('work-order detail: assignee and assisting units’ parts', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(getWorkOrder).mockReset();
  });

  it('shows the assignee, each part with its due date, its text or 未提交, and the overdue and late tags', async () => {
    vi.mocked(getWorkOrder).mockResolvedValue(detail);
    const { wrapper } = await mountView({ routes, path: '/work-orders/42' });
    await flushPromises();

    expect(wrapper.find('[data-test="detail-assignee"]').text()).toBe('城管局承办人');
    const parts = wrapper.findAll('[data-test="assist-part"]');
    expect(parts.map((p) => p.attributes('data-unit'))).toEqual(['B-LIGHT', 'zjj', 'dc_cy']);
    expect(parts[0].text()).toContain('市城市照明管理中心');
    expect(parts[0].find('[data-test="assist-reply"]').text()).toBe('已配合更换灯头');
    expect(parts[0].text()).toMatch(/期限/);
    expect(parts[0].find('[data-test="assist-overdue"]').exists()).toBe(false);
    expect(parts[1].find('[data-test="assist-reply"]').text()).toBe('未提交');
    expect(parts[1].find('[data-test="assist-overdue"]').text()).toBe('已逾期');
    expect(parts[2].find('[data-test="assist-late"]').text()).toBe('超期提交 1.5 工作小时');
  });

  it('says so when nobody is assigned and no unit assists, in English too', async () => {
    vi.mocked(getWorkOrder).mockResolvedValue(workOrderDetail({ assistingUnits: [] }));
    const { wrapper } = await mountView({ routes, path: '/work-orders/42', locale: 'en' });
    await flushPromises();

    expect(wrapper.find('[data-test="detail-assignee"]').text()).toBe('Not assigned');
    expect(wrapper.findAll('[data-test="assist-part"]')).toHaveLength(0);
    expect(wrapper.text()).toContain("Assisting units' parts");
  });

  it('names an overdue part in English', async () => {
    vi.mocked(getWorkOrder).mockResolvedValue(detail);
    const { wrapper } = await mountView({ routes, path: '/work-orders/42', locale: 'en' });
    await flushPromises();

    const parts = wrapper.findAll('[data-test="assist-part"]');
    expect(parts[1].find('[data-test="assist-reply"]').text()).toBe('Not submitted');
    expect(parts[1].find('[data-test="assist-overdue"]').text()).toBe('Overdue');
    expect(parts[2].find('[data-test="assist-late"]').text()).toBe('Submitted 1.5 working hours late');
  });
});
