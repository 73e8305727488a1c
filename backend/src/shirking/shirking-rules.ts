import type { AppConfig } from '../config/app-config';
import type { TimelineAction, WorkOrderStatus } from '../work-orders/work-order.enums';
import { DISPUTE_RULES, type ShirkingRule } from './shirking.enums';

export type ShirkingRulesConfig = AppConfig['shirking'];

/** What the rules read of one order: its row, its timeline (oldest first), its returns and the repeats of it. */
export interface OrderHistory {
  order: { id: number; parentId: number | null; status: WorkOrderStatus; leadUnitId: number | null };
  events: readonly { action: TimelineAction; payload: Record<string, unknown> | null; createdAt: Date }[];
  returns: readonly { unitId: number; requestedAt: Date; reasonCode: string; decision: string | null }[];
  /** Orders registered as repeats of this one (their repeatOfId is this order). */
  repeats: readonly { id: number; number: string; createdAt: Date }[];
}

/** A rule that fires on the order: the unit it is about, how often its signal happened, and what it saw. */
export interface FiredRule {
  rule: ShirkingRule;
  unitId: number | null;
  count: number;
  reasons: Record<string, unknown>;
}

export interface Verdict {
  fired: FiredRule[];
  /** 争议件: a top-level order on which a dispute rule (returned, bounced) fired. */
  disputed: boolean;
}

interface Episode {
  unitId: number;
  dispatchedAt: Date;
  warnings: { action: TimelineAction; at: Date; deadline: string | null }[];
  acceptedAt: Date | null;
  acceptLateMinutes: number | null;
  /** The acceptance deadline passed without an acceptance (the scheduler's `overdue` on acceptDueAt). */
  overdue: boolean;
  /** Ended without an acceptance of the unit's own (returned and refused, recalled, ruled elsewhere). */
  ended: boolean;
}

const numberOr = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : null);
const stringOr = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const iso = (at: Date) => at.toISOString();

/**
 * The shirking rules (docs/shirking.md) over one order's history. Pure: the same history and thresholds give the same
 * flags, so evaluating again after any event only adds what is new (the service stores one flag per order and rule).
 * The timeline is walked once, keeping who held the order at each step: dispatch, a recall to a new unit and a ruling
 * hand it to a unit; an approved return or a recall without a new unit give it back to the center.
 */
