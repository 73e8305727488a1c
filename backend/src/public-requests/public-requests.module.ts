import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { memoryStorage } from 'multer';
import { AttachmentsModule } from '../attachments/attachments.module';
import { CategoriesModule } from '../categories/categories.module';
import { WorkOrdersModule } from '../work-orders/work-orders.module';
import { CaptchaService } from './captcha/captcha.service';
import { PortalAccount } from './portal-account';
import { PublicRateLimiter } from './public-rate-limits';
import { PublicRequestErrorsInterceptor } from './public-request-errors.interceptor';
import { PublicRequestsController } from './public-requests.controller';
import { PublicRequestsRepository } from './public-requests.repository';
import { MAX_PHOTO_BYTES, MAX_PHOTOS, PublicRequestsService } from './public-requests.service';

/** 市民门户 (issue 9): public submission and tracking of requests, with a captcha and rate limits. */
@Module({
  imports: [
    WorkOrdersModule,
    AttachmentsModule,
    CategoriesModule,
    MulterModule.register({
      storage: memoryStorage(),
      limits: { fileSize: MAX_PHOTO_BYTES, files: MAX_PHOTOS, fields: 30, parts: 40 },
      // Browsers send UTF-8 file names (现场照片.jpg); multer would read them as Latin-1.
      defParamCharset: 'utf8',
    }),
  ],
  controllers: [PublicRequestsController],
  providers: [PublicRequestsService, PublicRequestsRepository, PortalAccount, CaptchaService, PublicRateLimiter, PublicRequestErrorsInterceptor],
})
export class PublicRequestsModule {}
