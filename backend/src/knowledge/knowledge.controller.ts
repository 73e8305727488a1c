import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuditActor, CurrentActor } from '../audit/audit-actor';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { WORK_ORDER_ROLES } from '../users/role';
import { CreateKnowledgeArticleDto, ListKnowledgeQueryDto, UpdateKnowledgeArticleDto } from './dto/knowledge.dto';
import { KnowledgeArticlePageResponse, KnowledgeArticleResponse } from './dto/knowledge.response';
import { KNOWLEDGE_EDITOR_ROLES } from './knowledge.enums';
import { KnowledgeService } from './knowledge.service';

const articleId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('The article id must be a whole number') });

@ApiTags('knowledge')
@ApiBearerAuth()
@ApiErrorResponses(401)
@Controller('knowledge')
export class KnowledgeController {
  constructor(private readonly knowledge: KnowledgeService) {}

  @Get()
  @Roles(...WORK_ORDER_ROLES)
  @ApiOperation({
    summary: 'List or search the knowledge base (every role but the auditor; only editors see drafts and archived articles)',
    description: 'Without q: the most recently updated first. With q: ranked (more query words in the title or tags, then more occurrences, then the most recently updated).',
  })
  @ApiOkResponse({ type: KnowledgeArticlePageResponse })
  @ApiErrorResponses(400, 403, 422)
  list(@CurrentUser() caller: AuthUser, @Query() query: ListKnowledgeQueryDto) {
    return this.knowledge.list(caller, query);
  }

  @Get(':id')
  @Roles(...WORK_ORDER_ROLES)
  @ApiOperation({ summary: 'One article with its whole body (404 for a draft or archived article unless the caller is an editor)' })
  @ApiOkResponse({ type: KnowledgeArticleResponse })
  @ApiErrorResponses(400, 403, 404)
  get(@CurrentUser() caller: AuthUser, @Param('id', articleId) id: number) {
    return this.knowledge.get(caller, id);
  }

  @Post()
  @Roles(...KNOWLEDGE_EDITOR_ROLES)
  @ApiOperation({ summary: 'Write an article (editors: admin, supervisor; audited)' })
  @ApiCreatedResponse({ type: KnowledgeArticleResponse })
  @ApiErrorResponses(400, 403, 422)
  create(@CurrentUser() caller: AuthUser, @CurrentActor() actor: AuditActor, @Body() dto: CreateKnowledgeArticleDto) {
    return this.knowledge.create(caller, actor, dto);
  }

  @Patch(':id')
  @Roles(...KNOWLEDGE_EDITOR_ROLES)
  @ApiOperation({ summary: 'Change, publish, withdraw or restore an article, naming the version it was made on (editors; audited)' })
  @ApiOkResponse({ type: KnowledgeArticleResponse })
  @ApiErrorResponses(400, 403, 404, 409, 422)
  update(@CurrentUser() caller: AuthUser, @CurrentActor() actor: AuditActor, @Param('id', articleId) id: number, @Body() dto: UpdateKnowledgeArticleDto) {
    return this.knowledge.update(caller, actor, id, dto);
  }

  @Delete(':id')
  @Roles(...KNOWLEDGE_EDITOR_ROLES)
  @HttpCode(204)
  @ApiOperation({ summary: 'Archive an article: readers no longer see it; nothing is deleted and a PATCH of its status restores it (editors; audited)' })
  @ApiNoContentResponse({ description: 'Archived (or already archived)' })
  @ApiErrorResponses(400, 403, 404, 409)
  archive(@CurrentUser() caller: AuthUser, @CurrentActor() actor: AuditActor, @Param('id', articleId) id: number) {
    return this.knowledge.archive(caller, actor, id);
  }
}
