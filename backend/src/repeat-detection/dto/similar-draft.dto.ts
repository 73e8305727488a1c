import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { RegisterWorkOrderDto } from '../../work-orders/dto/register-work-order.dto';

/**
 * A registration form still being filled in (受理中): the detector's candidates are shown while the agent types, so
 * everything but the content is optional — the caller's phone, the place and the category sharpen the answer.
 */
export class SimilarDraftDto extends PartialType(
  PickType(RegisterWorkOrderDto, ['requestType', 'citizenPhone', 'address', 'districtUnitId', 'streetUnitId', 'categoryId', 'title'] as const),
) {
  @ApiProperty({ minLength: 4, maxLength: 10000, description: 'What the citizen says so far (at least 4 characters)' })
  @IsString()
  @MinLength(4, { message: 'content must be at least 4 characters: there is nothing to compare yet' })
  @MaxLength(10000)
  content: string;
}
