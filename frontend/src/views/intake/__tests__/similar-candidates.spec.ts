import { flushPromises, type VueWrapper } from '@vue/test-utils';
import { ElCascader, ElMessageBox } from 'element-plus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { listCallerOrders, registerWorkOrder } from '@/api/intake';
import { listCategoryTree, listUnitTree } from '@/api/organisation';
import type { RegisteredWorkOrder, WorkOrderDetail } from '@/api/models';
import { findSimilarDrafts, markRepeat, unmarkRepeat, type SimilarOrder } from '@/api/repeats';
import { performAction } from '@/api/work-order-actions';
import { getWorkOrder } from '@/api/work-orders';
import { timelineEvent } from '@/views/work-orders/__tests__/fixtures';
import type * as knowledgeApi from '@/api/knowledge';
import type * as repeatsApi from '@/api/repeats';
import { useIncomingCall } from '../useIncomingCall';
import { SIMILAR_LOOKUP_DELAY_MS, similarDraftOf } from '../useSimilarCandidates';
import { emptyIntakeForm } from '../rule';
import { categoryTree, mountIntake, registeredOrder, unitTree } from './intake-fixtures';

vi.mock('@/api/intake', () => ({ registerWorkOrder: vi.fn(), listCallerOrders: vi.fn(), CALLER_HISTORY_SIZE: 10 }));
vi.mock('@/api/organisation', () => ({ listCategoryTree: vi.fn(), listUnitTree: vi.fn() }));
vi.mock('@/api/work-order-actions', () => ({ performAction: vi.fn() }));
vi.mock('@/api/work-orders', () => ({ getWorkOrder: vi.fn(), listWorkOrders: vi.fn() }));
const changes = vi.hoisted(() => ({
  callback: null as ((event: { workOrderId: number; version: number } | null) => void) | null,
  replay: null as (() => readonly number[]) | null,
}));
vi.mock('@/composables/useWorkOrderChanges', () => ({
  useWorkOrderChanges: (callback: (event: { workOrderId: number; version: number } | null) => void, options: { replay?: () => readonly number[] } = {}) => {
    changes.callback = callback;
    changes.replay = options.replay ?? null;
  },
}));
vi.mock('@/api/repeats', async (importOriginal) => ({
  ...(await importOriginal<typeof repeatsApi>()),
  findSimilarDrafts: vi.fn(),
  markRepeat: vi.fn(),
  unmarkRepeat: vi.fn(),
}));
vi.mock('@/api/knowledge', async (importOriginal) => ({
  ...(await importOriginal<typeof knowledgeApi>()),
  listKnowledge: vi.fn(() => Promise.resolve({ items: [], total: 0, page: 1, pageSize: 10 })),
  getKnowledgeArticle: vi.fn(),
}));

vi.setConfig({ testTimeout: 20_000 });

const candidate = (overrides: Partial<SimilarOrder> = {}): SimilarOrder => ({
  id: 31,
  number: '20261120000031',
  title: '朝阳路18号路灯不亮',
  address: '朝阳街道朝阳路18号',
  status: 'processing',
  createdAt: '2026-11-20T02:00:00.000Z',
  kind: 'repeat',
  score: 0.93,
  reasons: [{ code: 'same_caller' }, { code: 'text_similar', value: 0.82 }, { code: 'same_address' }, { code: 'days_ago', value: 12 }],
  reasonText: '同一来电人 · 内容相似 0.82 · 同一地址 · 12 天前',
  ...overrides,
});
const hotspotCandidate = candidate({ id: 32, number: '20261125000032', kind: 'hotspot', score: 0.71, reasons: [{ code: 'same_place' }], reasonText: '同一地点' });

/** A promise settled from outside, for answers that arrive out of order. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The registration's answer: the order with the candidates the server found. */
function withCandidates(order: WorkOrderDetail, similarOrders: SimilarOrder[]): RegisteredWorkOrder {
  return { ...order, similarOrders };
}

const field = (wrapper: VueWrapper, test: string) => wrapper.find(`[data-test="${test}"]`);

async function chooseCategory(wrapper: VueWrapper, id: number) {
  const cascader = wrapper.findComponent(ElCascader);
  cascader.vm.$emit('update:modelValue', id);
  cascader.vm.$emit('change', id);
  await flushPromises();
}

async function fillForm(wrapper: VueWrapper) {
  await chooseCategory(wrapper, 101);
  await field(wrapper, 'intake-citizen-phone').setValue('13812345678');
  await field(wrapper, 'intake-address').setValue('朝阳街道朝阳路18号');
  await field(wrapper, 'intake-title').setValue('朝阳路路灯不亮');
  await field(wrapper, 'intake-content').setValue('朝阳路18号路灯又不亮了。');
}

