import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { VersionedActionDto } from './action.dto';

/** 裁定: the center settles a disputed order (争议件) by naming its lead unit, and why. */
export class RuleDto extends VersionedActionDto {
  @ApiProperty({ description: '主办: the unit the center rules the order to; it cannot return the order afterwards' })
  @IsInt()
  @Min(1)
  leadUnitId: number;

  @ApiPropertyOptional({ type: [Number], description: '协办 assisting units (their parts are due one working day before the reply, as at dispatch)' })
  @IsOptional()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  assistingUnitIds?: number[];

  @ApiProperty({ minLength: 2, maxLength: 2000, description: 'Why the center rules the order to this unit (shown on the timeline and to the unit)' })
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  reason: string;
}
