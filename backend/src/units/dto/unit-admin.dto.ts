import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsString, Matches, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { UNIT_TYPES, type UnitType } from '../unit-type';

/** Unit codes are short identifiers (usernames of the demo accounts are built from them): letters, digits, `_` and `-`. */
export const UNIT_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** The field may be left out, but null is no value for it (IsOptional would let null through to the service). */
export const IsAbsentOrValid = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

export class CreateUnitDto {
  @ApiProperty({ example: 'dc_hp', maxLength: 32, description: 'Unique (409 when taken); letters, digits, _ and -; cannot be changed later' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  @Matches(UNIT_CODE_PATTERN, { message: 'code must start with a letter or digit and hold only letters, digits, _ and -' })
  code: string;

  @ApiProperty({ example: '和平街道办事处', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ enum: UNIT_TYPES, enumName: 'UnitType', description: 'Any type but center: the center is the single root (422)' })
  @IsIn(UNIT_TYPES, { message: `type must be one of ${UNIT_TYPES.join(', ')}` })
  type: UnitType;

  @ApiProperty({ type: 'integer', description: 'The unit above it; must exist and be active (422)' })
  @IsInt({ message: 'parentId must be a whole number' })
  @Min(1)
  parentId: number;

  @ApiPropertyOptional({ description: '领导审签: replies need the unit_admin’s approval. Default: true for bureau and district, false otherwise' })
  @IsAbsentOrValid()
  @IsBoolean()
  leaderSignOff?: boolean;
}

/** Every field is optional, at least one is needed. The code and the type do not change. */
export class UpdateUnitDto {
  @ApiPropertyOptional({ example: '和平街道办事处', maxLength: 100 })
  @IsAbsentOrValid()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'Move the unit (with everything below it) under this active unit; never under itself or its own descendants (422)' })
  @IsAbsentOrValid()
  @IsInt({ message: 'parentId must be a whole number' })
  @Min(1)
  parentId?: number;

  @ApiPropertyOptional({ description: 'false deactivates (refused with 409 while the unit leads open work orders), true reactivates' })
  @IsAbsentOrValid()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ description: '领导审签: replies need the unit_admin’s approval before they reach the center' })
  @IsAbsentOrValid()
  @IsBoolean()
  leaderSignOff?: boolean;
}
