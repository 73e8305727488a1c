import { ApiProperty } from '@nestjs/swagger';
import { REQUEST_TYPES, URGENCIES, type RequestType, type Urgency } from '../../work-orders/work-order.enums';
import { LIMIT_UNITS, type Limit, type LimitUnit, type Limits } from '../deadline-limits';

export class LimitResponse implements Limit {
  @ApiProperty({ type: Number, example: 5 })
  amount: number;

  @ApiProperty({ enum: LIMIT_UNITS, enumName: 'LimitUnit' })
  unit: LimitUnit;
}

export class LimitsResponse implements Limits {
  @ApiProperty({ type: LimitResponse })
  dispatch: LimitResponse;

  @ApiProperty({ type: LimitResponse })
  accept: LimitResponse;

  @ApiProperty({ type: LimitResponse })
  contact: LimitResponse;

  @ApiProperty({ type: LimitResponse })
  reply: LimitResponse;

  @ApiProperty({ type: LimitResponse })
  reopen: LimitResponse;

  @ApiProperty({ type: LimitResponse })
  returnWindow: LimitResponse;

  @ApiProperty({ type: LimitResponse })
  extensionCap: LimitResponse;
}

export class DeadlineRuleResponse {
  @ApiProperty({ enum: REQUEST_TYPES, enumName: 'RequestType' })
  requestType: RequestType;

  @ApiProperty({ enum: URGENCIES, enumName: 'Urgency' })
  urgency: Urgency;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Null for the request type × urgency rule; a category id for its override' })
  categoryId: number | null;

  @ApiProperty({ type: LimitsResponse })
  limits: LimitsResponse;
}

export class DeadlineRulesResponse {
  @ApiProperty({ type: [DeadlineRuleResponse], description: 'By request type, urgency, then category (the rule itself first)' })
  items: DeadlineRuleResponse[];
}
