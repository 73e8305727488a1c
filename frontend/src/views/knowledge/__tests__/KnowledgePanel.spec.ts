import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type KnowledgeArticle, type KnowledgeArticleSummary, getKnowledgeArticle, listKnowledge } from '@/api/knowledge';
import { ApiError } from '@/api/api-error';
import { createAppI18n } from '@/locales';
import KnowledgePanel from '../components/KnowledgePanel.vue';
import { SEARCH_DEBOUNCE_MS } from '../useKnowledgeSearch';

vi.mock('@/api/knowledge', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  listKnowledge: vi.fn(),
  getKnowledgeArticle: vi.fn(),
}));

function summary(id: number, overrides: Partial<KnowledgeArticleSummary> = {}): KnowledgeArticleSummary {
  return {
    id,
    title: `文章${id}`,
    snippet: `摘要${id}`,
    categoryId: 3,
    categoryPath: '城乡建设/市政设施/路灯',
    tags: [],
    status: 'published',
    version: 1,
    createdById: 1,
    createdByName: '督办科刘洋',
    updatedById: 1,
    updatedByName: '督办科刘洋',
    createdAt: '2026-12-01T02:00:00.000Z',
    updatedAt: '2026-12-01T02:00:00.000Z',
    ...overrides,
  };
}

function article(id: number, body: string): KnowledgeArticle {
  const { snippet: _snippet, ...fields } = summary(id, { title: '路灯不亮、损坏的报修流程' });
  return { ...fields, body };
}

const page = (items: KnowledgeArticleSummary[], total = items.length) => ({ items, total, page: 1, pageSize: 10 });

function mountPanel(props: { categoryId?: number | null; query?: string } = {}) {
  return mount(KnowledgePanel, {
    props,
    attachTo: document.body,
    global: { plugins: [createPinia(), createAppI18n('zh-CN'), ElementPlus] },
  });
}

const lastQuery = () => vi.mocked(listKnowledge).mock.calls.at(-1)?.[0];

