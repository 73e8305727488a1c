import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { UnitsService } from '../units/units.service';
import { isUnitRole } from '../users/role';
import type { WorkOrder } from './entities/work-order.entity';
import { WorkOrdersRepository } from './work-orders.repository';

/**
 * Per-record access: center staff see every order; unit staff see the orders their unit or any unit
 * below it leads or assists, and nothing else (another unit's order answers 404, as if it did not exist).
 */
@Injectable()
export class WorkOrderAccess {
  constructor(
    private readonly units: UnitsService,
    private readonly workOrders: WorkOrdersRepository,
  ) {}

  /** null: no restriction. */
  async visibleUnitIds(caller: AuthUser): Promise<number[] | null> {
    return isUnitRole(caller.role) ? this.units.subtreeIds(caller.unitId) : null;
  }

  async canSee(caller: AuthUser, order: Pick<WorkOrder, 'id' | 'leadUnitId'>, manager?: EntityManager): Promise<boolean> {
    const unitIds = await this.visibleUnitIds(caller);
    if (unitIds === null) return true;
    if (order.leadUnitId !== null && unitIds.includes(order.leadUnitId)) return true;
    return this.workOrders.isLedOrAssistedByAny(order.id, unitIds, manager);
  }

  /** Of the given orders, those the caller may open (the same rule as canSee, for many orders in one query). */
  async openableIds(caller: AuthUser, ids: number[]): Promise<Set<number>> {
    const unique = [...new Set(ids)];
    const unitIds = await this.visibleUnitIds(caller);
    if (unitIds === null) return new Set(unique);
    return this.workOrders.idsLedOrAssistedByAny(unique, unitIds);
  }

  /** Unit staff get the phone masked and, on confidential orders, neither name nor phone. */
  mayReadCitizenContact(caller: AuthUser): boolean {
    return !isUnitRole(caller.role);
  }
}
