import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus, { ElMessageBox } from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { archiveKnowledgeArticle, type KnowledgeArticleSummary, listKnowledge, updateKnowledgeArticle } from '@/api/knowledge';
import type { Role } from '@/api/models';
import { listCategoryTree } from '@/api/organisation';
import { vPerms } from '@/directives/perms';
import { createAppI18n } from '@/locales';
import { useUserStore } from '@/store/modules/user';
import KnowledgePage from '../index.vue';

vi.mock('@/api/knowledge', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  listKnowledge: vi.fn(),
  archiveKnowledgeArticle: vi.fn(),
  updateKnowledgeArticle: vi.fn(),
}));
vi.mock('@/api/organisation', async (importOriginal) => ({ ...(await importOriginal<Record<string, unknown>>()), listCategoryTree: vi.fn() }));

function summary(id: number, overrides: Partial<KnowledgeArticleSummary> = {}): KnowledgeArticleSummary {
  return {
    id,
    title: `文章${id}`,
    snippet: '摘要',
    categoryId: null,
    categoryPath: null,
    tags: ['标签'],
    status: 'published',
    version: 2,
    createdById: 1,
    createdByName: '督办科刘洋',
    updatedById: 1,
    updatedByName: '督办科刘洋',
    createdAt: '2026-12-01T02:00:00.000Z',
    updatedAt: '2026-12-01T02:00:00.000Z',
    ...overrides,
  };
}

/** The page as a signed-in user of `role` sees it (the user is known before the page mounts, as in the app). */
async function mountAs(role: Role) {
  const pinia = createPinia();
  setActivePinia(pinia);
  useUserStore().user = { id: 1, username: role, displayName: role, role, unitId: 1, unit: null, active: true, mustChangePassword: false };
  const wrapper = mount(KnowledgePage, {
    attachTo: document.body,
    global: { plugins: [pinia, createAppI18n('zh-CN'), ElementPlus], directives: { perms: vPerms } },
  });
  await flushPromises();
  return { wrapper };
}

const visible = (selector: string) => [...document.querySelectorAll<HTMLElement>(selector)].filter((node) => node.style.display !== 'none');

describe('the knowledge base page', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(listKnowledge).mockReset().mockResolvedValue({ items: [summary(1), summary(2, { status: 'archived' })], total: 2, page: 1, pageSize: 20 });
    vi.mocked(archiveKnowledgeArticle).mockReset().mockResolvedValue(undefined);
    vi.mocked(updateKnowledgeArticle).mockReset();
    vi.mocked(listCategoryTree).mockReset().mockResolvedValue([]);
  });

  it('shows an agent the articles, without edit buttons or the status filter', async () => {
    const { wrapper } = await mountAs('agent');
    expect(listKnowledge).toHaveBeenCalledWith({ page: 1, pageSize: 20 });
    expect(wrapper.find('[data-test="knowledge-page"]').attributes('data-state')).toBe('loaded');
    expect(wrapper.findAll('[data-test="knowledge-row-title"]').map((b) => b.text())).toEqual(['文章1', '文章2']);
    expect(visible('[data-test="knowledge-create"]')).toHaveLength(0);
    expect(visible('[data-test="knowledge-edit"]')).toHaveLength(0);
    expect(wrapper.find('[data-test="knowledge-filter-status"]').exists()).toBe(false);
  });

  it('gives editors create, edit, archive (after confirming) and restore', async () => {
    const { wrapper } = await mountAs('supervisor');
    expect(visible('[data-test="knowledge-create"]')).toHaveLength(1);
    expect(visible('[data-test="knowledge-edit"]').length).toBeGreaterThanOrEqual(2);
    expect(wrapper.find('[data-test="knowledge-filter-status"]').exists()).toBe(true);

    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never);
    visible('[data-test="knowledge-archive"]')[0].click();
    await flushPromises();
    expect(confirm).toHaveBeenCalled();
    expect(archiveKnowledgeArticle).toHaveBeenCalledWith(1);

    vi.mocked(updateKnowledgeArticle).mockResolvedValue({ ...summary(2), body: '正文' });
    visible('[data-test="knowledge-restore"]')[0].click();
    await flushPromises();
    expect(updateKnowledgeArticle).toHaveBeenCalledWith(2, { version: 2, status: 'published' });

    confirm.mockRejectedValue('cancel');
    vi.mocked(archiveKnowledgeArticle).mockClear();
    visible('[data-test="knowledge-archive"]')[0].click();
    await flushPromises();
    expect(archiveKnowledgeArticle).not.toHaveBeenCalled();
  });

  it('searches with the filters the editor set', async () => {
    const { wrapper } = await mountAs('admin');
    await wrapper.find('input[data-test="knowledge-filter-q"]').setValue(' 公积金 提取 ');
    await wrapper.find('[data-test="knowledge-search"]').trigger('click');
    await flushPromises();
    expect(vi.mocked(listKnowledge).mock.calls.at(-1)?.[0]).toEqual({ page: 1, pageSize: 20, q: '公积金 提取' });
  });
});