describe('the knowledge panel', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(listKnowledge).mockReset().mockResolvedValue(page([summary(1)]));
    vi.mocked(getKnowledgeArticle).mockReset();
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('lists the category’s articles at once, and searches only when typing pauses', async () => {
    vi.useFakeTimers();
    const wrapper = mountPanel({ categoryId: 3 });
    await flushPromises();
    expect(listKnowledge).toHaveBeenCalledTimes(1);
    expect(lastQuery()).toEqual({ page: 1, pageSize: 10, categoryId: 3 });
    expect(wrapper.find('[data-test="knowledge-panel"]').attributes('data-state')).toBe('loaded');

    const input = wrapper.find('input[data-test="knowledge-panel-search"]');
    await input.setValue('路');
    await input.setValue('路灯');
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 1);
    await flushPromises();
    expect(listKnowledge).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    await flushPromises();
    expect(listKnowledge).toHaveBeenCalledTimes(2);
    expect(lastQuery()).toEqual({ page: 1, pageSize: 10, q: '路灯', categoryId: 3 });

    // "This category only" off: the same words everywhere, at once.
    await wrapper.find('[data-test="knowledge-panel-only-category"] input').setValue(false);
    await flushPromises();
    expect(listKnowledge).toHaveBeenCalledTimes(3);
    expect(lastQuery()).toEqual({ page: 1, pageSize: 10, q: '路灯' });
  });

  it('takes the query and category the form gives it, and Enter searches without waiting', async () => {
    vi.useFakeTimers();
    const wrapper = mountPanel({ query: '公积金' });
    await flushPromises();
    expect(lastQuery()).toEqual({ page: 1, pageSize: 10, q: '公积金' });
    expect(wrapper.find('[data-test="knowledge-panel-only-category"]').exists()).toBe(false);

    await wrapper.setProps({ categoryId: 5 });
    await flushPromises();
    expect(lastQuery()).toEqual({ page: 1, pageSize: 10, q: '公积金', categoryId: 5 });

    await wrapper.setProps({ query: '居住证' });
    await wrapper.find('input[data-test="knowledge-panel-search"]').trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(lastQuery()).toEqual({ page: 1, pageSize: 10, q: '居住证', categoryId: 5 });
    const calls = vi.mocked(listKnowledge).mock.calls.length;
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    await flushPromises();
    expect(vi.mocked(listKnowledge).mock.calls.length).toBe(calls);
  });

  it('marks the matches in titles and snippets as text: markup in an article never becomes HTML', async () => {
    vi.mocked(listKnowledge).mockResolvedValue(
      page([summary(1, { title: '<img src=x onerror="alert(1)">路灯报修', snippet: '…遇到<b>路灯</b>不亮…' })]),
    );
    const wrapper = mountPanel({ query: '路灯' });
    await flushPromises();
    const title = wrapper.find('[data-test="knowledge-result-title"]');
    expect(title.find('img').exists()).toBe(false);
    expect(title.text()).toBe('<img src=x onerror="alert(1)">路灯报修');
    expect(title.findAll('mark').map((mark) => mark.text())).toEqual(['路灯']);
    const snippet = wrapper.find('[data-test="knowledge-result-snippet"]');
    expect(snippet.find('b').exists()).toBe(false);
    expect(snippet.findAll('mark').map((mark) => mark.text())).toEqual(['路灯']);
    expect(snippet.text()).toBe('…遇到<b>路灯</b>不亮…');
  });

  it('opens an article and copies its body: to the clipboard and out as the `use` event', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    vi.mocked(getKnowledgeArticle).mockResolvedValue(article(1, '请来电人说明路灯位置。\n派城市管理局。'));
    const wrapper = mountPanel();
    await flushPromises();
    await wrapper.find('[data-test="knowledge-result"]').trigger('click');
    await flushPromises();
    expect(getKnowledgeArticle).toHaveBeenCalledWith(1, expect.any(AbortSignal));
    const body = document.querySelector('[data-test="knowledge-article-body"]');
    expect(body?.textContent).toBe('请来电人说明路灯位置。\n派城市管理局。');

    (document.querySelector('[data-test="knowledge-copy"]') as HTMLButtonElement).click();
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith('请来电人说明路灯位置。\n派城市管理局。');
    expect(wrapper.emitted('use')).toEqual([['请来电人说明路灯位置。\n派城市管理局。']]);
  });

  it('still hands the body over when the clipboard is refused', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: vi.fn().mockRejectedValue(new Error('denied')) } });
    vi.mocked(getKnowledgeArticle).mockResolvedValue(article(1, '正文'));
    const wrapper = mountPanel();
    await flushPromises();
    await wrapper.find('[data-test="knowledge-result"]').trigger('click');
    await flushPromises();
    (document.querySelector('[data-test="knowledge-copy"]') as HTMLButtonElement).click();
    await flushPromises();
    expect(wrapper.emitted('use')).toEqual([['正文']]);
  });

  it('loads more, says when nothing matches, and shows a failed search', async () => {
    vi.mocked(listKnowledge)
      .mockResolvedValueOnce(page([summary(1), summary(2)], 3))
      .mockResolvedValueOnce({ items: [summary(3)], total: 3, page: 2, pageSize: 10 });
    const wrapper = mountPanel();
    await flushPromises();
    await wrapper.find('[data-test="knowledge-panel-more"]').trigger('click');
    await flushPromises();
    expect(lastQuery()).toEqual({ page: 2, pageSize: 10 });
    expect(wrapper.findAll('[data-test="knowledge-result"]')).toHaveLength(3);
    expect(wrapper.find('[data-test="knowledge-panel-more"]').exists()).toBe(false);

    vi.mocked(listKnowledge).mockResolvedValueOnce(page([]));
    const empty = mountPanel({ query: '无此内容' });
    await flushPromises();
    expect(empty.find('[data-test="knowledge-panel-empty"]').text()).toContain('没有找到相关文章');

    vi.mocked(listKnowledge).mockRejectedValueOnce(new ApiError('q must be at most 100 characters', { kind: 'server', statusCode: 400 }));
    const failed = mountPanel({ query: 'x' });
    await flushPromises();
    expect(failed.find('[data-test="knowledge-panel-error"]').exists()).toBe(true);
  });
});
