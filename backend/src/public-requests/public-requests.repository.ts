import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { User } from '../users/user.entity';
import { WorkOrderEvent } from '../work-orders/entities/work-order-event.entity';
import { WorkOrder } from '../work-orders/entities/work-order.entity';

/** What tracking reads of an order: nothing about who handles it inside a unit. */
export type TrackedOrder = Pick<
  WorkOrder,
  'id' | 'number' | 'parentId' | 'status' | 'requestType' | 'categoryId' | 'title' | 'address' | 'citizenPhone' | 'reply' | 'repliedAt' | 'closedAt' | 'createdAt'
>;

/** What the public timeline is built from: the step and its time, never the actor, the reason or the unit. */
export type TrackedEvent = Pick<WorkOrderEvent, 'action' | 'fromStatus' | 'toStatus' | 'payload' | 'createdAt'>;

/** The portal's queries: orders by number, their timeline, and the portal's own account. */
@Injectable()
export class PublicRequestsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByNumber(number: string): Promise<TrackedOrder | null> {
    return this.dataSource.manager.findOne(WorkOrder, {
      select: {
        id: true,
        number: true,
        parentId: true,
        status: true,
        requestType: true,
        categoryId: true,
        title: true,
        address: true,
        citizenPhone: true,
        reply: true,
        repliedAt: true,
        closedAt: true,
        createdAt: true,
      },
      where: { number },
    });
  }

  timeline(workOrderId: number): Promise<TrackedEvent[]> {
    return this.dataSource.manager.find(WorkOrderEvent, {
      select: { id: true, action: true, fromStatus: true, toStatus: true, payload: true, createdAt: true },
      where: { workOrderId },
      order: { id: 'ASC' },
    });
  }

  findAccount(username: string): Promise<User | null> {
    return this.dataSource.manager.findOne(User, { where: { username } });
  }

  /** Writes the portal's account; a concurrent first submission on another process may win (unique username). */
  async insertAccount(account: Pick<User, 'username' | 'displayName' | 'passwordHash' | 'role' | 'unitId' | 'active' | 'createdAt' | 'updatedAt'>): Promise<void> {
    await this.dataSource.manager.insert(User, account);
  }
}
