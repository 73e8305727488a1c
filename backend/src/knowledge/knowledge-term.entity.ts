import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { KnowledgeArticle } from './knowledge-article.entity';

/**
 * The knowledge base's inverted index: one row per search term (a CJK bigram, a last CJK character, a word) and
 * article, with how often the term occurs in the title (and tags) and in the body. The primary key starts with
 * the term, so a query reads the few rows of its terms and never the articles' text. On MariaDB the term column is
 * utf8mb4_bin (set by the migration): terms are already normalised, and a case- or accent-folding collation would
 * make distinct terms (ß, ss) collide in the key.
 */
@Entity('knowledge_terms')
@Index('IDX_knowledge_terms_articleId', ['articleId'])
export class KnowledgeTerm {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  term: string;

  @PrimaryColumn({ type: 'int' })
  articleId: number;

  @ManyToOne(() => KnowledgeArticle, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'articleId' })
  article?: KnowledgeArticle;

  @Column({ type: 'int' })
  titleCount: number;

  @Column({ type: 'int' })
  bodyCount: number;
}
