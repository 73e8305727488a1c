import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AuditModule } from '../audit/audit.module';
import { CategoriesModule } from '../categories/categories.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { EscalationModule } from '../escalation/escalation.module';
import { DailySequence } from './entities/daily-sequence.entity';
import { WorkOrderAssistingUnit } from './entities/work-order-assisting-unit.entity';
import { WorkOrderEvent } from './entities/work-order-event.entity';
import { WorkOrderLink } from './entities/work-order-link.entity';
import { WorkOrder } from './entities/work-order.entity';
import { WorkOrderAccess } from './work-order-access.service';
import { WorkOrderActionsService } from './work-order-actions.service';
import { WorkOrderAttachmentsService } from './work-order-attachments.service';
import { WorkOrderContactService } from './work-order-contact.service';
import { WorkOrderNotifier } from './work-order-notifier';
import { WorkOrderNumbers } from './work-order-numbers';
import { WorkOrdersController } from './work-orders.controller';
import { WorkOrdersRepository } from './work-orders.repository';
import { WorkOrdersService } from './work-orders.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([WorkOrder, WorkOrderEvent, WorkOrderAssistingUnit, WorkOrderLink, DailySequence]),
    CategoriesModule,
    AttachmentsModule,
    AuditModule,
    DeadlinesModule,
    EscalationModule,
  ],
  controllers: [WorkOrdersController],
  providers: [
    WorkOrdersRepository,
    WorkOrdersService,
    WorkOrderActionsService,
    WorkOrderAccess,
    WorkOrderNumbers,
    WorkOrderNotifier,
    WorkOrderAttachmentsService,
    WorkOrderContactService,
  ],
  exports: [WorkOrdersService, WorkOrderActionsService, WorkOrdersRepository],
})
export class WorkOrdersModule {}
