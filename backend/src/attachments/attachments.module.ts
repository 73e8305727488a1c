import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { memoryStorage } from 'multer';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Attachment } from './attachment.entity';
import { AttachmentExpiry } from './attachment-expiry.service';
import { AttachmentFiles } from './attachment-files';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';

@Module({
  imports: [
    // The scheduler of the whole application (registered once, here): it runs AttachmentExpiry every 15 minutes.
    ScheduleModule.forRoot(),
    TypeOrmModule.forFeature([Attachment]),
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        limits: { fileSize: config.attachments.maxBytes, files: 1 },
        // Browsers send UTF-8 file names (现场照片.png); multer would read them as Latin-1.
        defParamCharset: 'utf8',
      }),
    }),
  ],
  controllers: [AttachmentsController],
  providers: [AttachmentsRepository, AttachmentsService, AttachmentFiles, AttachmentExpiry],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
