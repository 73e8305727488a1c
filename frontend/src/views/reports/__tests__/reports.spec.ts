import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { saveBlob } from '@/api/attachments';
import type { Role, UnitTreeNode } from '@/api/models';
import { listCategoryTree, listUnitTree } from '@/api/organisation';
import type * as reportsApi from '@/api/reports';
import { downloadPeriodBulletin, exportReport, generateBulletin, getReport, listBulletins, type ReportName } from '@/api/reports';
import type * as dateUtils from '@/utils/date';
import UnitTreeSelect from '@/components/UnitTreeSelect.vue';
import { mountView, StubPage } from '@/testing/mount-view';
import PeriodPicker from '../components/PeriodPicker.vue';
import ReportsView from '../index.vue';
import { assessmentFixture, bulletin, callsWithoutData } from './fixtures';

const session = vi.hoisted(() => ({ role: 'supervisor', unitId: 1 }));
vi.mock('@/store/modules/user', () => ({ useUserStore: () => ({ user: { role: session.role, unitId: session.unitId } }) }));
vi.mock('@/utils/date', async (importOriginal) => ({ ...(await importOriginal<typeof dateUtils>()), centerDate: () => '2026-12-02' }));
vi.mock('@/api/reports', async (importOriginal) => ({
  ...(await importOriginal<typeof reportsApi>()),
  getReport: vi.fn(),
  exportReport: vi.fn(),
  downloadPeriodBulletin: vi.fn(),
  listBulletins: vi.fn(),
  generateBulletin: vi.fn(),
  downloadBulletin: vi.fn(),
}));
vi.mock('@/api/organisation', () => ({ listUnitTree: vi.fn(), listCategoryTree: vi.fn() }));
vi.mock('@/api/attachments', () => ({ saveBlob: vi.fn() }));
// ECharts needs a canvas, which jsdom has not.
vi.mock('../components/ReportChart.vue', () => ({
  default: defineComponent({ props: { option: { type: Object, required: true }, label: { type: String, default: '' } }, setup: (props) => () => h('div', { 'data-test': 'chart-stub', 'aria-label': props.label }) }),
}));

vi.setConfig({ testTimeout: 30_000 });

const unitTree: UnitTreeNode[] = [
  { id: 10, code: 'dc', name: '东城区人民政府', type: 'district', parentId: 1, active: true, children: [] } as unknown as UnitTreeNode,
];

async function mountReports(role: Role = 'supervisor', locale: 'zh-CN' | 'en' = 'zh-CN') {
  session.role = role;
  const mounted = await mountView({
    routes: [
      { path: '/reports', component: ReportsView },
      { path: '/work-orders/:id', name: 'work-order-detail', component: StubPage },
    ],
    path: '/reports',
    locale,
  });
  await flushPromises();
  return mounted;
}

const rowNames = (wrapper: Awaited<ReturnType<typeof mountReports>>['wrapper']) =>
  wrapper.findAll('[data-test="assessment-table"] [data-test="report-row"]').map((row) => row.find('[data-col="unit"]').text());

