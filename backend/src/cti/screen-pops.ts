import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { RepeatDetector } from '../repeat-detection/repeat-detector';
import { ListWorkOrdersQueryDto } from '../work-orders/dto/list-work-orders.dto';
import { WorkOrderListService } from '../work-orders/list/work-order-list.service';
import { OPEN_STATUSES } from '../work-orders/work-order.enums';
import type { AgentUser } from './agents.repository';
import { AgentsRepository } from './agents.repository';
import type { Call } from './entities/call.entity';
import type { ScreenPopOrder, ScreenPopRepeatCandidate, ScreenPopView } from './screen-pop.view';

/** How many earlier orders the screen pop lists. */
export const SCREEN_POP_ORDERS = 10;
/** How many likely repeats it lists. */
export const SCREEN_POP_REPEATS = 5;
/** The caller's orders within the repeat window read to find them (a caller with more in 90 days is not a citizen). */
const REPEAT_WINDOW_ORDERS = 100;
const DAY_MS = 24 * 3600 * 1000;

/** What the screen pop says about the caller, as the agent may see it. */
export type CallerHistory = Pick<ScreenPopView, 'earlierOrders' | 'earlierOrdersTotal' | 'repeatCandidates'>;

/**
 * 弹屏: what an agent offered a call sees of its caller — their earlier orders (by citizen phone, through the work-order
 * list, so only what the agent may see) and their likely repeats: those within the repeat detector's window
 * (REPEAT_WINDOW_DAYS) that are still open, or whose matter (事项, the detector's grouping) still has an open order.
 */
@Injectable()
export class ScreenPops {
  private readonly logger = new Logger(ScreenPops.name);

  constructor(
    private readonly agents: AgentsRepository,
    private readonly workOrderLists: WorkOrderListService,
    private readonly detector: RepeatDetector,
    private readonly clock: Clock,
  ) {}

  /** The screen pop of the call for the agent; what cannot be read of the caller's history is left empty (logged). */
  async of(call: Call, agent: AgentUser, extension: string | null, offeredAt: Date | null): Promise<ScreenPopView> {
    let history: CallerHistory = { earlierOrders: [], earlierOrdersTotal: 0, repeatCandidates: [] };
    if (call.fromNumber) {
      try {
        history = await this.callerHistory(await this.asCaller(agent), call.fromNumber);
      } catch (error) {
        this.logger.warn(`The screen pop of ${call.callId} goes without the caller's orders: ${String(error)}`);
      }
    }
    return {
      callId: call.callId,
      callRecordId: call.id,
      userId: agent.id,
      extension,
      fromNumber: call.fromNumber,
      toNumber: call.toNumber,
      offeredAt: offeredAt ? offeredAt.toISOString() : null,
      ...history,
    };
  }

  private async callerHistory(caller: AuthUser, phone: string): Promise<CallerHistory> {
    const since = new Date(this.clock.now().getTime() - this.detector.windows.repeatWindowDays * DAY_MS);
    const list = (pageSize: number, createdFrom?: Date) =>
      this.workOrderLists.list(
        caller,
        Object.assign(new ListWorkOrdersQueryDto(), { citizenPhone: phone, page: 1, pageSize, sortBy: 'createdAt', sortOrder: 'DESC', ...(createdFrom ? { createdFrom: createdFrom.toISOString() } : {}) }),
      );
    const [earlier, recent] = await Promise.all([list(SCREEN_POP_ORDERS), list(REPEAT_WINDOW_ORDERS, since)]);
    const matters = await this.detector.matterStates(recent.items.map((order) => order.id));
    const repeatCandidates: ScreenPopRepeatCandidate[] = recent.items
      .filter((order) => OPEN_STATUSES.includes(order.status) || matters.get(order.id)?.matterOpen === true)
      .slice(0, SCREEN_POP_REPEATS)
      .map((order) => ({
        ...summary(order),
        matterId: matters.get(order.id)?.matterId ?? null,
        matterOpen: matters.get(order.id)?.matterOpen ?? OPEN_STATUSES.includes(order.status),
        repeatOfId: order.repeatOfId,
      }));
    return { earlierOrders: earlier.items.map(summary), earlierOrdersTotal: earlier.total, repeatCandidates };
  }

  private async asCaller(agent: AgentUser): Promise<AuthUser> {
    return { id: agent.id, username: agent.username, displayName: agent.displayName, role: agent.role, unitId: agent.unitId, unitName: await this.agents.unitName(agent.unitId) };
  }
}

function summary(order: { id: number; number: string; title: string; status: ScreenPopOrder['status']; createdAt: Date | string }): ScreenPopOrder {
  return { id: order.id, number: order.number, title: order.title, status: order.status, createdAt: new Date(order.createdAt).toISOString() };
}
