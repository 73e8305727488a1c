import { describe, expect, it } from 'vitest';
import type { KnowledgeArticle } from '@/api/knowledge';
import {
  articleFormOf,
  bodyProblem,
  createArticleRules,
  emptyArticleForm,
  tagsProblem,
  tidyTags,
  titleProblem,
  toCreateRequest,
  toUpdateRequest,
} from '../rule';

const t = (key: string, named?: Record<string, unknown>) => (typeof named?.max === 'number' ? `${key}:${named.max}` : key);

/** Runs a field's rules as the form does; resolves with the messages of the rules that failed. */
async function problems(field: 'title' | 'body' | 'tags' | 'status', value: unknown): Promise<string[]> {
  const rules = createArticleRules(t)[field];
  const list = Array.isArray(rules) ? rules : rules ? [rules] : [];
  const messages: string[] = [];
  for (const rule of list) {
    if (rule.required && (value === '' || value === null || value === undefined)) messages.push(String(rule.message));
    if (rule.validator) {
      await new Promise<void>((resolve) => {
        void rule.validator!(rule, value, (error?: string | Error) => {
          if (error) messages.push(error instanceof Error ? error.message : error);
          resolve();
        }, {}, {});
      });
    }
  }
  return messages;
}

describe('the article form rules', () => {
  it('need a title that is not blank and at most 200 characters', async () => {
    expect(await problems('title', '')).toContain('knowledge.rule.titleRequired');
    expect(await problems('title', '   ')).toEqual(['knowledge.rule.titleRequired']);
    expect(await problems('title', '标'.repeat(201))).toEqual(['knowledge.rule.titleTooLong:200']);
    expect(await problems('title', ` ${'标'.repeat(200)} `)).toEqual([]);
    expect(titleProblem('住房公积金提取')).toBeNull();
  });

  it('need a body of at most 20,000 characters, counted as the backend counts them (an emoji is one)', async () => {
    expect(await problems('body', '')).toContain('knowledge.rule.bodyRequired');
    expect(bodyProblem('\n \n')).toBe('knowledge.rule.bodyRequired');
    expect(bodyProblem('字'.repeat(20_000))).toBeNull();
    expect(bodyProblem('😀'.repeat(20_000))).toBeNull();
    expect(await problems('body', '字'.repeat(20_001))).toEqual(['knowledge.rule.bodyTooLong:20000']);
  });

  it('allow at most 10 tags of at most 20 characters each', async () => {
    expect(await problems('tags', [])).toEqual([]);
    expect(await problems('tags', Array.from({ length: 11 }, (_, i) => `t${i}`))).toEqual(['knowledge.rule.tooManyTags:10']);
    expect(await problems('tags', ['签'.repeat(21)])).toEqual(['knowledge.rule.tagTooLong:20']);
    expect(tagsProblem([' 公积金 ', '提取'])).toBeNull();
  });

  it('need a status', async () => {
    expect(await problems('status', '')).toEqual(['knowledge.rule.statusRequired']);
    expect(await problems('status', 'published')).toEqual([]);
  });
});

describe('the article form and the API', () => {
  const article: KnowledgeArticle = {
    id: 7,
    title: '路灯报修',
    body: '正文',
    categoryId: 3,
    categoryPath: '城乡建设/市政设施/路灯',
    tags: ['路灯'],
    status: 'archived',
    version: 4,
    createdById: 1,
    createdByName: '督办科刘洋',
    updatedById: 1,
    updatedByName: '督办科刘洋',
    createdAt: '2026-12-01T02:00:00.000Z',
    updatedAt: '2026-12-01T02:00:00.000Z',
  };

  it('starts a new article as a draft without category or tags', () => {
    expect(emptyArticleForm()).toEqual({ title: '', categoryId: null, tags: [], body: '', status: 'draft' });
  });

  it('fills the form from an article; an archived one comes back as a draft unless published', () => {
    expect(articleFormOf(article)).toEqual({ title: '路灯报修', categoryId: 3, tags: ['路灯'], body: '正文', status: 'draft' });
    expect(articleFormOf({ ...article, status: 'published' }).status).toBe('published');
  });

  it('sends trimmed titles and tidy tags, and the loaded version on a change', () => {
    const form = { title: '  路灯报修 ', categoryId: null, tags: [' 路灯 ', '', '路灯', '报修'], body: '正文', status: 'published' as const };
    expect(tidyTags(form.tags)).toEqual(['路灯', '报修']);
    expect(toCreateRequest(form)).toEqual({ title: '路灯报修', body: '正文', categoryId: null, tags: ['路灯', '报修'], status: 'published' });
    expect(toUpdateRequest(form, 4)).toEqual({ version: 4, title: '路灯报修', body: '正文', categoryId: null, tags: ['路灯', '报修'], status: 'published' });
  });
});
