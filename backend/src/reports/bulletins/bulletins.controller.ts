import { BadRequestException, Body, Controller, Get, Param, ParseIntPipe, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../../auth/auth-user';
import { CurrentUser, Roles } from '../../auth/decorators';
import { ApiErrorResponses } from '../../common/api-error-responses';
import { REPORT_ROLES } from '../report-scope';
import { BulletinsService } from './bulletins.service';
import { BulletinResponse, GenerateBulletinDto } from './dto/bulletin.dto';

const bulletinId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('The bulletin id must be a whole number') });

/**
 * 月通报: the stored monthly bulletins (PDF). Published to the units: everyone who may open the reports lists and
 * downloads them; supervisors and administrators generate one on demand (the scheduler does it on the first working day).
 */
@ApiTags('reports')
@ApiBearerAuth()
@ApiErrorResponses(401, 403)
@Controller('reports/bulletins')
export class BulletinsController {
  constructor(private readonly service: BulletinsService) {}

  @Get()
  @Roles(...REPORT_ROLES)
  @ApiOperation({ summary: 'The stored monthly bulletins, the latest month first' })
  @ApiOkResponse({ type: BulletinResponse, isArray: true })
  list() {
    return this.service.list();
  }

  @Post()
  @Roles('supervisor', 'admin')
  @ApiOperation({
    summary: 'Generate the bulletin of a month that is over, now (the whole center); answers when the PDF is stored',
    description: '409 when that month is already generated or being generated; a failed month is generated again. 503 when the CJK font is not installed.',
  })
  @ApiCreatedResponse({ type: BulletinResponse })
  @ApiErrorResponses(400, 409, 503)
  generate(@CurrentUser() caller: AuthUser, @Body() dto: GenerateBulletinDto) {
    return this.service.generateNow(caller, dto.month);
  }

  @Get(':id/download')
  @Roles(...REPORT_ROLES)
  @ApiOperation({ summary: 'Download the PDF of a ready bulletin' })
  @ApiOkResponse({
    description: 'The PDF',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
    headers: {
      'Content-Disposition': { description: "attachment; filename*=UTF-8''12345月度通报_<YYYY-MM>.pdf (percent-encoded)", schema: { type: 'string' } },
      'Content-Length': { schema: { type: 'integer' } },
    },
  })
  @ApiErrorResponses(400, 404, 409)
  async download(@Param('id', bulletinId) id: number, @Res({ passthrough: true }) response: Response): Promise<StreamableFile> {
    const file = await this.service.open(id);
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Disposition', `attachment; filename="bulletin_${file.month}.pdf"; filename*=UTF-8''${encodeURIComponent(`12345月度通报_${file.month}.pdf`)}`);
    return new StreamableFile(file.stream, { length: file.sizeBytes });
  }
}
