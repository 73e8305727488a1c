import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WORK_ORDER_STATUS_SCHEMA } from '../../work-orders/dto/work-order-enum.schemas';
import type { WorkOrderStatus } from '../../work-orders/work-order.enums';
import { CANDIDATE_KINDS, CANDIDATE_REASON_CODES, type CandidateKind, type CandidateReason, type CandidateReasonCode } from '../repeat-candidate';
import type { SimilarOrderView } from '../similar-order.view';

/** One reason a candidate was proposed; the console translates the code and shows the value. */
export class CandidateReasonResponse implements CandidateReason {
  @ApiProperty({
    enum: CANDIDATE_REASON_CODES,
    enumName: 'CandidateReasonCode',
    description: 'same_caller, text_similar (value: similarity 0–1), same_address, same_place, same_street, same_category, related_category, days_ago (value: whole days)',
  })
  code: CandidateReasonCode;

  @ApiPropertyOptional({ type: 'number', description: 'text_similar: the similarity (0–1, two decimals); days_ago: whole days; absent for the others' })
  value?: number;
}

/** An order about the same matter, with the detector's verdict (重复件 / 多人反映 / 相似). */
export class SimilarOrderResponse implements SimilarOrderView {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: '20261122000001' })
  number: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  address: string;

  @ApiProperty(WORK_ORDER_STATUS_SCHEMA)
  status: WorkOrderStatus;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({
    enum: CANDIDATE_KINDS,
    enumName: 'CandidateKind',
    description: 'repeat: the same caller about the same matter (重复件); hotspot: another caller about the same matter at the same place (多人反映); similar: alike, below the thresholds',
  })
  kind: CandidateKind;

  @ApiProperty({ type: 'number', minimum: 0, maximum: 1, description: 'The probability that both orders are about the same matter' })
  score: number;

  @ApiProperty({ type: [CandidateReasonResponse] })
  reasons: CandidateReasonResponse[];

  @ApiProperty({ example: '同一来电人 · 内容相似 0.82 · 同一地址 · 12 天前' })
  reasonText: string;
}
