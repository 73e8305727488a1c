import type { AuthUser } from '../auth/auth-user';
import type { WorkOrderEvent } from './entities/work-order-event.entity';

export type TimelineActor = Pick<WorkOrderEvent, 'actorId' | 'actorName' | 'actorRole' | 'unitId' | 'unitName'>;

/** Who a timeline event names: the caller and the unit they acted for, copied so the entry never changes later. */
export function timelineActor(caller: AuthUser): TimelineActor {
  return { actorId: caller.id, actorName: caller.displayName, actorRole: caller.role, unitId: caller.unitId, unitName: caller.unitName };
}
