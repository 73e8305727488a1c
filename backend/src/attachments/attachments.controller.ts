import { Controller, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { WORK_ORDER_ROLES } from '../users/role';
import { AttachmentsService, type UploadedFile as StoredUpload } from './attachments.service';
import { AttachmentResponse } from './dto/attachment.response';

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post()
  // Uploads are for work orders: not for the auditor.
  @Roles(...WORK_ORDER_ROLES)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiOperation({ summary: 'Upload a file (≤ 20 MB; photos, PDF, Office documents, audio, MP4); then name its id when registering or replying' })
  @ApiCreatedResponse({ type: AttachmentResponse, description: 'Stored, not yet bound to a work order' })
  @ApiErrorResponses(400, 401, 403, 413, 415, 422)
  upload(@CurrentUser() caller: AuthUser, @UploadedFile() file: StoredUpload | undefined) {
    return this.attachments.upload(caller, file);
  }
}
