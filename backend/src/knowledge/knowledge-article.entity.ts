import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Category } from '../categories/category.entity';
import { TimestampedEntity } from '../database/columns';
import { User } from '../users/user.entity';
import type { KnowledgeStatus } from './knowledge.enums';

/**
 * 知识库 article: an answer agents read out or paste into a 直办 reply. Never deleted: DELETE archives it. Edits are
 * optimistic (`version`); the search index (knowledge_terms) is rewritten in the same transaction as the article.
 */
@Entity('knowledge_articles')
@Index('IDX_knowledge_articles_status_updated', ['status', 'updatedAt'])
@Index('IDX_knowledge_articles_category_status', ['categoryId', 'status'])
export class KnowledgeArticle extends TimestampedEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** Plain text with light markdown (lists, **bold**); at most 20,000 characters and 65,535 bytes. */
  @Column({ type: 'text' })
  body: string;

  /** Any level of the category tree (an article may cover a whole branch); null when it fits none. */
  @Column({ type: 'int', nullable: true })
  categoryId: number | null;

  @ManyToOne(() => Category, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'categoryId' })
  category?: Category | null;

  /** JSON array of short texts, as text so that both engines store it alike. */
  @Column({ type: 'varchar', length: 500, default: '[]' })
  tags: string;

  @Column({ type: 'varchar', length: 16 })
  status: KnowledgeStatus;

  /** Bumped by every change; a PATCH names the version it was made on (409 when stale). */
  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ type: 'int' })
  createdById: number;

  @ManyToOne(() => User, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'createdById' })
  createdBy?: User;

  @Column({ type: 'int' })
  updatedById: number;

  @ManyToOne(() => User, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'updatedById' })
  updatedBy?: User;
}
