import { Body, Controller, Get, Ip, Param, Post, Query, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UploadedFile } from '../attachments/attachments.service';
import { Public } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { CaptchaResponse, PublicFormOptionsResponse, PublicRequestResponse, SubmittedRequestResponse } from './dto/public-request.response';
import { SubmitPublicRequestBody, SubmitPublicRequestDto } from './dto/submit-public-request.dto';
import { TrackPublicRequestQueryDto } from './dto/track-public-request.dto';
import { PublicRequestErrorsInterceptor } from './public-request-errors.interceptor';
import { MAX_PHOTOS, PublicRequestsService } from './public-requests.service';

/** 市民门户: the citizen portal's API, open without login and limited per client address and per phone number. */
@ApiTags('public')
@Public()
@UseInterceptors(PublicRequestErrorsInterceptor)
@Controller('public')
export class PublicRequestsController {
  constructor(private readonly requests: PublicRequestsService) {}

  @Get('captcha')
  @ApiOperation({ summary: '验证码: an arithmetic question drawn as an image, and the token to answer it with (5 minutes, one try)' })
  @ApiOkResponse({ type: CaptchaResponse })
  @ApiErrorResponses(429)
  captcha(@Ip() ip: string) {
    return this.requests.captchaFor(ip);
  }

  @Get('form-options')
  @ApiOperation({ summary: 'What the request form offers: request types, the active categories, districts and streets, the photo limits' })
  @ApiOkResponse({ type: PublicFormOptionsResponse })
  // Only the whole API's per-address limit applies (RATE_LIMIT_API_PER_USER).
  @ApiErrorResponses(429)
  form() {
    return this.requests.formOptions();
  }

  @Post('requests')
  @UseInterceptors(FilesInterceptor('photos', MAX_PHOTOS))
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ type: SubmitPublicRequestBody })
  @ApiOperation({
    summary: '我要反映: submit a request (channel web) with up to 3 photos and the captcha; answers the number to track it with',
    description:
      'Limited to 20 submissions an hour per client address and 5 per phone number (429 with Retry-After). The captcha is used up by the try, right or wrong (422 CAPTCHA_WRONG, CAPTCHA_EXPIRED, CAPTCHA_USED).',
  })
  @ApiCreatedResponse({ type: SubmittedRequestResponse })
  @ApiErrorResponses(400, 413, 415, 422, 429, 503)
  submit(@Ip() ip: string, @Body() dto: SubmitPublicRequestDto, @UploadedFiles() photos: UploadedFile[] | undefined) {
    return this.requests.submit(ip, dto, photos ?? []);
  }

  @Get('requests/:number')
  @ApiOperation({
    summary: '进度查询: the status, the approved reply and the public timeline of a request, by its number and the phone number given with it',
    description: 'The same 404 for an unknown number and a wrong phone. Limited to 30 look-ups a minute per client address and 20 an hour per number (429).',
  })
  @ApiOkResponse({ type: PublicRequestResponse })
  @ApiErrorResponses(400, 404, 429)
  track(@Ip() ip: string, @Param('number') number: string, @Query() query: TrackPublicRequestQueryDto) {
    return this.requests.track(ip, number, query.phone);
  }
}