describe('reports page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    localStorage.clear();
    vi.mocked(getReport).mockReset().mockImplementation(async (name: ReportName) => (name === 'calls' ? callsWithoutData() : assessmentFixture()));
    vi.mocked(listBulletins).mockReset().mockResolvedValue([bulletin(), bulletin({ id: 4, month: '2026-11', status: 'failed', trigger: 'manual', sizeBytes: null, downloadUrl: null, error: 'font missing' })]);
    vi.mocked(generateBulletin).mockReset();
    vi.mocked(exportReport).mockReset();
    vi.mocked(downloadPeriodBulletin).mockReset();
    vi.mocked(saveBlob).mockReset();
    vi.mocked(listUnitTree).mockReset().mockResolvedValue(unitTree);
    vi.mocked(listCategoryTree).mockReset().mockResolvedValue([]);
  });

  it('opens on last month’s ranking of the whole center: totals, chart and the units in tree order', async () => {
    const { wrapper } = await mountReports();
    expect(getReport).toHaveBeenCalledTimes(1);
    expect(vi.mocked(getReport).mock.calls[0].slice(0, 2)).toEqual(['assessment', { from: '2026-11-01', to: '2026-11-30', unitId: null }]);
    expect(wrapper.find('[data-test="reports-page"]').attributes('data-state')).toBe('loaded');
    expect(wrapper.find('[data-test="reports-period"]').text()).toBe('2026-11-01 至 2026-11-30');
    expect(wrapper.find('[data-test="summary-received"]').text()).toContain('20');
    expect(wrapper.find('[data-test="summary-score"]').attributes('data-value')).toBe('81.3');
    expect(wrapper.find('[data-test="summary-resolutionRate"]').attributes('data-value')).toBe('75.0%');
    // The chart (ECharts) comes on demand, and stays for the next visit.
    expect(wrapper.find('[data-test="chart-stub"]').exists()).toBe(false);
    await wrapper.find('[data-test="assessment-chart-toggle"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="chart-stub"]').attributes('aria-label')).toBe('各单位三率与得分');
    expect(localStorage.getItem('jiesu.reports.showChart')).toBe('1');
    expect(rowNames(wrapper)).toEqual(['东城区人民政府', '朝阳街道办事处', '东关街道办事处', '云川市城市管理局']);
    // The streets are indented under their district while the table is in tree order.
    const street = wrapper.find('[data-test="assessment-table"] [data-key="11"] [data-col="unit"]');
    expect(street.attributes('style')).toContain('padding-left: 30px');
    const dc = wrapper.find('[data-test="assessment-table"] [data-key="10"]');
    expect(dc.find('[data-col="received"]').text()).toBe('12');
    expect(dc.find('[data-col="responseRate"]').text()).toBe('90.0%');
    expect(dc.find('[data-col="score"]').text()).toBe('84.5');
    expect(dc.find('[data-col="rank"]').text()).toBe('1');
    // A unit without callbacks has no resolution rate: "—", never 0 %.
    expect(wrapper.find('[data-test="assessment-table"] [data-key="20"] [data-col="resolutionRate"]').text()).toBe('—');
  });

  it('shows each unit’s rank change with its arrow', async () => {
    const { wrapper } = await mountReports();
    const change = (unitId: number) => wrapper.find(`[data-test="assessment-table"] [data-key="${unitId}"] [data-col="rankChange"] .rank-change`);
    expect([change(10).text(), change(10).attributes('data-move'), change(10).attributes('title')]).toEqual(['↑1', 'up', '上升 1 名']);
    expect([change(11).text(), change(11).attributes('data-move')]).toEqual(['–', 'same']);
    expect([change(12).text(), change(12).attributes('data-move'), change(12).attributes('title')]).toEqual(['↓1', 'down', '下降 1 名']);
    expect([change(20).text(), change(20).attributes('data-move')]).toEqual(['—', 'new']);
  });

  it('sorts the ranking by a column on its header: descending, ascending, then the tree again', async () => {
    const { wrapper } = await mountReports();
    const header = () => wrapper.find('[data-test="assessment-table"] [data-sort="score"]');
    await header().trigger('click');
    expect(rowNames(wrapper)).toEqual(['朝阳街道办事处', '东城区人民政府', '东关街道办事处', '云川市城市管理局']);
    expect(header().element.closest('th')?.getAttribute('aria-sort')).toBe('descending');
    // Sorted, the names are not indented (the tree no longer reads).
    expect(wrapper.find('[data-test="assessment-table"] [data-key="11"] [data-col="unit"]').attributes('style')).toBeUndefined();
    await header().trigger('click');
    expect(rowNames(wrapper)).toEqual(['东关街道办事处', '东城区人民政府', '朝阳街道办事处', '云川市城市管理局']);
    expect(header().element.closest('th')?.getAttribute('aria-sort')).toBe('ascending');
    await header().trigger('click');
    expect(rowNames(wrapper)).toEqual(['东城区人民政府', '朝阳街道办事处', '东关街道办事处', '云川市城市管理局']);
    // Rank sorts best first: rank 1s before rank 2, no rank last.
    await wrapper.find('[data-test="assessment-table"] [data-sort="rank"]').trigger('click');
    expect(rowNames(wrapper)).toEqual(['东城区人民政府', '朝阳街道办事处', '东关街道办事处', '云川市城市管理局']);
    await wrapper.find('[data-test="assessment-table"] [data-sort="overdue"]').trigger('click');
    expect(rowNames(wrapper).slice(-1)).toEqual(['朝阳街道办事处']);
  });

  it('refuses a custom range over a year with a message and asks the server nothing', async () => {
    const { wrapper } = await mountReports();
    const picker = wrapper.findComponent(PeriodPicker);
    picker.vm.$emit('update:modelValue', { kind: 'range', month: '2026-11', quarter: '2026-Q4', range: ['2025-06-01', '2026-06-02'] });
    await flushPromises();
    expect(wrapper.find('[data-test="period-problem"]').text()).toBe('统计周期最长一年（366 天），请缩短日期范围');
    expect(getReport).toHaveBeenCalledTimes(1);
    expect(wrapper.find('[data-test="reports-excel"]').attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-test="reports-pdf"]').attributes('disabled')).toBeDefined();

    picker.vm.$emit('update:modelValue', { kind: 'range', month: '2026-11', quarter: '2026-Q4', range: ['2025-06-02', '2026-06-02'] });
    await flushPromises();
    expect(wrapper.find('[data-test="period-problem"]').exists()).toBe(false);
    expect(vi.mocked(getReport).mock.calls[1].slice(0, 2)).toEqual(['assessment', { from: '2025-06-02', to: '2026-06-02', unitId: null }]);

    picker.vm.$emit('update:modelValue', { kind: 'quarter', month: '2026-11', quarter: '2026-Q3', range: null });
    await flushPromises();
    expect(vi.mocked(getReport).mock.calls[2].slice(0, 2)).toEqual(['assessment', { from: '2026-07-01', to: '2026-09-30', unitId: null }]);
  });

  it('reloads for the unit chosen', async () => {
    const { wrapper } = await mountReports();
    wrapper.findComponent(UnitTreeSelect).vm.$emit('update:modelValue', 10);
    await flushPromises();
    expect(vi.mocked(getReport).mock.calls[1].slice(0, 2)).toEqual(['assessment', { from: '2026-11-01', to: '2026-11-30', unitId: 10 }]);
  });

  it('says "no call data yet" on the calls tab until telephony records calls', async () => {
    const { wrapper } = await mountReports();
    await wrapper.find('#tab-calls').trigger('click');
    await flushPromises();
    expect(vi.mocked(getReport).mock.calls[1].slice(0, 2)).toEqual(['calls', { from: '2026-11-01', to: '2026-11-30', unitId: null }]);
    expect(wrapper.find('[data-test="calls-no-data"]').text()).toContain('暂无话务数据');
    expect(wrapper.find('[data-test="calls-report"] [data-test^="summary-"]').exists()).toBe(false);
    // Back on the ranking: the report loaded before is shown again, not fetched again.
    await wrapper.find('#tab-assessment').trigger('click');
    await flushPromises();
    expect(getReport).toHaveBeenCalledTimes(2);
    expect(rowNames(wrapper)).toHaveLength(4);
  });

  it('exports the tab’s report to Excel and downloads the period’s PDF, under the server’s file names', async () => {
    const workbook = new Blob(['PK']);
    const pdf = new Blob(['%PDF']);
    vi.mocked(exportReport).mockResolvedValue({ blob: workbook, fileName: '考核排名-2026-11.xlsx' });
    vi.mocked(downloadPeriodBulletin).mockResolvedValue({ blob: pdf, fileName: '月度通报-2026-11.pdf' });
    const { wrapper } = await mountReports();
    await wrapper.find('[data-test="reports-excel"]').trigger('click');
    await flushPromises();
    expect(vi.mocked(exportReport).mock.calls[0].slice(0, 2)).toEqual(['assessment', { from: '2026-11-01', to: '2026-11-30', unitId: null }]);
    expect(saveBlob).toHaveBeenCalledWith(workbook, '考核排名-2026-11.xlsx');
    await wrapper.find('[data-test="reports-pdf"]').trigger('click');
    await flushPromises();
    expect(vi.mocked(downloadPeriodBulletin).mock.calls[0][0]).toEqual({ from: '2026-11-01', to: '2026-11-30', unitId: null });
    expect(saveBlob).toHaveBeenLastCalledWith(pdf, '月度通报-2026-11.pdf');
  });

  it('lists the bulletins; a supervisor generates last month’s', async () => {
    vi.mocked(generateBulletin).mockResolvedValue(bulletin({ id: 5, month: '2026-11', status: 'generating', trigger: 'manual' }));
    const { wrapper } = await mountReports();
    await wrapper.find('#tab-bulletins').trigger('click');
    await flushPromises();
    const statuses = wrapper.findAll('[data-test="bulletin-status"]').map((tag) => [tag.attributes('data-status'), tag.text()]);
    expect(statuses).toEqual([
      ['ready', '已生成'],
      ['failed', '生成失败'],
    ]);
    expect(wrapper.findAll('[data-test="bulletin-download"]')).toHaveLength(1);
    expect(wrapper.find('[data-test="bulletin-list"] [data-key="3"] [data-col="size"]').text()).toBe('240.0 KB');
    expect(wrapper.find('[data-test="bulletin-generate-form"]').attributes('data-perms-hidden')).toBeUndefined();

    vi.mocked(listBulletins).mockResolvedValue([bulletin({ id: 5, month: '2026-11', status: 'ready', trigger: 'manual' }), bulletin()]);
    await wrapper.find('[data-test="bulletin-generate"]').trigger('click');
    await flushPromises();
    expect(generateBulletin).toHaveBeenCalledWith('2026-11');
    expect(wrapper.find('[data-test="bulletin-list"] [data-key="5"] [data-test="bulletin-status"]').attributes('data-status')).toBe('ready');
  });

  it('hides "generate" from a dispatcher, who still reads the bulletins', async () => {
    const { wrapper } = await mountReports('dispatcher');
    await wrapper.find('#tab-bulletins').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="bulletin-generate-form"]').attributes('data-perms-hidden')).toBeDefined();
    expect(wrapper.findAll('[data-test="bulletin-status"]')).toHaveLength(2);
  });

  it('offers a unit admin its own subtree by default', async () => {
    const { wrapper } = await mountReports('unit_admin');
    expect(wrapper.find('[data-test="reports-unit"] .el-select__placeholder').text()).toBe('本单位及下级');
    expect(vi.mocked(getReport).mock.calls[0].slice(0, 2)).toEqual(['assessment', { from: '2026-11-01', to: '2026-11-30', unitId: null }]);
  });

  it('speaks English', async () => {
    const { wrapper } = await mountReports('supervisor', 'en');
    expect(wrapper.find('#tab-assessment').text()).toBe('Ranking');
    expect(wrapper.find('[data-test="reports-excel"]').text()).toBe('Export Excel');
    expect(wrapper.find('[data-test="assessment-table"] thead').text()).toContain('Satisfaction rate');
  });
});
