import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { isRetryableLockError } from '../database/database-errors';
import { WorkOrdersService } from '../work-orders/work-orders.service';
import { CallsRepository } from './calls.repository';
import type { Call } from './entities/call.entity';

/** How copying a call's survey to its orders went. */
export interface SurveyCopy {
  /** Orders that recorded the survey now (the others had it already). */
  recorded: number[];
  /** A copy failed for a reason that passes (a lock given up, a deadlock): sending the survey event again will finish it. */
  retry: boolean;
}

/**
 * 来电满意度 → 工单: a call's IVR survey (key 1, 2 or 3) is recorded on every work order linked to the call, through the
 * work-orders module (WorkOrdersService.recordCallSurvey: a `call-survey` timeline entry and the order's `callSurvey`,
 * once per call and order). Run after the survey event committed and after each link committed, so whichever of the two
 * comes last finds the other; both running is harmless. Another key rates nothing and is not copied.
 */
@Injectable()
export class CallSurveys {
  private readonly logger = new Logger(CallSurveys.name);

  constructor(
    private readonly calls: CallsRepository,
    private readonly workOrders: WorkOrdersService,
  ) {}

  /** Copies the call's rating to its linked orders (or to the one order named). */
  async copyToOrders(call: Call, onlyWorkOrderId?: number): Promise<SurveyCopy> {
    const outcome: SurveyCopy = { recorded: [], retry: false };
    if (call.surveyDigit === null || call.surveyRating === null) return outcome;
    const orderIds = onlyWorkOrderId !== undefined ? [onlyWorkOrderId] : (await this.calls.linkedOrders(call.id)).map(({ order }) => order.id);
    if (orderIds.length === 0) return outcome;
    const ratedAt = (await this.calls.eventTime(call.callId, 'survey')) ?? call.updatedAt;
    for (const workOrderId of orderIds) {
      try {
        const survey = { rating: call.surveyRating, digit: call.surveyDigit, callId: call.callId, callRecordId: call.id, ratedAt: ratedAt.toISOString() };
        if (await this.workOrders.recordCallSurvey(workOrderId, survey)) outcome.recorded.push(workOrderId);
      } catch (error) {
        if (error instanceof NotFoundException) continue; // the link went with its order
        const passing = error instanceof ConflictException || isRetryableLockError(error);
        outcome.retry ||= passing;
        this.logger.error(`The survey of call ${call.callId} could not be recorded on work order ${workOrderId}${passing ? ' (busy: it is tried again)' : ''}: ${String(error)}`);
      }
    }
    return outcome;
  }
}
