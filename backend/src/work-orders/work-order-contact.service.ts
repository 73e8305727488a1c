import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { AuditActor } from '../audit/audit-actor';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { Clock } from '../common/clock';
import { TransactionService } from '../database/transaction.service';
import { isUnitRole } from '../users/role';
import { WorkOrderAccess } from './work-order-access.service';
import { OPEN_STATUSES } from './work-order.enums';
import { WorkOrdersRepository } from './work-orders.repository';
import { timelineActor } from './timeline-actor';

export interface RevealedContactView {
  workOrderId: number;
  citizenName: string | null;
  citizenPhone: string | null;
  revealedAt: Date;
}

/**
 * 先行联系: the lead unit must be able to call the citizen, but lists and details show units the phone
 * masked. A user of the lead unit asks for the number of one open, non-confidential order at a time, and
 * every such request is written, in the same transaction, to the order's append-only timeline (who, when —
 * seen by everyone on the order) and to the audit trail (`work_order.contact.reveal`, with the request's
 * correlation id).
 */
@Injectable()
export class WorkOrderContactService {
  constructor(
    private readonly workOrders: WorkOrdersRepository,
    private readonly access: WorkOrderAccess,
    private readonly transactions: TransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async reveal(caller: AuthUser, actor: AuditActor, id: number): Promise<RevealedContactView> {
    const now = this.clock.now();
    // Warm the unit-tree cache outside the transaction (see WorkOrderActionsService.perform).
    await this.access.visibleUnitIds(caller);
    return this.transactions.run(async (manager) => {
      const order = await this.workOrders.findById(id, manager);
      if (!order || !(await this.access.canSee(caller, order, manager))) {
        throw new NotFoundException(`Work order ${id} does not exist`);
      }
      if (!isUnitRole(caller.role)) {
        throw new ForbiddenException('Hotline center staff already see the citizen’s contact: reveal-contact is for the lead unit');
      }
      if (order.leadUnitId !== caller.unitId) {
        throw new ForbiddenException(`Only staff of the lead unit may reveal the citizen’s contact of work order ${order.number}`);
      }
      if (order.citizenConfidential) {
        throw new ForbiddenException(
          `The citizen of work order ${order.number} asked for confidentiality (保密): their contact is not given to units; ask the hotline center to reach them`,
        );
      }
      if (!OPEN_STATUSES.includes(order.status)) {
        throw new ConflictException(`Work order ${order.number} is ${order.status}: the citizen’s contact is revealed only while the order is open`);
      }
      await this.workOrders.appendEvent(
        {
          workOrderId: order.id,
          action: 'reveal-contact',
          fromStatus: order.status,
          toStatus: order.status,
          ...timelineActor(caller),
          reason: null,
          // Which fields were shown, never their values: the timeline is read by everyone who sees the order.
          payload: { revealed: ['citizenName', 'citizenPhone'] },
          createdAt: now,
        },
        manager,
      );
      await this.audit.record(
        {
          actor,
          action: 'work_order.contact.reveal',
          targetType: 'work_order',
          targetId: order.id,
          details: { number: order.number, unitId: caller.unitId, unitName: caller.unitName, fields: ['citizenName', 'citizenPhone'] },
        },
        manager,
      );
      return { workOrderId: order.id, citizenName: order.citizenName, citizenPhone: order.citizenPhone, revealedAt: now };
    });
  }
}
