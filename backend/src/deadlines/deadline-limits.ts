import { REQUEST_TYPES, URGENCIES, type RequestType, type Urgency } from '../work-orders/work-order.enums';

export const LIMIT_UNITS = ['working_days', 'working_hours', 'calendar_hours'] as const;
export type LimitUnit = (typeof LIMIT_UNITS)[number];

/** One time limit: `amount` of `unit` (hours may be fractional: 30 calendar minutes is 0.5 calendar_hours). */
export interface Limit {
  amount: number;
  unit: LimitUnit;
}

export const LIMIT_NAMES = ['dispatch', 'accept', 'contact', 'reply', 'reopen', 'returnWindow', 'extensionCap'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

export type Limits = Record<LimitName, Limit>;

/** The limit a running reply deadline follows: the reopened-order limit once a handled order was reopened, else the reply limit. */
export function replyLimitOf(order: { reopenCount: number; leadUnitId: number | null }): 'reply' | 'reopen' {
  return order.reopenCount > 0 && order.leadUnitId !== null ? 'reopen' : 'reply';
}

const wd = (amount: number): Limit => ({ amount, unit: 'working_days' });
const wh = (amount: number): Limit => ({ amount, unit: 'working_hours' });
const ch = (amount: number): Limit => ({ amount, unit: 'calendar_hours' });

/** Reply limits of normal-urgency orders (DOMAIN.md "Time limits"). */
const NORMAL_REPLY: Record<RequestType, Limit> = {
  consultation: wd(1),
  help: wd(3),
  complaint: wd(5),
  report: wd(5),
  suggestion: wd(10),
  praise: wd(5),
};

/** The seeded defaults for one request type × urgency (the migration writes these rows; tests check them). */
export function defaultLimits(requestType: RequestType, urgency: Urgency): Limits {
  const common = { contact: wd(1), reopen: wd(3), returnWindow: wd(2), extensionCap: wd(10) };
  switch (urgency) {
    case 'critical':
      return { ...common, dispatch: ch(1), accept: ch(0.5), reply: ch(2) };
    case 'urgent':
      return { ...common, dispatch: ch(2), accept: ch(1), reply: ch(24) };
    default:
      return { ...common, dispatch: ch(24), accept: wh(2), reply: NORMAL_REPLY[requestType] };
  }
}

/** Every default rule, in a stable order. */
export function defaultRules(): { requestType: RequestType; urgency: Urgency; limits: Limits }[] {
  return REQUEST_TYPES.flatMap((requestType) => URGENCIES.map((urgency) => ({ requestType, urgency, limits: defaultLimits(requestType, urgency) })));
}

export function scopeKeyOf(requestType: RequestType, urgency: Urgency, categoryId: number | null): string {
  return `${requestType}:${urgency}:${categoryId ?? '*'}`;
}