export function evaluateShirking(history: OrderHistory, config: ShirkingRulesConfig): Verdict {
  let holder: number | null = null;
  const returnedBy = new Set<number>();
  const chain: { unitId: number; at: string; via: string }[] = [];
  const bounces: { unitId: number; at: string }[] = [];
  const episodes: Episode[] = [];
  const rejections: { unitId: number | null; at: string }[] = [];
  const failedCallbacks: { unitId: number | null; at: string; outcome: string | null; satisfaction: string | null }[] = [];
  const reopens: { unitId: number | null; at: string }[] = [];
  // 答复已办结: the center passed the unit's reply on as the answer and no callback or reopen has taken it back since.
  const resolvedReplies: { from: Date; to: Date | null; unitId: number | null }[] = [];
  const openEpisode = () => {
    const last = episodes.at(-1);
    return last && last.acceptedAt === null && !last.ended ? last : null;
  };
  const endResolved = (at: Date) => {
    const last = resolvedReplies.at(-1);
    if (last && last.to === null) last.to = at;
  };
  const handTo = (unitId: number | null, at: Date, via: string) => {
    const open = openEpisode();
    if (open) open.ended = true;
    holder = unitId;
    if (unitId === null) return;
    chain.push({ unitId, at: iso(at), via });
    // 推诿: back with a unit that had already sent it back (a ruling is the center's decision, not a bounce).
    if (via !== 'rule' && returnedBy.has(unitId)) bounces.push({ unitId, at: iso(at) });
    episodes.push({ unitId, dispatchedAt: at, warnings: [], acceptedAt: null, acceptLateMinutes: null, overdue: false, ended: false });
  };

  for (const event of history.events) {
    const payload = event.payload ?? {};
    switch (event.action) {
      case 'dispatch':
        handTo(numberOr(payload.leadUnitId), event.createdAt, 'dispatch');
        break;
      case 'recall':
        handTo(payload.redispatched === true ? numberOr(payload.leadUnitId) : null, event.createdAt, 'recall');
        break;
      case 'rule':
        handTo(numberOr(payload.leadUnitId), event.createdAt, 'rule');
        break;
      case 'return': {
        const unitId = numberOr(payload.unitId) ?? holder;
        if (unitId !== null) returnedBy.add(unitId);
        break;
      }
      case 'approve-return':
        handTo(null, event.createdAt, 'approve-return');
        break;
      case 'reject-return': {
        // The center refused the return and accepted on the unit's behalf: no acceptance of the unit's own to judge.
        const open = openEpisode();
        if (open) open.ended = true;
        break;
      }
      case 'accept': {
        const open = openEpisode();
        if (open) {
          open.acceptedAt = event.createdAt;
          open.acceptLateMinutes = numberOr(payload.acceptLateMinutes);
        }
        break;
      }
      case 'remind':
      case 'overdue':
      case 'supervise':
      case 'escalate': {
        const open = openEpisode();
        const deadline = stringOr(payload.deadline);
        // The scheduler's reminders and red flags name their deadline: only the acceptance limit's count here.
        // A manual reminder (催办) or a supervision before acceptance is about the acceptance.
        if (!open || (deadline !== null && deadline !== 'acceptDueAt')) break;
        open.warnings.push({ action: event.action, at: event.createdAt, deadline });
        if (event.action === 'overdue') open.overdue = true;
        break;
      }
      case 'reject-reply':
        rejections.push({ unitId: holder, at: iso(event.createdAt) });
        break;
      case 'approve-reply':
        // A second approval while a resolved reply still stands (a merged order's) opens no second period.
        if (holder !== null && resolvedReplies.at(-1)?.to !== null) resolvedReplies.push({ from: event.createdAt, to: null, unitId: holder });
        break;
      case 'callback':
        if (payload.reopened === true) {
          failedCallbacks.push({ unitId: holder, at: iso(event.createdAt), outcome: stringOr(payload.outcome), satisfaction: stringOr(payload.satisfaction) });
          endResolved(event.createdAt);
        }
        break;
      case 'reopen':
        reopens.push({ unitId: holder, at: iso(event.createdAt) });
        endResolved(event.createdAt);
        break;
      default:
        break;
    }
  }

  const fired: FiredRule[] = [];
  const { returns } = history;
  if (config.returns > 0 && returns.length >= config.returns) {
    fired.push({
      rule: 'returned',
      unitId: returns[returns.length - 1].unitId,
      count: returns.length,
      reasons: {
        returns: returns.map((r) => ({ unitId: r.unitId, at: iso(r.requestedAt), reasonCode: r.reasonCode, decision: r.decision })),
        units: [...new Set(returns.map((r) => r.unitId))],
      },
    });
  }
  if (config.bounces > 0 && bounces.length >= config.bounces) {
    fired.push({ rule: 'bounced', unitId: bounces[bounces.length - 1].unitId, count: bounces.length, reasons: { bounces, chain } });
  }
  if (config.lateAcceptance !== 'off') {
    const late = episodes.filter(
      (e) =>
        (e.acceptedAt !== null && (e.warnings.length > 0 || (config.lateAcceptance === 'late' && (e.acceptLateMinutes ?? 0) > 0))) ||
        (e.acceptedAt === null && e.overdue),
    );
    if (late.length > 0) {
      fired.push({
        rule: 'late-acceptance',
        unitId: late[late.length - 1].unitId,
        count: late.length,
        reasons: {
          acceptances: late.map((e) => ({
            unitId: e.unitId,
            dispatchedAt: iso(e.dispatchedAt),
            acceptedAt: e.acceptedAt ? iso(e.acceptedAt) : null,
            acceptLateMinutes: e.acceptLateMinutes,
            warnings: e.warnings.map((w) => ({ action: w.action, at: iso(w.at), deadline: w.deadline })),
          })),
        },
      });
    }
  }
  const counted = (rule: ShirkingRule, threshold: number, key: string, items: { unitId: number | null }[]) => {
    if (threshold > 0 && items.length >= threshold) fired.push({ rule, unitId: items[items.length - 1].unitId, count: items.length, reasons: { [key]: items } });
  };
  counted('reply-rejected', config.replyRejections, 'rejections', rejections);
  counted('callback-failed', config.callbackFailures, 'callbacks', failedCallbacks);
  counted('reopened', config.reopens, 'reopens', reopens);
  if (config.repeatAfterResolved) {
    const repeats = history.repeats.flatMap((repeat) => {
      const reply = resolvedReplies.find((r) => r.from <= repeat.createdAt && (r.to === null || repeat.createdAt < r.to));
      return reply ? [{ unitId: reply.unitId, repeatId: repeat.id, repeatNumber: repeat.number, at: iso(repeat.createdAt), repliedAt: iso(reply.from) }] : [];
    });
    counted('repeat-after-resolved', 1, 'repeats', repeats);
  }
  const disputed = history.order.parentId === null && fired.some((f) => DISPUTE_RULES.includes(f.rule));
  return { fired, disputed };
}
