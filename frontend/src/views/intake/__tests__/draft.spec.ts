import { flushPromises } from '@vue/test-utils';
import { ElMessageBox, type MessageBoxData } from 'element-plus';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { listCallerOrders, registerWorkOrder } from '@/api/intake';
import { listCategoryTree, listUnitTree } from '@/api/organisation';
import { emptyIntakeForm } from '../rule';
import { useIncomingCall } from '../useIncomingCall';
import { draftKey, DRAFT_SAVE_DELAY_MS, readDraft, writeDraft } from '../useIntakeDraft';
import { categoryTree, mountIntake, registeredOrder, unitTree, wait } from './intake-fixtures';
import type * as knowledgeApi from '@/api/knowledge';
import type * as repeatsApi from '@/api/repeats';

vi.mock('@/api/intake', () => ({ registerWorkOrder: vi.fn(), listCallerOrders: vi.fn(), CALLER_HISTORY_SIZE: 10 }));
vi.mock('@/api/organisation', () => ({ listCategoryTree: vi.fn(), listUnitTree: vi.fn() }));
// The candidates panel looks up similar orders while the form is typed: none here.
vi.mock('@/api/repeats', async (importOriginal) => ({
  ...(await importOriginal<typeof repeatsApi>()),
  findSimilarDrafts: vi.fn(() => Promise.resolve([])),
}));
vi.mock('@/api/work-order-actions', () => ({ performAction: vi.fn() }));
vi.mock('@/api/knowledge', async (importOriginal) => ({
  ...(await importOriginal<typeof knowledgeApi>()),
  listKnowledge: vi.fn(() => Promise.resolve({ items: [], total: 0, page: 1, pageSize: 10 })),
  getKnowledgeArticle: vi.fn(),
}));
vi.mock('@/api/work-orders', () => ({ getWorkOrder: vi.fn(), listWorkOrders: vi.fn() }));

vi.setConfig({ testTimeout: 20_000 });

describe('the stored draft', () => {
  beforeEach(() => localStorage.clear());

  it('is kept per user and read back field by field', () => {
    const form = { ...emptyIntakeForm(), categoryId: 101, title: '路灯不亮', citizenConfidential: true };
    writeDraft(localStorage, 7, form);
    expect(readDraft(localStorage, 7)).toEqual(form);
    expect(readDraft(localStorage, 8)).toBeNull();
  });

  it('is not written for an untouched form, and removed when the form is emptied', () => {
    writeDraft(localStorage, 7, emptyIntakeForm());
    expect(localStorage.getItem(draftKey(7))).toBeNull();
    writeDraft(localStorage, 7, { ...emptyIntakeForm(), title: 'x' });
    writeDraft(localStorage, 7, emptyIntakeForm());
    expect(localStorage.getItem(draftKey(7))).toBeNull();
  });

  it('drops what does not fit a field and ignores what is not a draft', () => {
    localStorage.setItem(
      draftKey(7),
      JSON.stringify({ form: { categoryId: 'abc', urgency: 'someday', channel: 'web', title: '井盖', districtUnitId: -3, extra: 1 } }),
    );
    expect(readDraft(localStorage, 7)).toEqual({ ...emptyIntakeForm(), channel: 'web', title: '井盖' });
    localStorage.setItem(draftKey(7), '{not json');
    expect(readDraft(localStorage, 7)).toBeNull();
  });
});

describe('the draft on the page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    localStorage.clear();
    useIncomingCall().end();
    vi.mocked(listCategoryTree).mockReset().mockResolvedValue(categoryTree);
    vi.mocked(listUnitTree).mockReset().mockResolvedValue(unitTree);
    vi.mocked(listCallerOrders).mockReset().mockResolvedValue({ total: 0, page: 1, pageSize: 10, items: [], totalExact: true, hasMore: false, nextCursor: null });
    vi.mocked(registerWorkOrder).mockReset().mockResolvedValue(registeredOrder());
  });

  it('is saved while typing and restored after a reload, for the same user only', async () => {
    const first = await mountIntake({ userId: 7 });
    await first.wrapper.find('[data-test="intake-title"]').setValue('朝阳路路灯不亮');
    await first.wrapper.find('[data-test="intake-citizen-phone"]').setValue('13812345678');
    expect(localStorage.getItem(draftKey(7))).toBeNull(); // debounced
    await wait(DRAFT_SAVE_DELAY_MS + 50);
    expect(readDraft(localStorage, 7)?.title).toBe('朝阳路路灯不亮');
    first.wrapper.unmount();

    document.body.innerHTML = '';
    const again = await mountIntake({ userId: 7 });
    expect((again.wrapper.find('[data-test="intake-title"]').element as HTMLInputElement).value).toBe('朝阳路路灯不亮');
    expect((again.wrapper.find('[data-test="intake-citizen-phone"]').element as HTMLInputElement).value).toBe('13812345678');
    expect(again.wrapper.find('[data-test="intake-draft-restored"]').exists()).toBe(true);
    // The restored phone brings its caller history back too.
    expect(listCallerOrders).toHaveBeenCalledWith('13812345678', expect.any(AbortSignal));
    again.wrapper.unmount();

    document.body.innerHTML = '';
    const colleague = await mountIntake({ userId: 8 });
    expect((colleague.wrapper.find('[data-test="intake-title"]').element as HTMLInputElement).value).toBe('');
    expect(colleague.wrapper.find('[data-test="intake-draft-restored"]').exists()).toBe(false);
  });

  it('is written at once when the page is left before the delay', async () => {
    const { wrapper } = await mountIntake({ userId: 7 });
    await wrapper.find('[data-test="intake-title"]').setValue('井盖缺失');
    wrapper.unmount();
    expect(readDraft(localStorage, 7)?.title).toBe('井盖缺失');
  });

  it('is cleared once the order is registered', async () => {
    writeDraft(localStorage, 7, {
      ...emptyIntakeForm(),
      categoryId: 101,
      requestType: 'report',
      address: '朝阳路18号',
      title: '路灯不亮',
      content: '一周了',
    });
    const { wrapper } = await mountIntake({ userId: 7 });
    await wrapper.find('[data-test="intake-submit"]').trigger('click');
    await flushPromises();
    expect(registerWorkOrder).toHaveBeenCalledTimes(1);
    expect(localStorage.getItem(draftKey(7))).toBeNull();
    await wait(DRAFT_SAVE_DELAY_MS + 50);
    expect(localStorage.getItem(draftKey(7))).toBeNull();
  });

  it('"清空表单" asks, then empties the form and forgets the draft', async () => {
    writeDraft(localStorage, 7, { ...emptyIntakeForm(), title: '路灯不亮' });
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as unknown as MessageBoxData); // what confirm() resolves with when accepted
    const { wrapper } = await mountIntake({ userId: 7 });
    await wrapper.find('[data-test="intake-clear"]').trigger('click');
    await flushPromises();
    expect(confirm).toHaveBeenCalled();
    expect((wrapper.find('[data-test="intake-title"]').element as HTMLInputElement).value).toBe('');
    await wait(DRAFT_SAVE_DELAY_MS + 50);
    expect(localStorage.getItem(draftKey(7))).toBeNull();
  });
});
