import { BadRequestException, Body, Controller, Get, Param, ParseIntPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuditActor, CurrentActor } from '../audit/audit-actor';
import { Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { CategoriesAdminService } from './categories-admin.service';
import { CategoriesService } from './categories.service';
import { CreateCategoryDto, UpdateCategoryDto } from './dto/category-admin.dto';
import { CategoryResponse, CategoryTreeNodeResponse } from './dto/category.response';

const categoryId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('The category id must be a whole number') });

@ApiTags('categories')
@ApiBearerAuth()
@Controller('categories')
export class CategoriesController {
  constructor(
    private readonly categories: CategoriesService,
    private readonly admin: CategoriesAdminService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The three-level category tree with default lead units and request types' })
  @ApiOkResponse({ type: [CategoryTreeNodeResponse], description: 'The level-1 categories, each with its subtree (inactive ones included)' })
  @ApiErrorResponses(401)
  tree() {
    return this.categories.tree();
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a category under an active category of level 1 or 2, or at the top (administrators only; audited)' })
  @ApiCreatedResponse({ type: CategoryResponse })
  @ApiErrorResponses(400, 401, 403, 409, 422)
  create(@CurrentActor() actor: AuditActor, @Body() dto: CreateCategoryDto) {
    return this.admin.create(dto, actor);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    summary: 'Rename, move (keeping its level), set the defaults of, deactivate or reactivate a category (administrators only; audited)',
    description: 'Categories are never deleted. No new work order can be registered under an inactive category or under one below it.',
  })
  @ApiOkResponse({ type: CategoryResponse })
  @ApiErrorResponses(400, 401, 403, 404, 422)
  update(@CurrentActor() actor: AuditActor, @Param('id', categoryId) id: number, @Body() dto: UpdateCategoryDto) {
    return this.admin.update(id, dto, actor);
  }
}