describe('similar orders while the agent types', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    localStorage.clear();
    useIncomingCall().end();
    vi.useFakeTimers({ shouldAdvanceTime: true });
    vi.mocked(listCategoryTree).mockReset().mockResolvedValue(categoryTree);
    vi.mocked(listUnitTree).mockReset().mockResolvedValue(unitTree);
    vi.mocked(listCallerOrders).mockReset().mockResolvedValue({ total: 0, page: 1, pageSize: 10, items: [], totalExact: true, hasMore: false, nextCursor: null });
    vi.mocked(findSimilarDrafts).mockReset().mockResolvedValue([]);
    vi.mocked(registerWorkOrder).mockReset();
    vi.mocked(performAction).mockReset();
    vi.mocked(markRepeat).mockReset();
    vi.mocked(unmarkRepeat).mockReset();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('asks nothing until there is a category and enough text', () => {
    const form = { ...emptyIntakeForm(), title: '路灯' };
    expect(similarDraftOf(form)).toBeNull();
    expect(similarDraftOf({ ...form, categoryId: 101 })).toBeNull();
    expect(similarDraftOf({ ...form, categoryId: 101, content: '朝阳路路灯不亮', citizenPhone: '138 1234 5678', streetUnitId: 41 })).toEqual({
      title: '路灯',
      content: '朝阳路路灯不亮',
      address: '',
      categoryId: 101,
      citizenPhone: '13812345678',
      streetUnitId: 41,
    });
  });

  it('looks up once, 400 ms after the last keystroke, with what the form holds', async () => {
    vi.mocked(findSimilarDrafts).mockResolvedValue([hotspotCandidate, candidate()]);
    const { wrapper } = await mountIntake();
    await fillForm(wrapper);
    expect(findSimilarDrafts).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(SIMILAR_LOOKUP_DELAY_MS - 50);
    expect(findSimilarDrafts).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60);
    await flushPromises();
    expect(findSimilarDrafts).toHaveBeenCalledTimes(1);
    expect(vi.mocked(findSimilarDrafts).mock.calls[0][0]).toEqual({
      title: '朝阳路路灯不亮',
      content: '朝阳路18号路灯又不亮了。',
      address: '朝阳街道朝阳路18号',
      categoryId: 101,
      citizenPhone: '13812345678',
      requestType: 'report',
    });

    const panel = field(wrapper, 'similar-panel');
    expect(panel.attributes('data-state')).toBe('loaded');
    // The same caller's repeat first, highlighted, with its reasons translated.
    const items = panel.findAll('[data-test="similar-order"]');
    expect(items.map((item) => item.attributes('data-id'))).toEqual(['31', '32']);
    expect(items[0].classes()).toContain('is-same-caller');
    expect(items[0].find('[data-test="similar-reasons"]').text()).toBe('同一来电人 · 内容相似 0.82 · 同一地址 · 12 天前');
    expect(items[0].find('[data-test="similar-number"]').attributes('target')).toBe('_blank');
    expect(field(wrapper, 'similar-repeat-warning').exists()).toBe(true);
    // Before registration the panel only informs.
    expect(panel.find('[data-test="candidate-action"]').exists()).toBe(false);
  });

  it('shows the reasons in English by their codes', async () => {
    vi.mocked(findSimilarDrafts).mockResolvedValue([candidate()]);
    const { wrapper } = await mountIntake({ locale: 'en' });
    await fillForm(wrapper);
    await vi.advanceTimersByTimeAsync(SIMILAR_LOOKUP_DELAY_MS + 10);
    await flushPromises();
    expect(field(wrapper, 'similar-reasons').text()).toBe('same caller · text 0.82 alike · same address · 12 days ago');
  });

  it('cancels a lookup the agent typed past and never shows its late answer', async () => {
    const first = deferred<SimilarOrder[]>();
    const second = deferred<SimilarOrder[]>();
    vi.mocked(findSimilarDrafts).mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const { wrapper } = await mountIntake();
    await fillForm(wrapper);
    await vi.advanceTimersByTimeAsync(SIMILAR_LOOKUP_DELAY_MS + 10);
    expect(findSimilarDrafts).toHaveBeenCalledTimes(1);
    const firstSignal = vi.mocked(findSimilarDrafts).mock.calls[0][1]!;

    await field(wrapper, 'intake-title').setValue('朝阳路18号路灯不亮');
    expect(firstSignal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(SIMILAR_LOOKUP_DELAY_MS + 10);
    expect(findSimilarDrafts).toHaveBeenCalledTimes(2);

    second.resolve([hotspotCandidate]);
    await flushPromises();
    first.resolve([candidate()]);
    await flushPromises();
    const ids = wrapper.findAll('[data-test="similar-order"]').map((item) => item.attributes('data-id'));
    expect(ids).toEqual(['32']);
  });

  describe('after registering', () => {
    async function register(wrapper: VueWrapper) {
      await field(wrapper, 'intake-submit').trigger('click');
      await flushPromises();
      await flushPromises();
    }

    it('links, marks a repeat or merges the new order into the chosen candidate, as allowedActions offer', async () => {
      const order = registeredOrder({ allowedActions: ['dispatch', 'link', 'mark-repeat', 'merge'] });
      vi.mocked(registerWorkOrder).mockResolvedValue(withCandidates(order, [candidate(), hotspotCandidate]));
      const { wrapper } = await mountIntake();
      await fillForm(wrapper);
      await register(wrapper);

      const panel = field(wrapper, 'registered-candidates');
      const first = () => panel.findAll('[data-test="similar-order"]')[0];
      expect(first().findAll('[data-test="candidate-action"]').map((button) => button.attributes('data-action'))).toEqual(['mark-repeat', 'link', 'merge']);

      // Mark repeat: POST …/mark-repeat with the order's version and the candidate.
      vi.mocked(markRepeat).mockResolvedValue(registeredOrder({ version: 2, repeatOfId: 31, allowedActions: ['dispatch', 'link', 'unmark-repeat'] }));
      await first().find('[data-action="mark-repeat"]').trigger('click');
      await flushPromises();
      expect(markRepeat).toHaveBeenCalledWith(77, { version: 1, targetId: 31 });
      expect(first().find('[data-test="candidate-relation"]').text()).toBe('已标记为其重复件');
      expect(field(wrapper, 'registered-repeat-of').text()).toContain('20261120000031');

      // Link the other candidate with the new version.
      const second = () => panel.findAll('[data-test="similar-order"]')[1];
      vi.mocked(performAction).mockResolvedValue(
        registeredOrder({ version: 3, repeatOfId: 31, linkedOrders: [{ id: 32, accessible: true }], allowedActions: ['dispatch', 'merge'] }),
      );
      await second().find('[data-action="link"]').trigger('click');
      await flushPromises();
      expect(performAction).toHaveBeenCalledWith(77, 'link', { version: 2, targetId: 32 });
      expect(second().find('[data-test="candidate-relation"]').text()).toBe('已关联');
    });

    it('asks before merging, and merges only when confirmed', async () => {
      const order = registeredOrder({ allowedActions: ['dispatch', 'merge'] });
      vi.mocked(registerWorkOrder).mockResolvedValue(withCandidates(order, [candidate()]));
      const { wrapper } = await mountIntake();
      await fillForm(wrapper);
      await register(wrapper);
      const merge = () => field(wrapper, 'registered-candidates').find('[data-action="merge"]');

      const confirm = vi.spyOn(ElMessageBox, 'confirm').mockRejectedValueOnce('cancel');
      await merge().trigger('click');
      await flushPromises();
      expect(confirm).toHaveBeenCalledTimes(1);
      expect(performAction).not.toHaveBeenCalled();

      confirm.mockResolvedValueOnce('confirm' as never);
      vi.mocked(performAction).mockResolvedValue(registeredOrder({ status: 'merged', mergedIntoId: 31, version: 2, allowedActions: ['unmerge'] }));
      await merge().trigger('click');
      await flushPromises();
      expect(performAction).toHaveBeenCalledWith(77, 'merge', { version: 1, targetId: 31 });
      expect(field(wrapper, 'registered-candidates').find('[data-test="candidate-relation"]').text()).toBe('已合并至此单');
    });

    it('shows the detector’s mark when it arrives after the answer (workOrder.changed), and takes the mark back', async () => {
      vi.mocked(registerWorkOrder).mockResolvedValue(withCandidates(registeredOrder(), [candidate()]));
      const { wrapper } = await mountIntake();
      await fillForm(wrapper);
      await register(wrapper);
      expect(field(wrapper, 'registered-repeat-of').exists()).toBe(false);
      // A mark heard before the panel was mounted is replayed to it (the notifications store keeps the latest per order).
      expect(changes.replay?.()).toEqual([77]);
      // The detector screens the order right after the answer: its mark comes as workOrder.changed, the panel reloads.
      const marked = registeredOrder({
        version: 2,
        repeatOfId: 31,
        allowedActions: ['dispatch', 'unmark-repeat'],
        timeline: [timelineEvent({ workOrderId: 77 }), timelineEvent({ id: 2, workOrderId: 77, action: 'repeat-detected', toStatus: 'registered', fromStatus: 'registered', actorId: null, actorName: 'system' })],
      });
      vi.mocked(getWorkOrder).mockResolvedValue(marked);
      changes.callback?.({ workOrderId: 77, version: 2 });
      await flushPromises();
      expect(getWorkOrder).toHaveBeenCalledWith(77);
      expect(field(wrapper, 'registered-repeat-of').text()).toContain('系统已自动将本单标记为 20261120000031 的重复件');
      // Offers nothing on the candidate it is already a repeat of.
      expect(field(wrapper, 'registered-candidates').find('[data-test="candidate-action"]').exists()).toBe(false);

      vi.mocked(unmarkRepeat).mockResolvedValue(registeredOrder({ version: 3, repeatOfId: null, allowedActions: ['dispatch', 'mark-repeat'] }));
      await field(wrapper, 'registered-unmark-repeat').trigger('click');
      await flushPromises();
      expect(unmarkRepeat).toHaveBeenCalledWith(77, { version: 2 });
      expect(field(wrapper, 'registered-repeat-of').exists()).toBe(false);
      expect(field(wrapper, 'registered-candidates').find('[data-action="mark-repeat"]').exists()).toBe(true);
    });
  });
});
