import type { TimelineActor } from '../work-orders/timeline-actor';

/**
 * The actor of the scheduler's timeline events: no user, no role, no unit — only the name `system`, so that the
 * console shows "system" where a manual remind or supervise shows a person (WorkOrderEvent.actorId is null for
 * actions taken by the system).
 */
export const SYSTEM_ACTOR: TimelineActor = { actorId: null, actorName: 'system', actorRole: null, unitId: null, unitName: null };
