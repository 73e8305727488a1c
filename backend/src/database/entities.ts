import { Attachment } from '../attachments/attachment.entity';
import { Category } from '../categories/category.entity';
import { Unit } from '../units/unit.entity';
import { User } from '../users/user.entity';
import { DailySequence } from '../work-orders/entities/daily-sequence.entity';
import { WorkOrderAssistingUnit } from '../work-orders/entities/work-order-assisting-unit.entity';
import { WorkOrderEvent } from '../work-orders/entities/work-order-event.entity';
import { WorkOrderLink } from '../work-orders/entities/work-order-link.entity';
import { WorkOrder } from '../work-orders/entities/work-order.entity';

export const ENTITIES = [
  Unit,
  User,
  Category,
  WorkOrder,
  WorkOrderAssistingUnit,
  WorkOrderLink,
  WorkOrderEvent,
  DailySequence,
  Attachment,
];
