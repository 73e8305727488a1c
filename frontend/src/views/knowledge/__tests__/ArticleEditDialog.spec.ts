import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/api-error';
import { createKnowledgeArticle, getKnowledgeArticle, type KnowledgeArticle, updateKnowledgeArticle } from '@/api/knowledge';
import { listCategoryTree } from '@/api/organisation';
import { createAppI18n } from '@/locales';
import ArticleEditDialog from '../components/ArticleEditDialog.vue';

vi.mock('@/api/knowledge', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  createKnowledgeArticle: vi.fn(),
  getKnowledgeArticle: vi.fn(),
  updateKnowledgeArticle: vi.fn(),
}));
vi.mock('@/api/organisation', async (importOriginal) => ({ ...(await importOriginal<Record<string, unknown>>()), listCategoryTree: vi.fn() }));

function article(overrides: Partial<KnowledgeArticle> = {}): KnowledgeArticle {
  return {
    id: 7,
    title: '路灯报修',
    body: '第一版正文',
    categoryId: null,
    categoryPath: null,
    tags: ['路灯'],
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

function mountDialog(articleId: number | null) {
  return mount(ArticleEditDialog, {
    props: { open: true, articleId },
    attachTo: document.body,
    global: { plugins: [createPinia(), createAppI18n('zh-CN'), ElementPlus] },
  });
}

const field = (name: string) => document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-test="knowledge-edit-${name}"]`)!;
async function type(name: string, value: string): Promise<void> {
  const element = field(name);
  element.value = value;
  element.dispatchEvent(new Event('input'));
  await flushPromises();
}
async function save(): Promise<void> {
  document.querySelector<HTMLButtonElement>('[data-test="knowledge-edit-save"]')!.click();
  await flushPromises();
  await new Promise((resolve) => setTimeout(resolve, 0));
  await flushPromises();
}
/** The labels of the fields marked invalid. */
const invalid = () => [...document.querySelectorAll('.el-form-item.is-error .el-form-item__label')].map((node) => node.textContent?.trim());

describe('the article edit dialog', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
    vi.mocked(createKnowledgeArticle).mockReset();
    vi.mocked(updateKnowledgeArticle).mockReset();
    vi.mocked(getKnowledgeArticle).mockReset();
    vi.mocked(listCategoryTree).mockReset().mockResolvedValue([]);
  });

  it('checks the rules before anything is sent', async () => {
    mountDialog(null);
    await flushPromises();
    await save();
    expect(createKnowledgeArticle).not.toHaveBeenCalled();
    expect(invalid()).toEqual(['标题', '正文']);

    await type('title', '   ');
    await type('body', '字'.repeat(20_001));
    await save();
    expect(createKnowledgeArticle).not.toHaveBeenCalled();
    // A blank title and a body over 20,000 characters (the box stops typing there; a paste is checked here).
    expect(invalid()).toEqual(['标题', '正文']);
  });

  it('creates a draft by default, with a trimmed title', async () => {
    vi.mocked(createKnowledgeArticle).mockResolvedValue(article({ status: 'draft', version: 1 }));
    const wrapper = mountDialog(null);
    await flushPromises();
    await type('title', '  停水原因查询 ');
    await type('body', '先查计划停水公告。');
    await save();
    expect(createKnowledgeArticle).toHaveBeenCalledWith({ title: '停水原因查询', body: '先查计划停水公告。', categoryId: null, tags: [], status: 'draft' });
    expect(wrapper.emitted('saved')).toHaveLength(1);
    expect(wrapper.emitted('update:open')).toEqual([[false]]);
  });

  it('saves on the loaded version; after a 409 it loads the other editor’s version and saves on that', async () => {
    vi.mocked(getKnowledgeArticle).mockResolvedValueOnce(article()).mockResolvedValueOnce(article({ body: '别人改过的正文', version: 3 }));
    vi.mocked(updateKnowledgeArticle)
      .mockRejectedValueOnce(new ApiError('Knowledge article 7 was changed by someone else', { kind: 'server', statusCode: 409, details: { currentVersion: 3 } }))
      .mockResolvedValueOnce(article({ body: '我的正文', version: 4 }));
    const wrapper = mountDialog(7);
    await flushPromises();
    expect((field('title') as HTMLInputElement).value).toBe('路灯报修');
    await type('body', '我的正文');
    await save();
    expect(vi.mocked(updateKnowledgeArticle).mock.calls[0]).toEqual([7, { version: 2, title: '路灯报修', body: '我的正文', categoryId: null, tags: ['路灯'], status: 'published' }]);
    expect(getKnowledgeArticle).toHaveBeenCalledTimes(2);
    expect((field('body') as HTMLTextAreaElement).value).toBe('别人改过的正文');
    expect(wrapper.emitted('saved')).toBeUndefined();

    await type('body', '我的正文');
    await save();
    expect(vi.mocked(updateKnowledgeArticle).mock.calls[1]?.[1]).toMatchObject({ version: 3, body: '我的正文' });
    expect(wrapper.emitted('saved')).toHaveLength(1);
  });

  it('shows any other refusal in the dialog', async () => {
    vi.mocked(createKnowledgeArticle).mockRejectedValue(new ApiError('Category 9 does not exist', { kind: 'server', statusCode: 422 }));
    mountDialog(null);
    await flushPromises();
    await type('title', '标题');
    await type('body', '正文');
    await save();
    expect(document.querySelector('[data-test="knowledge-edit-error"]')).not.toBeNull();
  });
});
