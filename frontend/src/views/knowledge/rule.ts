import type { FormItemRule, FormRules } from 'element-plus';
import { type EditableKnowledgeStatus, type KnowledgeArticle, type KnowledgeArticleChange, type KnowledgeArticleInput, KNOWLEDGE_LIMITS } from '@/api/knowledge';

/** The article form (create and edit), as the editor fills it in. */
export interface ArticleForm {
  title: string;
  categoryId: number | null;
  tags: string[];
  body: string;
  status: EditableKnowledgeStatus;
}

export function emptyArticleForm(): ArticleForm {
  return { title: '', categoryId: null, tags: [], body: '', status: 'draft' };
}

/** The form filled from a loaded article (an archived one is edited back to a draft unless the editor publishes it). */
export function articleFormOf(article: KnowledgeArticle): ArticleForm {
  return {
    title: article.title,
    categoryId: article.categoryId,
    tags: [...article.tags],
    body: article.body,
    status: article.status === 'published' ? 'published' : 'draft',
  };
}

/** Characters as the backend counts them (code points: an emoji is one). */
export const lengthOf = (text: string): number => [...text].length;

/** What is wrong with a field's value, as a locale key with its limit, or null; mirrors the backend's checks. */
export function titleProblem(title: string): string | null {
  if (title.trim() === '') return 'knowledge.rule.titleRequired';
  if (lengthOf(title.trim()) > KNOWLEDGE_LIMITS.title) return 'knowledge.rule.titleTooLong';
  return null;
}

export function bodyProblem(body: string): string | null {
  if (body.trim() === '') return 'knowledge.rule.bodyRequired';
  if (lengthOf(body) > KNOWLEDGE_LIMITS.body) return 'knowledge.rule.bodyTooLong';
  return null;
}

export function tagsProblem(tags: readonly string[]): string | null {
  if (tags.length > KNOWLEDGE_LIMITS.tags) return 'knowledge.rule.tooManyTags';
  if (tags.some((tag) => lengthOf(tag.trim()) > KNOWLEDGE_LIMITS.tag)) return 'knowledge.rule.tagTooLong';
  return null;
}

type Translate = (key: string, named?: Record<string, unknown>) => string;

const LIMIT_OF: Record<string, number> = {
  'knowledge.rule.titleTooLong': KNOWLEDGE_LIMITS.title,
  'knowledge.rule.bodyTooLong': KNOWLEDGE_LIMITS.body,
  'knowledge.rule.tooManyTags': KNOWLEDGE_LIMITS.tags,
  'knowledge.rule.tagTooLong': KNOWLEDGE_LIMITS.tag,
};

function check<T>(problem: (value: T) => string | null, t: Translate, trigger: 'blur' | 'change'): FormItemRule {
  return {
    trigger,
    validator: (_rule, value: T, callback) => {
      const key = problem(value);
      callback(key ? new Error(t(key, { max: LIMIT_OF[key] })) : undefined);
    },
  };
}

export function createArticleRules(t: Translate): FormRules<ArticleForm> {
  return {
    title: [{ required: true, message: t('knowledge.rule.titleRequired'), trigger: 'blur' }, check<string>((v) => titleProblem(v ?? ''), t, 'blur')],
    body: [{ required: true, message: t('knowledge.rule.bodyRequired'), trigger: 'blur' }, check<string>((v) => bodyProblem(v ?? ''), t, 'blur')],
    tags: [check<string[]>((v) => tagsProblem(v ?? []), t, 'change')],
    status: [{ required: true, message: t('knowledge.rule.statusRequired'), trigger: 'change' }],
  };
}

/** Tags as the backend keeps them: trimmed, no empty ones, no repeats. */
export function tidyTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag !== ''))];
}

/** The body of POST /api/knowledge. */
export function toCreateRequest(form: ArticleForm): KnowledgeArticleInput {
  return { title: form.title.trim(), body: form.body, categoryId: form.categoryId, tags: tidyTags(form.tags), status: form.status };
}

/** The body of PATCH /api/knowledge/{id}: every field, on the version that was loaded. */
export function toUpdateRequest(form: ArticleForm, version: number): KnowledgeArticleChange {
  return { version, ...toCreateRequest(form) };
}
