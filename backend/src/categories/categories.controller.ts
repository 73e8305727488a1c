import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-responses';
import { CategoriesService } from './categories.service';
import { CategoryTreeNodeResponse } from './dto/category.response';

@ApiTags('categories')
@ApiBearerAuth()
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Get()
  @ApiOperation({ summary: 'The three-level category tree with default lead units and request types' })
  @ApiOkResponse({ type: [CategoryTreeNodeResponse], description: 'The level-1 categories, each with its subtree (inactive ones included)' })
  @ApiErrorResponses(401)
  tree() {
    return this.categories.tree();
  }
}
