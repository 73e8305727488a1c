import { RepeatDetectionModule } from '../repeat-detection/repeat-detection.module';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AuditModule } from '../audit/audit.module';
import { CategoriesModule } from '../categories/categories.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { EscalationModule } from '../escalation/escalation.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SearchModule } from '../search/search.module';
import { DailySequence } from './entities/daily-sequence.entity';
import { WorkOrderAssistingUnit } from './entities/work-order-assisting-unit.entity';
import { WorkOrderEvent } from './entities/work-order-event.entity';
import { WorkOrderLink } from './entities/work-order-link.entity';
import { WorkOrderReturn } from './entities/work-order-return.entity';
import { WorkOrder } from './entities/work-order.entity';
import { WorkOrderAccess } from './work-order-access.service';
import { DispatchActionsController } from './actions/dispatch-actions.controller';
import { DispatchActions } from './actions/dispatch-actions.service';
import { ExtensionActionsController } from './actions/extension-actions.controller';
import { ExtensionActions } from './actions/extension-actions.service';
import { HandlingActionsController } from './actions/handling-actions.controller';
import { HandlingActions } from './actions/handling-actions.service';
import { MergeActionsController } from './actions/merge-actions.controller';
import { MergeActions } from './actions/merge-actions.service';
import { RepeatActionsController } from './actions/repeat-actions.controller';
import { RepeatActions } from './actions/repeat-actions.service';
import { ReviewActionsController } from './actions/review-actions.controller';
import { ReviewActions } from './actions/review-actions.service';
import { RulingActionsController } from './actions/ruling-actions.controller';
import { RulingActions } from './actions/ruling-actions.service';
import { WorkOrderTransitions } from './actions/work-order-transitions';
import { WorkOrderAttachmentsService } from './work-order-attachments.service';
import { WorkOrderContactService } from './work-order-contact.service';
import { WorkOrderNotifier } from './work-order-notifier';
import { WorkOrderNumbers } from './work-order-numbers';
import { RepeatOrdersRepository } from './repeat-screening.repository';
import { RepeatScreening } from './repeat-screening.service';
import { WorkOrdersController } from './work-orders.controller';
import { WorkOrdersRepository } from './work-orders.repository';
import { RepeatScreeningPending } from './entities/repeat-screening-pending.entity';
import { RepeatScreeningPendingRepository } from './repeat-screening-pending.repository';
import { RepeatScreeningQueue } from './repeat-screening-queue.service';
import { WorkOrdersService } from './work-orders.service';
import { WorkOrderListRepository } from './list/work-order-list.repository';
import { WorkOrderListService } from './list/work-order-list.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([WorkOrder, WorkOrderEvent, WorkOrderAssistingUnit, WorkOrderLink, WorkOrderReturn, DailySequence, RepeatScreeningPending]),
    CategoriesModule,
    AttachmentsModule,
    AuditModule,
    DeadlinesModule,
    EscalationModule,
    NotificationsModule,
    SearchModule,
    RepeatDetectionModule,
  ],
  controllers: [WorkOrdersController, DispatchActionsController, HandlingActionsController, ReviewActionsController, ExtensionActionsController, MergeActionsController, RulingActionsController, RepeatActionsController],
  providers: [
    WorkOrdersRepository,
    WorkOrdersService,
    WorkOrderListRepository,
    WorkOrderListService,
    WorkOrderTransitions,
    DispatchActions,
    HandlingActions,
    ReviewActions,
    ExtensionActions,
    MergeActions,
    RulingActions,
    RepeatActions,
    RepeatScreening,
    RepeatScreeningQueue,
    RepeatScreeningPendingRepository,
    RepeatOrdersRepository,
    WorkOrderAccess,
    WorkOrderNumbers,
    WorkOrderNotifier,
    WorkOrderAttachmentsService,
    WorkOrderContactService,
  ],
  exports: [WorkOrdersService, WorkOrderListService, WorkOrdersRepository, DispatchActions, HandlingActions, ReviewActions, ExtensionActions, MergeActions],
})
export class WorkOrdersModule {}
