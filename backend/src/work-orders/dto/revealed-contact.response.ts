import { ApiProperty } from '@nestjs/swagger';
import type { RevealedContactView } from '../work-order-contact.service';

/** POST /api/work-orders/{id}/reveal-contact: the citizen's contact, unmasked, for the lead unit to call them (先行联系). */
export class RevealedContactResponse implements RevealedContactView {
  @ApiProperty({ type: 'integer' })
  workOrderId: number;

  @ApiProperty({ type: String, nullable: true })
  citizenName: string | null;

  @ApiProperty({ type: String, nullable: true, example: '13512348494', description: 'The full number; null if the citizen left none' })
  citizenPhone: string | null;

  @ApiProperty({ type: String, format: 'date-time', description: 'When it was revealed; the order’s timeline records who asked (action `reveal-contact`)' })
  revealedAt: Date;
}
