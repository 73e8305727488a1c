import type { WorkOrderStatus } from '../work-orders/work-order.enums';
import type { ShirkingRule } from './shirking.enums';

/** One flag as the queue shows it. */
export interface ShirkingFlagView {
  id: number;
  workOrderId: number;
  rule: ShirkingRule;
  unitId: number | null;
  unitName: string | null;
  count: number;
  reasons: Record<string, unknown>;
  createdAt: Date;
  flaggedAt: Date;
  resolvedAt: Date | null;
  resolvedById: number | null;
  resolution: string | null;
}

/** The flagged order, in short. */
export interface ShirkingOrderView {
  id: number;
  number: string;
  title: string;
  status: WorkOrderStatus;
  leadUnitId: number | null;
  leadUnitName: string | null;
  disputed: boolean;
  ruledUnitId: number | null;
  ruledUnitName: string | null;
  ruledAt: Date | null;
  returnCount: number;
  reopenCount: number;
  createdAt: Date;
}

export interface ShirkingQueueItemView {
  order: ShirkingOrderView;
  /** Every flag of the order (resolved ones too), oldest first. */
  flags: ShirkingFlagView[];
  lastFlaggedAt: Date;
}

export interface ShirkingQueueView {
  items: ShirkingQueueItemView[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ShirkingUnitView {
  unitId: number;
  unitCode: string;
  unitName: string;
  /** Orders with a flag about the unit in the period. */
  flaggedOrders: number;
  flagsByRule: { rule: ShirkingRule; count: number }[];
  /** Return requests (退单) of the unit in the period, and the orders they were about. */
  returns: number;
  returnedOrders: number;
  /** Bounce flags about the unit (an order came back to it after it had returned it). */
  bounces: number;
  /** Orders it returned in the period plus the orders registered in the period it leads now. */
  receivedOrders: number;
  /** returnedOrders ÷ receivedOrders (0 when it received none). */
  returnRate: number;
}

export interface ShirkingUnitsView {
  from: Date;
  to: Date;
  units: ShirkingUnitView[];
}
