import { CHANNELS, REQUEST_TYPES, SATISFACTIONS, TIMELINE_ACTIONS, URGENCIES, WORK_ORDER_ACTIONS, WORK_ORDER_STATUSES } from '../work-order.enums';

/** The work-order enums as named schemas, so generated clients get one union type for each. */
export const WORK_ORDER_STATUS_SCHEMA = { enum: WORK_ORDER_STATUSES, enumName: 'WorkOrderStatus' } as const;
export const WORK_ORDER_ACTION_SCHEMA = { enum: WORK_ORDER_ACTIONS, enumName: 'WorkOrderAction' } as const;
export const TIMELINE_ACTION_SCHEMA = { enum: TIMELINE_ACTIONS, enumName: 'TimelineAction' } as const;
export const REQUEST_TYPE_SCHEMA = { enum: REQUEST_TYPES, enumName: 'RequestType' } as const;
export const URGENCY_SCHEMA = { enum: URGENCIES, enumName: 'Urgency' } as const;
export const CHANNEL_SCHEMA = { enum: CHANNELS, enumName: 'Channel' } as const;
export const SATISFACTION_SCHEMA = { enum: SATISFACTIONS, enumName: 'Satisfaction' } as const;
