import { BadRequestException, ConflictException, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { Clock } from '../common/clock';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionService } from '../database/transaction.service';
import { normalizePhone } from '../work-orders/dto/register-work-order.dto';
import { AcdService, type AnsweringAgent } from './acd.service';
import { AgentStateViews } from './agent-state-views';
import { callOutcome } from './call-outcome';
import { CallSurveys } from './call-surveys';
import { CallsRepository } from './calls.repository';
import { CallsService } from './calls.service';
import { surveyRatingOf } from './cti.enums';
import type { CtiEventDto } from './dto/cti-event.dto';
import type { CtiEventResponse } from './dto/cti.response';
import type { Call } from './entities/call.entity';

/** An event may be this far ahead of the server's clock (clocks of the bridge and the server disagree a little). */
export const MAX_EVENT_CLOCK_AHEAD_MS = 5 * 60 * 1000;

/**
 * POST /api/cti/events: each event of a call is accepted once (the unique (callId, event) of call_events, in the same
 * transaction as the record's change), writes its time into the record and re-derives the status and durations from
 * the times (call-outcome.ts) — so a replay, a retry or events out of order give the same record.
 */
@Injectable()
export class CallEventsService {
  constructor(
    private readonly calls: CallsRepository,
    private readonly callViews: CallsService,
    private readonly acd: AcdService,
    private readonly agentStates: AgentStateViews,
    private readonly surveys: CallSurveys,
    private readonly transactions: TransactionService,
    private readonly clock: Clock,
  ) {}

  async accept(dto: CtiEventDto): Promise<CtiEventResponse> {
    const receivedAt = this.clock.now();
    const at = dto.at ? new Date(dto.at) : receivedAt;
    if (at.getTime() > receivedAt.getTime() + MAX_EVENT_CLOCK_AHEAD_MS) {
      throw new BadRequestException(`at (${dto.at}) is more than 5 minutes ahead of the server's clock (${receivedAt.toISOString()}): check the clock of the bridge or the PBX`);
    }
    // A repeat (a replay, a retry after a lost answer) is seen here without a write; two arriving at once are told apart
    // by the unique index below.
    const seen = await this.calls.findByCallId(dto.callId);
    if (seen && (await this.calls.hasEvent(dto.callId, dto.event))) return this.duplicate(dto, seen);
    const answering = dto.event === 'answer' && dto.answeringAgent ? await this.acd.resolveAgent(dto.answeringAgent) : null;
    let call: Call;
    let agentsChanged: number[];
    try {
      ({ call, agentsChanged } = await this.transactions.run(async (manager) => {
        await this.calls.insertIfMissing({ callId: dto.callId, direction: dto.direction ?? 'inbound', status: 'ringing', startedAt: at }, receivedAt, manager);
        await this.calls.insertEvent({ callId: dto.callId, event: dto.event, payload: JSON.stringify(dto), occurredAt: at, receivedAt }, manager);
        const current = await this.calls.findForUpdate(dto.callId, manager);
        if (!current) throw new Error(`The call ${dto.callId} vanished while its event was stored`);
        applyEvent(current, dto, at, answering);
        Object.assign(current, callOutcome(current));
        current.version += 1;
        current.updatedAt = receivedAt;
        const saved = await this.calls.save(current, manager);
        return { call: saved, agentsChanged: await this.acd.followCallEvent(saved, dto.event, answering, at, manager) };
      }));
    } catch (error) {
      // 503, not 409: the bridge's outbox retries a 5xx but drops an event refused with another 4xx for good.
      if (error instanceof ConflictException) throw busy();
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.calls.findByCallId(dto.callId);
      // The unique index of call_events refused it: this event of this call was accepted before (or at the same moment).
      if (existing && (await this.calls.hasEvent(dto.callId, dto.event))) return this.duplicate(dto, existing);
      throw busy();
    }
    await this.agentStates.publish(agentsChanged);
    if (dto.event === 'survey') await this.copySurvey(call);
    return { duplicate: false, call: await this.callViews.detailOf(call) };
  }

  /** A repeated event changes nothing; a repeated survey finishes copying the rating to the call's orders (idempotent). */
  private async duplicate(dto: CtiEventDto, call: Call): Promise<CtiEventResponse> {
    if (dto.event === 'survey') await this.copySurvey(call);
    return { duplicate: true, call: await this.callViews.detailOf(call) };
  }

  /**
   * The survey's rating goes to the orders linked to the call. A copy that failed for a passing reason answers 503: the
   * bridge sends the event again, which comes back here as a duplicate and finishes the copy.
   */
  private async copySurvey(call: Call): Promise<void> {
    if ((await this.surveys.copyToOrders(call)).retry) throw busy();
  }
}

const busy = () => new ServiceUnavailableException('The call record is busy with another change at this moment: send the event again');

const phone = (value: string) => normalizePhone(value.trim());

/** Writes what the event tells into the record (its time, and the facts it carries). */
function applyEvent(call: Call, dto: CtiEventDto, at: Date, answering: AnsweringAgent | null): void {
  const isNewCall = dto.event === 'newCall';
  // newCall is the authority on who called whom; other events fill in only what no event gave yet.
  if (dto.from !== undefined && (isNewCall || call.fromNumber === null)) call.fromNumber = phone(dto.from);
  if (dto.to !== undefined && (isNewCall || call.toNumber === null)) call.toNumber = phone(dto.to);
  if (isNewCall || (dto.direction !== undefined && call.ringingAt === null)) call.direction = dto.direction ?? 'inbound';
  if (at < call.startedAt) call.startedAt = at;
  switch (dto.event) {
    case 'newCall':
      call.ringingAt = at;
      break;
    case 'queued':
      call.queuedAt = at;
      break;
    case 'answer':
      call.answeredAt = at;
      call.answeringAgentId = answering?.userId ?? null;
      call.answeringExtension = answering?.extension ?? dto.answeringAgent ?? null;
      break;
    case 'hangup':
      call.endedAt = at;
      call.cause = dto.cause ?? 'normalClearing';
      break;
    case 'survey':
      call.surveyDigit = dto.digit ?? null;
      call.surveyRating = dto.digit ? surveyRatingOf(dto.digit) : null;
      break;
  }
}
