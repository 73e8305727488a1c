import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { REQUEST_TYPES, type RequestType } from '../../work-orders/work-order.enums';

export const CATEGORY_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** The field may be left out, but null is no value for it (IsOptional would let null through to the service). */
const IsAbsentOrValid = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

export class CreateCategoryDto {
  @ApiProperty({ example: 'C010104', maxLength: 32, description: 'Unique (409); letters, digits, _ and -; cannot be changed later' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  @Matches(CATEGORY_CODE_PATTERN, { message: 'code must start with a letter or digit and hold only letters, digits, _ and -' })
  code: string;

  @ApiProperty({ example: '窨井异味', maxLength: 64 })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'The category above it (level 1 or 2, active); null or absent for a level-1 category' })
  @IsOptional()
  @IsInt({ message: 'parentId must be a whole number or null' })
  @Min(1)
  parentId?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'An active unit below the center (422 otherwise)' })
  @IsOptional()
  @IsInt({ message: 'defaultLeadUnitId must be a whole number or null' })
  @Min(1)
  defaultLeadUnitId?: number | null;

  @ApiPropertyOptional({ enum: REQUEST_TYPES, enumName: 'RequestType', nullable: true })
  @IsOptional()
  @IsIn(REQUEST_TYPES, { message: `defaultRequestType must be one of ${REQUEST_TYPES.join(', ')}, or null` })
  defaultRequestType?: RequestType | null;

  @ApiPropertyOptional({ type: 'integer', default: 0, description: 'Position among its siblings (ascending)' })
  @IsAbsentOrValid()
  @IsInt({ message: 'sortOrder must be a whole number' })
  @Min(0)
  @Max(1_000_000)
  sortOrder?: number;
}

/** Every field is optional, at least one is needed. The code does not change; a category keeps its level when it moves. */
export class UpdateCategoryDto {
  @ApiPropertyOptional({ maxLength: 64 })
  @IsAbsentOrValid()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'Move under this active category of the level above (null: to the top, for a level-1 category); never under itself or its own descendants (422)' })
  @IsOptional()
  @IsInt({ message: 'parentId must be a whole number or null' })
  @Min(1)
  parentId?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'An active unit below the center (422 otherwise); null clears it' })
  @IsOptional()
  @IsInt({ message: 'defaultLeadUnitId must be a whole number or null' })
  @Min(1)
  defaultLeadUnitId?: number | null;

  @ApiPropertyOptional({ enum: REQUEST_TYPES, enumName: 'RequestType', nullable: true, description: 'null clears it' })
  @IsOptional()
  @IsIn(REQUEST_TYPES, { message: `defaultRequestType must be one of ${REQUEST_TYPES.join(', ')}, or null` })
  defaultRequestType?: RequestType | null;

  @ApiPropertyOptional({ type: 'integer' })
  @IsAbsentOrValid()
  @IsInt({ message: 'sortOrder must be a whole number' })
  @Min(0)
  @Max(1_000_000)
  sortOrder?: number;

  @ApiPropertyOptional({ description: 'false: no new work order can be registered under it (or under the categories below it); true: in use again' })
  @IsAbsentOrValid()
  @IsBoolean()
  active?: boolean;
}
