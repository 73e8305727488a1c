import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent } from './audit-event.entity';
import { AuditRetention } from './audit-retention.service';
import { AuditTrailService } from './audit-trail.service';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/**
 * The append-only audit trail: modules that change administrative data (and the login) import it and call
 * AuditService.record; the auditor reads it at GET /api/audit; AuditRetention purges rows past the retention.
 * The ScheduleModule that runs the purge is registered once, by AttachmentsModule.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  controllers: [AuditController],
  providers: [AuditService, AuditRepository, AuditTrailService, AuditRetention],
  exports: [AuditService],
})
export class AuditModule {}
