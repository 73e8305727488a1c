import { Attachment } from '../attachments/attachment.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { LoginFailure } from '../auth/entities/login-failure.entity';
import { RefreshToken } from '../auth/entities/refresh-token.entity';
import { CalendarOverrideEntity } from '../calendar/calendar-override.entity';
import { Category } from '../categories/category.entity';
import { DeadlineRule } from '../deadlines/deadline-rule.entity';
import { KnowledgeArticle } from '../knowledge/knowledge-article.entity';
import { KnowledgeTerm } from '../knowledge/knowledge-term.entity';
import { Notification } from '../notifications/notification.entity';
import { Bulletin } from '../reports/bulletins/bulletin.entity';
import { OrderStatFacts } from '../reports/statistics/order-stat-facts.entity';
import { StatisticsCursor } from '../reports/statistics/statistics-cursor.entity';
import { UnitDayStat } from '../reports/statistics/unit-day-stat.entity';
import { Hotspot } from '../repeat-detection/entities/hotspot.entity';
import { MatterFingerprint } from '../repeat-detection/entities/matter-fingerprint.entity';
import { MatterKey } from '../repeat-detection/entities/matter-key.entity';
import { ShirkingFlag } from '../shirking/entities/shirking-flag.entity';
import { Unit } from '../units/unit.entity';
import { User } from '../users/user.entity';
import { DailySequence } from '../work-orders/entities/daily-sequence.entity';
import { WorkOrderAssistingUnit } from '../work-orders/entities/work-order-assisting-unit.entity';
import { WorkOrderEvent } from '../work-orders/entities/work-order-event.entity';
import { WorkOrderLink } from '../work-orders/entities/work-order-link.entity';
import { WorkOrderReturn } from '../work-orders/entities/work-order-return.entity';
import { WorkOrder } from '../work-orders/entities/work-order.entity';
import { RepeatScreeningPending } from '../work-orders/entities/repeat-screening-pending.entity';
import { AgentPhone } from '../cti/entities/agent-phone.entity';
import { AgentStateRow } from '../cti/entities/agent-state.entity';
import { CallEvent } from '../cti/entities/call-event.entity';
import { CallWorkOrder } from '../cti/entities/call-work-order.entity';
import { Call } from '../cti/entities/call.entity';

export const ENTITIES = [
  Unit,
  User,
  Category,
  WorkOrder,
  WorkOrderAssistingUnit,
  WorkOrderLink,
  WorkOrderReturn,
  WorkOrderEvent,
  DailySequence,
  Attachment,
  LoginFailure,
  RefreshToken,
  CalendarOverrideEntity,
  AuditEvent,
  Notification,
  DeadlineRule,
  KnowledgeArticle,
  KnowledgeTerm,
  MatterFingerprint,
  RepeatScreeningPending,
  MatterKey,
  Hotspot,
  ShirkingFlag,
  UnitDayStat,
  OrderStatFacts,
  StatisticsCursor,
  Bulletin,
  Call,
  CallEvent,
  CallWorkOrder,
  AgentPhone,
  AgentStateRow,
];
