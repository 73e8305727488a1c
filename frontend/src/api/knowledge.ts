/**
 * The knowledge base (知识库): `GET/POST /api/knowledge`, `GET/PATCH/DELETE /api/knowledge/{id}`. Every signed-in
 * role but the auditor reads published articles; admin and supervisor write (and see drafts and archived ones).
 * The types are the generated OpenAPI ones (aliased here until the shared `models.ts` names them).
 */
import { http } from './http';
import type { components, operations } from './generated/openapi';
import { editableKnowledgeStatusValues, knowledgeStatusValues } from './generated/openapi';
import type { Role } from './models';

type Schemas = components['schemas'];
export type KnowledgeArticle = Schemas['KnowledgeArticleResponse'];
export type KnowledgeArticleSummary = Schemas['KnowledgeArticleSummaryResponse'];
export type KnowledgeArticlePage = Schemas['KnowledgeArticlePageResponse'];
export type KnowledgeArticleInput = Schemas['CreateKnowledgeArticleDto'];
export type KnowledgeArticleChange = Schemas['UpdateKnowledgeArticleDto'];
export type KnowledgeStatus = Schemas['KnowledgeStatus'];
export const KNOWLEDGE_STATUSES: readonly KnowledgeStatus[] = knowledgeStatusValues;
export type EditableKnowledgeStatus = Schemas['EditableKnowledgeStatus'];
export const EDITABLE_KNOWLEDGE_STATUSES: readonly EditableKnowledgeStatus[] = editableKnowledgeStatusValues;
/** Query of `GET /api/knowledge`: q, categoryId, status (editors), page, pageSize. */
export type KnowledgeQuery = NonNullable<operations['KnowledgeController_list']['parameters']['query']>;

/** Who writes the knowledge base (the backend answers 403 to everyone else). */
export const KNOWLEDGE_EDITOR_ROLES: readonly Role[] = ['admin', 'supervisor'];
/** Who reads it: every role but the security auditor. */
export const KNOWLEDGE_READER_ROLES: readonly Role[] = ['agent', 'dispatcher', 'reviewer', 'callback_agent', 'supervisor', 'admin', 'handler', 'unit_admin'];

/** The backend's limits, for the form's rules (it answers 400 past them). */
export const KNOWLEDGE_LIMITS = { title: 200, body: 20_000, tags: 10, tag: 20, query: 100 } as const;

export function listKnowledge(query: KnowledgeQuery, signal?: AbortSignal): Promise<KnowledgeArticlePage> {
  return http.get<KnowledgeArticlePage>('/knowledge', { params: query, signal });
}

export function getKnowledgeArticle(id: number, signal?: AbortSignal): Promise<KnowledgeArticle> {
  return http.get<KnowledgeArticle>(`/knowledge/${id}`, { signal });
}

export function createKnowledgeArticle(body: KnowledgeArticleInput): Promise<KnowledgeArticle> {
  return http.post<KnowledgeArticle>('/knowledge', body);
}

/** Changes an article; `version` is the one loaded (409 when someone saved in between). */
export function updateKnowledgeArticle(id: number, body: KnowledgeArticleChange): Promise<KnowledgeArticle> {
  return http.patch<KnowledgeArticle>(`/knowledge/${id}`, body);
}

/** Archives it (nothing is deleted; a PATCH of its status restores it). */
export function archiveKnowledgeArticle(id: number): Promise<void> {
  return http.delete<void>(`/knowledge/${id}`);
}
