import { ApiProperty } from '@nestjs/swagger';
import { PageResponse } from '../../common/page.response';
import { WORK_ORDER_STATUS_SCHEMA } from '../../work-orders/dto/work-order-enum.schemas';
import type { WorkOrderStatus } from '../../work-orders/work-order.enums';
import { SHIRKING_RULES, type ShirkingRule } from '../shirking.enums';
import type { ShirkingFlagView, ShirkingOrderView, ShirkingQueueItemView, ShirkingQueueView, ShirkingUnitView, ShirkingUnitsView } from '../shirking.view';

// Each class `implements` the view the service builds, so a field added to the view fails to compile until it is described here.

const dateTime = { type: String, format: 'date-time' } as const;
const nullableDateTime = { ...dateTime, nullable: true } as const;
const RULE_SCHEMA = { enum: SHIRKING_RULES, enumName: 'ShirkingRule' } as const;

export class ShirkingFlagResponse implements ShirkingFlagView {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer' })
  workOrderId: number;

  @ApiProperty({ ...RULE_SCHEMA, description: 'The rule that fired (docs/shirking.md)' })
  rule: ShirkingRule;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The unit the flag is about' })
  unitId: number | null;

  @ApiProperty({ type: String, nullable: true })
  unitName: string | null;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'How many times the signal happened (returns, bounces, rejections…)' })
  count: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'What the rule saw, by rule: returned {returns: [{unitId, at, reasonCode, decision}], units}; bounced {bounces: [{unitId, at}], chain: [{unitId, at, via}]}; late-acceptance {acceptances: [{unitId, dispatchedAt, acceptedAt, acceptLateMinutes, warnings}]}; reply-rejected {rejections: [{unitId, at}]}; callback-failed {callbacks: [{unitId, at, outcome, satisfaction}]}; reopened {reopens: [{unitId, at}]}; repeat-after-resolved {repeats: [{unitId, repeatId, repeatNumber, at, repliedAt}]}',
  })
  reasons: Record<string, unknown>;

  @ApiProperty({ ...dateTime, description: 'When the rule first fired' })
  createdAt: Date;

  @ApiProperty({ ...dateTime, description: 'When it first fired or last found more' })
  flaggedAt: Date;

  @ApiProperty(nullableDateTime)
  resolvedAt: Date | null;

  @ApiProperty({ type: 'integer', nullable: true })
  resolvedById: number | null;

  @ApiProperty({ type: String, nullable: true, description: "The supervisor's note, or `ruling` when a ruling settled a dispute flag" })
  resolution: string | null;
}

export class ShirkingOrderResponse implements ShirkingOrderView {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty()
  number: string;

  @ApiProperty()
  title: string;

  @ApiProperty(WORK_ORDER_STATUS_SCHEMA)
  status: WorkOrderStatus;

  @ApiProperty({ type: 'integer', nullable: true })
  leadUnitId: number | null;

  @ApiProperty({ type: String, nullable: true })
  leadUnitName: string | null;

  @ApiProperty({ description: '争议件: a supervisor may rule it (POST /api/work-orders/{id}/rule)' })
  disputed: boolean;

  @ApiProperty({ type: 'integer', nullable: true, description: '裁定: the unit the center ruled it to' })
  ruledUnitId: number | null;

  @ApiProperty({ type: String, nullable: true })
  ruledUnitName: string | null;

  @ApiProperty(nullableDateTime)
  ruledAt: Date | null;

  @ApiProperty({ type: 'integer' })
  returnCount: number;

  @ApiProperty({ type: 'integer' })
  reopenCount: number;

  @ApiProperty(dateTime)
  createdAt: Date;
}

export class ShirkingQueueItemResponse implements ShirkingQueueItemView {
  @ApiProperty({ type: ShirkingOrderResponse })
  order: ShirkingOrderResponse;

  @ApiProperty({ type: [ShirkingFlagResponse], description: 'Every flag of the order, resolved ones too, oldest first' })
  flags: ShirkingFlagResponse[];

  @ApiProperty({ ...dateTime, description: 'The latest flaggedAt of the flags matching the filter (the queue is ordered by it, newest first)' })
  lastFlaggedAt: Date;
}

export class ShirkingQueueResponse extends PageResponse implements ShirkingQueueView {
  @ApiProperty({ type: [ShirkingQueueItemResponse] })
  items: ShirkingQueueItemResponse[];
}

export class ShirkingRuleCountResponse {
  @ApiProperty(RULE_SCHEMA)
  rule: ShirkingRule;

  @ApiProperty({ type: 'integer' })
  count: number;
}

export class ShirkingUnitResponse implements ShirkingUnitView {
  @ApiProperty({ type: 'integer' })
  unitId: number;

  @ApiProperty()
  unitCode: string;

  @ApiProperty()
  unitName: string;

  @ApiProperty({ type: 'integer', description: 'Orders with a flag about the unit flagged in the period' })
  flaggedOrders: number;

  @ApiProperty({ type: [ShirkingRuleCountResponse], description: 'Flags about the unit in the period, by rule (rules with none left out)' })
  flagsByRule: ShirkingRuleCountResponse[];

  @ApiProperty({ type: 'integer', description: 'Return requests (退单) of the unit in the period' })
  returns: number;

  @ApiProperty({ type: 'integer', description: 'Orders the unit returned in the period' })
  returnedOrders: number;

  @ApiProperty({ type: 'integer', description: 'Bounce flags about the unit (an order came back to it after it had returned it)' })
  bounces: number;

  @ApiProperty({ type: 'integer', description: 'Orders the unit returned in the period plus the orders registered in the period it leads now' })
  receivedOrders: number;

  @ApiProperty({ type: Number, description: '退单率: returnedOrders ÷ receivedOrders (0 without any), rounded to 4 places' })
  returnRate: number;
}

export class ShirkingUnitsResponse implements ShirkingUnitsView {
  @ApiProperty(dateTime)
  from: Date;

  @ApiProperty(dateTime)
  to: Date;

  @ApiProperty({ type: [ShirkingUnitResponse], description: 'Units with any figure in the period, the most flagged orders first' })
  units: ShirkingUnitResponse[];
}
