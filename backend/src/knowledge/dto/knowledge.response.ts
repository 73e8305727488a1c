import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/page.response';
import { KNOWLEDGE_STATUSES, type KnowledgeStatus } from '../knowledge.enums';

const dateTime = { type: String, format: 'date-time' } as const;

/** The fields every view of an article has. */
abstract class KnowledgeArticleFields {
  @ApiProperty({ type: 'integer', description: 'The article’s id' })
  id: number;

  @ApiProperty({ example: '住房公积金提取条件及办理流程', description: 'The title' })
  title: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The category it is filed under, any level; null for none' })
  categoryId: number | null;

  @ApiProperty({ type: String, nullable: true, example: '公共服务/供水/停水', description: 'Category names from the root; null without a category' })
  categoryPath: string | null;

  @ApiProperty({ type: [String], example: ['公积金', '提取'], description: 'Keywords, searched like the title' })
  tags: string[];

  @ApiProperty({ enum: KNOWLEDGE_STATUSES, enumName: 'KnowledgeStatus', description: 'draft and archived articles are seen by editors (admin, supervisor) only' })
  status: KnowledgeStatus;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Send it back with a PATCH (409 when stale)' })
  version: number;

  @ApiProperty({ type: 'integer', description: 'Who wrote the article' })
  createdById: number;

  @ApiProperty({ example: '督办科刘洋', description: 'Their display name' })
  createdByName: string;

  @ApiProperty({ type: 'integer', description: 'Who changed it last' })
  updatedById: number;

  @ApiProperty({ example: '督办科刘洋', description: 'Their display name' })
  updatedByName: string;

  @ApiProperty({ ...dateTime, description: 'When it was written (UTC)' })
  createdAt: Date;

  @ApiProperty({ ...dateTime, description: 'When it was last changed (UTC)' })
  updatedAt: Date;
}

/** One article with its whole body (GET /api/knowledge/{id}, and what writes answer). */
export class KnowledgeArticleResponse extends KnowledgeArticleFields {
  @ApiProperty({ description: 'The answer, plain text with light markdown' })
  body: string;
}

/** An article in a list: a snippet instead of the body. */
export class KnowledgeArticleSummaryResponse extends KnowledgeArticleFields {
  @ApiProperty({ example: '…职工购买、建造、翻建、大修自住住房的，可以提取本人住房公积金账户内的存储余额…', description: 'About 120 characters of the body around the first place the query occurs (plain text; … where cut)' })
  snippet: string;
}

export class KnowledgeArticlePageResponse extends PageResponse {
  @ApiProperty({ type: [KnowledgeArticleSummaryResponse], description: 'The page’s articles: ranked with a query, otherwise the most recently updated first' })
  items: KnowledgeArticleSummaryResponse[];
}
