import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../../auth/auth-user';
import { UnprocessableException } from '../../common/exceptions';
import { NotificationsService } from '../../notifications/notifications.service';
import { RepeatDetector } from '../../repeat-detection/repeat-detector';
import type { SimilarOrderView } from '../../repeat-detection/similar-order.view';
import type { NoteActionDto, TargetOrderDto } from '../dto/action.dto';
import { normalizePhone } from '../dto/register-work-order.dto';
import type { SimilarDraftDto } from '../../repeat-detection/dto/similar-draft.dto';
import { CategoriesService } from '../../categories/categories.service';
import { Clock } from '../../common/clock';
import type { WorkOrder } from '../entities/work-order.entity';
import { matterOf, RepeatScreening } from '../repeat-screening.service';
import { OPEN_STATUSES } from '../work-order.enums';
import type { WorkOrderDetailView } from '../work-order.view';
import { WorkOrdersService } from '../work-orders.service';
import { WorkOrderTransitions, type OtherOrders } from './work-order-transitions';

/** Candidates scored for /similar before those the caller may not open are left out. */
const SIMILAR_POOL = 50;

/**
 * 重复件 by hand: the center marks an order as a repeat of an earlier one (the same caller about the same matter) or
 * takes the mark back; and the detector's candidates for an order already registered.
 */
@Injectable()
export class RepeatActions {
  constructor(
    private readonly transitions: WorkOrderTransitions,
    private readonly reader: WorkOrdersService,
    private readonly detector: RepeatDetector,
    private readonly screening: RepeatScreening,
    private readonly notifications: NotificationsService,
    private readonly categories: CategoriesService,
    private readonly clock: Clock,
  ) {}

  /**
   * The order becomes a repeat of the target's original (the target itself, or what the target repeats): that
   * original's repeatCount goes up, both versions move on, both timelines say so, and the original's unit hears of
   * it while the original is still being handled.
   */
  markRepeat(caller: AuthUser, id: number, dto: TargetOrderDto): Promise<WorkOrderDetailView> {
    // The target and its own original are written to (versions, repeatCount): locked with the order.
    const otherOrders: OtherOrders = async (_order, repository, manager) => {
      const target = await repository.findById(dto.targetId, manager);
      return [dto.targetId, target?.repeatOfId ?? null];
    };
    return this.transitions.run(caller, { action: 'mark-repeat', id, version: dto.version, otherOrders }, async (context) => {
      const { order, manager, locked } = context;
      const target = await this.transitions.requireTarget(caller, order, dto.targetId, context);
      if (isLater(target, order)) {
        throw new UnprocessableException(`Work order ${target.number} was registered after work order ${order.number}: a repeat points to an earlier order`, {
          targetId: target.id,
        });
      }
      const original = target.repeatOfId === null ? target : (locked.get(target.repeatOfId) ?? null);
      if (!original) throw new UnprocessableException(`Work order ${target.number} repeats work order ${target.repeatOfId}, which does not exist`);
      if (original.id === order.id) {
        throw new UnprocessableException(`Work order ${target.number} is itself a repeat of work order ${order.number}`, { targetId: target.id });
      }
      const note = dto.note ?? null;
      return {
        changes: { repeatOfId: original.id },
        reason: note,
        payload: { targetId: target.id, targetNumber: target.number, repeatOfId: original.id, repeatOfNumber: original.number },
        afterUpdate: () => this.flagToUnit(original, order, manager),
        related: [
          {
            order: original,
            action: 'repeat-received',
            fromStatus: original.status,
            reason: note,
            payload: { repeatWorkOrderId: order.id, repeatNumber: order.number },
            changes: { repeatCount: original.repeatCount + 1 },
          },
        ],
      };
    });
  }

  /** The order is no repeat after all: its mark goes, and its original's repeatCount goes down. */
  unmarkRepeat(caller: AuthUser, id: number, dto: NoteActionDto): Promise<WorkOrderDetailView> {
    return this.transitions.run(caller, { action: 'unmark-repeat', id, version: dto.version, otherOrders: (order) => [order.repeatOfId] }, ({ order, locked }) => {
      const original = order.repeatOfId === null ? null : (locked.get(order.repeatOfId) ?? null);
      const note = dto.note ?? null;
      return {
        changes: { repeatOfId: null },
        reason: note,
        payload: { formerRepeatOfId: order.repeatOfId, ...(original ? { formerRepeatOfNumber: original.number } : {}) },
        related: original
          ? [
              {
                order: original,
                action: 'unmark-repeat',
                fromStatus: original.status,
                reason: note,
                payload: { repeatWorkOrderId: order.id, repeatNumber: order.number },
                changes: { repeatCount: Math.max(0, original.repeatCount - 1) },
              },
            ]
          : [],
      };
    });
  }

  /** The detector's candidates for an order the caller may see (404 otherwise): the same shape as at registration. */
  async similar(caller: AuthUser, id: number, limit: number): Promise<SimilarOrderView[]> {
    const order = await this.reader.requireVisible(caller, id);
    const candidates = await this.detector.findCandidates(matterOf(order), { limit: SIMILAR_POOL });
    return (await this.screening.similarOrders(caller, candidates)).slice(0, limit);
  }

  /**
   * Candidates for a registration form not yet sent (what the agent sees while typing): the same shape as at
   * registration. The category, when given, must exist (422); without it the category signals count as unknown.
   */
  async similarToDraft(caller: AuthUser, dto: SimilarDraftDto, limit: number): Promise<SimilarOrderView[]> {
    const category = dto.categoryId === undefined ? null : await this.categories.find(dto.categoryId);
    if (dto.categoryId !== undefined && !category) throw new UnprocessableException(`Category ${dto.categoryId} does not exist`);
    const candidates = await this.detector.findCandidates(
      {
        title: dto.title?.trim() ?? '',
        content: dto.content,
        address: dto.address?.trim() ?? '',
        citizenPhone: dto.citizenPhone ? normalizePhone(dto.citizenPhone) : null,
        districtUnitId: dto.districtUnitId ?? null,
        streetUnitId: dto.streetUnitId ?? null,
        categoryId: category?.id ?? 0,
        requestType: dto.requestType ?? category?.defaultRequestType ?? 'complaint',
        createdAt: this.clock.now(),
      },
      { limit: SIMILAR_POOL },
    );
    return (await this.screening.similarOrders(caller, candidates)).slice(0, limit);
  }

  /** A repeat of a matter still being handled is flagged to the unit handling it (in the action's transaction). */
  private async flagToUnit(original: WorkOrder, repeat: WorkOrder, manager: EntityManager): Promise<void> {
    if (!OPEN_STATUSES.includes(original.status) || original.leadUnitId === null) return;
    await this.notifications.notifyUnits(
      [original.leadUnitId],
      null,
      {
        kind: 'repeat',
        title: `重复件：工单 ${original.number} 的诉求人再次反映同一问题（工单 ${repeat.number}）`,
        workOrderId: original.id,
        payload: { repeatWorkOrderId: repeat.id, repeatNumber: repeat.number },
      },
      manager,
    );
  }
}

/** Registered after the order (the same instant: the higher id came later). */
function isLater(target: WorkOrder, order: WorkOrder): boolean {
  const difference = target.createdAt.getTime() - order.createdAt.getTime();
  return difference > 0 || (difference === 0 && target.id > order.id);
}
