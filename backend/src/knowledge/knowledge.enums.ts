import type { Role } from '../users/role';

/** An article's life: drafts and archived articles are seen by editors only; everyone else reads the published ones. */
export const KNOWLEDGE_STATUSES = ['draft', 'published', 'archived'] as const;
export type KnowledgeStatus = (typeof KNOWLEDGE_STATUSES)[number];

/** The statuses an editor may give an article directly (archiving is DELETE; a PATCH to draft or published restores it). */
export const EDITABLE_KNOWLEDGE_STATUSES = ['draft', 'published'] as const;
export type EditableKnowledgeStatus = (typeof EDITABLE_KNOWLEDGE_STATUSES)[number];

/** The center staff who write the knowledge base (知识库维护): administrators and the supervision office. */
export const KNOWLEDGE_EDITOR_ROLES = ['admin', 'supervisor'] as const satisfies readonly Role[];

export const MAX_TITLE_LENGTH = 200;
export const MAX_BODY_LENGTH = 20_000;
/** A TEXT column holds 65,535 bytes on MariaDB: 20,000 characters of 4-byte emoji would not fit, so bytes are checked too. */
export const MAX_BODY_BYTES = 65_535;
export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 20;
