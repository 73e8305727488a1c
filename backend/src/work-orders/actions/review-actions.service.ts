import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../auth/auth-user';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { callbackAnswerOf, callbackRequired, callbackVerdict, attemptCounts, nextCountingAttemptFrom } from '../callback-rules';
import type { NoteActionDto, ReasonActionDto } from '../dto/action.dto';
import type { CallbackAttemptDto, CallbackDto } from '../dto/review-actions.dto';
import type { WorkOrderDetailView } from '../work-order.view';
import { FRESH_WARNING, WorkOrderTransitions, type ActionContext, type Effects, type OtherOrders, type RelatedEvent } from './work-order-transitions';

/** A new callback round starts (the order goes back to the unit): the unanswered attempts of the last one no longer count. */
const NEW_CALLBACK_ROUND = { callbackAttemptCount: 0, lastCallbackAttemptAt: null } as const;

/** The center's review of a reply (审核), the callback to the citizen (回访) and reopening (重办). */
@Injectable()
export class ReviewActions {
  constructor(
    private readonly transitions: WorkOrderTransitions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * 审核通过. The orders merged into this one (repeat complaints) move on with it in the same transaction: each takes
   * the reply and the lead unit, and waits for its own callback (or closes, if its request type needs none).
   */
  approveReply(caller: AuthUser, id: number, dto: NoteActionDto): Promise<WorkOrderDetailView> {
    const otherOrders: OtherOrders = (order, repository, manager) => repository.mergedIdsInto(order.id, manager);
    return this.transitions.run(caller, { action: 'approve-reply', id, version: dto.version, otherOrders }, (context) => {
      const { now, to, facts } = context;
      return {
        changes: to === 'closed' ? { closedAt: now, ...(facts.isChild ? {} : { callbackOutcome: 'not_required' as const }) } : {},
        reason: dto.note ?? null,
        related: this.followers(context),
      };
    });
  }

  rejectReply(caller: AuthUser, id: number, dto: ReasonActionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'reject-reply', id, version: dto.version }, () => Promise.resolve({ reason: dto.reason }));
  }

  /** 回访未接通: recorded on the timeline; the attempt that makes the counted ones reach the limit closes the order as unreachable. */
  callbackAttempt(caller: AuthUser, id: number, dto: CallbackAttemptDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'callback-attempt', id, version: dto.version }, (context) => Promise.resolve(this.attemptEffects(context, dto.note)));
  }

  callback(caller: AuthUser, id: number, dto: CallbackDto): Promise<WorkOrderDetailView> {
    const answer = callbackAnswerOf(dto);
    const satisfaction = dto.satisfaction ?? null;
    const verdict = callbackVerdict(answer, satisfaction, this.config.callback);
    return this.transitions.run(caller, { action: 'callback', id, version: dto.version, choice: { reopens: verdict.reopens } }, async ({ order, now, to, deadlines }) => {
      const recorded = { calledBackAt: now, resolved: verdict.resolved, satisfaction, callbackOutcome: verdict.outcome };
      const payload = { outcome: verdict.outcome, resolved: verdict.resolved, satisfaction };
      if (to === 'closed') {
        return { changes: { ...recorded, closedAt: now }, reason: dto.note ?? null, payload: { ...payload, reopened: false } };
      }
      // Not resolved, or dissatisfied under the reopen rule: back to the department with a shorter limit (重办).
      const due = (await deadlines()).onReopen(now);
      return {
        changes: { ...recorded, reopenCount: order.reopenCount + 1, ...due, ...FRESH_WARNING, ...NEW_CALLBACK_ROUND },
        reason: dto.note ?? null,
        payload: { ...payload, reopened: true, replyDueAt: due.replyDueAt.toISOString() },
      };
    });
  }

  reopen(caller: AuthUser, id: number, dto: ReasonActionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'reopen', id, version: dto.version }, async ({ order, now, to, deadlines }) => {
      const reset = {
        closedAt: null,
        resolved: null,
        satisfaction: null,
        calledBackAt: null,
        callbackOutcome: null,
        ...NEW_CALLBACK_ROUND,
        reopenCount: order.reopenCount + 1,
        ...FRESH_WARNING,
      };
      const policy = await deadlines();
      if (to === 'registered') {
        // It was answered directly on the call: it goes back to dispatch, with a new dispatch limit.
        return { changes: { ...reset, reply: null, repliedAt: null, ...policy.onRegister(now) }, reason: dto.reason };
      }
      const due = policy.onReopen(now);
      return { changes: { ...reset, ...due }, reason: dto.reason, payload: { replyDueAt: due.replyDueAt.toISOString() } };
    });
  }

  private attemptEffects({ order, now, to }: ActionContext, note: string): Effects {
    const rules = this.config.callback;
    // The rule table closes the order only on an attempt that counts; otherwise the gap decides.
    if (to !== 'closed' && !attemptCounts(order, now, rules)) {
      return {
        reason: note,
        payload: {
          counts: false,
          countedAttempts: order.callbackAttemptCount,
          unreachableAttempts: rules.unreachableAttempts,
          nextCountingAttemptFrom: nextCountingAttemptFrom(order, rules)?.toISOString() ?? null,
        },
      };
    }
    const attempt = order.callbackAttemptCount + 1;
    const counted = { callbackAttemptCount: attempt, lastCallbackAttemptAt: now };
    const payload = { counts: true, attempt, countedAttempts: attempt, unreachableAttempts: rules.unreachableAttempts };
    if (to === 'closed') {
      return { changes: { ...counted, callbackOutcome: 'unreachable', closedAt: now }, reason: note, payload: { ...payload, unreachable: true } };
    }
    return { changes: counted, reason: note, payload };
  }

  /**
   * close-with-target: every order still merged into the approved one (locked with it) takes its reply and lead unit
   * and goes to its own callback, or closes when its request type needs none. Orders that followed an earlier
   * approval (and were not merged again) keep their mergedIntoId for the record but are no longer `merged`: they stay as they are.
   */
  private followers({ order, locked, now }: ActionContext): RelatedEvent[] {
    // The runner locked every order merged into this one (otherOrders) and checked the set again under the lock.
    return [...locked.values()]
      .filter((follower) => follower.status === 'merged' && follower.mergedIntoId === order.id)
      .sort((a, b) => a.id - b.id)
      .map((follower) => {
        const needsCallback = callbackRequired(follower, this.config.callback);
        return {
          order: follower,
          action: 'close-with-target' as const,
          fromStatus: follower.status,
          toStatus: needsCallback ? ('callback_pending' as const) : ('closed' as const),
          reason: null,
          payload: { targetId: order.id, targetNumber: order.number },
          changes: {
            reply: order.reply,
            repliedAt: order.repliedAt,
            leadUnitId: order.leadUnitId,
            statusBeforeMerge: null,
            ...NEW_CALLBACK_ROUND,
            ...(needsCallback ? {} : { closedAt: now, callbackOutcome: 'not_required' as const }),
          },
        };
      });
  }
}
