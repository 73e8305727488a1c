import type { MigrationInterface } from 'typeorm';
import { Initial1795319323563 } from './1795319323563-Initial';
import { SessionsAndLoginFailures1796162110197 } from './1796162110197-SessionsAndLoginFailures';
import { AttachmentQuotaAndExpiryIndexes1796162145136 } from './1796162145136-AttachmentQuotaAndExpiryIndexes';
import { CalendarOverridesAndAuditEvents1796162870235 } from './1796162870235-CalendarOverridesAndAuditEvents';
import { Notifications1796163388679 } from './1796163388679-Notifications';
import { DeadlineRulesAndWorkOrderDeadlines1796163992031 } from './1796163992031-DeadlineRulesAndWorkOrderDeadlines';
import { AuditTrailIndexes1796171938277 } from './1796171938277-AuditTrailIndexes';
import { UserMustChangePassword1796172071396 } from './1796172071396-UserMustChangePassword';
import { LifecycleAssignmentCallbackReturns1796172627259 } from './1796172627259-LifecycleAssignmentCallbackReturns';
import { WorkOrderSearch1796187005610 } from './1796187005610-WorkOrderSearch';
import { ListIndexes1796187089425 } from './1796187089425-ListIndexes';
import { RegistrationNumberProcedure1796191400000 } from './1796191400000-RegistrationNumberProcedure';
import { QueueIndexes1796193648916 } from './1796193648916-QueueIndexes';
import { KnowledgeBase1796199675391 } from './1796199675391-KnowledgeBase';
import { ClosedAtIndex1796203685360 } from './1796203685360-ClosedAtIndex';
import { RepeatDetection1796216402366 } from './1796216402366-RepeatDetection';
import { ShirkingAndRulings1796217118528 } from './1796217118528-ShirkingAndRulings';
import { ReportsStatisticsAndBulletins1796229004769 } from './1796229004769-ReportsStatisticsAndBulletins';
import { CallCenter1796231772352 } from './1796231772352-CallCenter';
import { CallSurveyOnOrders1796285026645 } from './1796285026645-CallSurveyOnOrders';
import { RepeatScreeningQueue1796304549444 } from './1796304549444-RepeatScreeningQueue';
import { MatterCountsFromIndex1796306888209 } from './1796306888209-MatterCountsFromIndex';
import { AssistingRowsByOrderTime1796320707075 } from './1796320707075-AssistingRowsByOrderTime';
import { RegistrationInOneCall1796410000000 } from './1796410000000-RegistrationInOneCall';
import { RegistrationInOneStatement1796500000000 } from './1796500000000-RegistrationInOneStatement';

/** Every migration, in order. `npm run migration:generate -w backend -- Name` writes new ones to add here. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [Initial1795319323563, SessionsAndLoginFailures1796162110197, AttachmentQuotaAndExpiryIndexes1796162145136, CalendarOverridesAndAuditEvents1796162870235, Notifications1796163388679, DeadlineRulesAndWorkOrderDeadlines1796163992031, AuditTrailIndexes1796171938277, UserMustChangePassword1796172071396, LifecycleAssignmentCallbackReturns1796172627259, WorkOrderSearch1796187005610, ListIndexes1796187089425, RegistrationNumberProcedure1796191400000, QueueIndexes1796193648916, KnowledgeBase1796199675391, ClosedAtIndex1796203685360, RepeatDetection1796216402366, ShirkingAndRulings1796217118528, ReportsStatisticsAndBulletins1796229004769, CallCenter1796231772352, CallSurveyOnOrders1796285026645, RepeatScreeningQueue1796304549444, MatterCountsFromIndex1796306888209, AssistingRowsByOrderTime1796320707075, RegistrationInOneCall1796410000000, RegistrationInOneStatement1796500000000];
