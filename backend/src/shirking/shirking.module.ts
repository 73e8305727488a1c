import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { UnitsModule } from '../units/units.module';
import { ShirkingController } from './shirking.controller';
import { ShirkingListener } from './shirking.listener';
import { ShirkingRepository } from './shirking.repository';
import { ShirkingService } from './shirking.service';

/**
 * 推诿扯皮: shirking detection (docs/shirking.md). Listens to `workOrder.changed`, evaluates the rules on the order,
 * keeps the flags (shirking_flags) and the disputed mark, and answers the supervisors' queue. The ruling itself
 * (`POST /api/work-orders/:id/rule`) is a lifecycle action of the work-orders module.
 */
@Module({
  imports: [UnitsModule, NotificationsModule],
  controllers: [ShirkingController],
  providers: [ShirkingRepository, ShirkingService, ShirkingListener],
  exports: [ShirkingService],
})
export class ShirkingModule {}
