import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';
import { DATE_TIME_EXAMPLE, IsStrictDateTime, MAX_DATE_TIME_YEAR, MIN_DATE_TIME_YEAR } from '../../common/date-time';
import { DAY_KINDS, type DayKind } from '../day-kind';
import { parseLocalDate } from '../local-date';
import { DUE_UNITS, type DueUnit } from '../working-calendar';

/** Why `value` is not an acceptable local date, or null. */
export function localDateProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a date as YYYY-MM-DD';
  try {
    parseLocalDate(value);
  } catch {
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `is not a real calendar date (${value})` : `must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`;
  }
  const year = Number(value.slice(0, 4));
  if (year < MIN_DATE_TIME_YEAR || year > MAX_DATE_TIME_YEAR) return `must be in the years ${MIN_DATE_TIME_YEAR} to ${MAX_DATE_TIME_YEAR}`;
  return null;
}

/** A real local date 'YYYY-MM-DD' in the years 2000–2100 (2026-02-30 is refused). */
export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLocalDate',
      validator: {
        validate: (value: unknown) => localDateProblem(value) === null,
        defaultMessage: (args) => `${args?.property ?? 'value'} ${localDateProblem(args?.value) ?? 'is not a valid date'}`,
      },
    },
    options,
  );
}

/** A plain decimal in a query string becomes a number; anything else ('', '1e3', 'abc') stays text and fails @IsNumber. */
const decimal = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^\d{1,9}(\.\d{1,9})?$/.test(value) ? Number(value) : value);

export class CalendarDaysQueryDto {
  @ApiProperty({ example: '2026-10-01', description: 'First day (local date), included' })
  @IsLocalDate()
  from: string;

  @ApiProperty({ example: '2026-10-31', description: 'Last day (local date), included; at most 400 days from `from`' })
  @IsLocalDate()
  to: string;
}

export class DueQueryDto {
  @ApiProperty({ example: DATE_TIME_EXAMPLE, description: 'RFC 3339 with an offset, years 2000–2100' })
  @IsStrictDateTime()
  start: string;

  @ApiProperty({ type: Number, example: 5, description: 'Whole for working_days (≤ 3650); may be fractional for hours (≤ 87600)' })
  @Transform(decimal)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'amount must be a number ≥ 0 written with digits, e.g. 5 or 2.5' })
  @Min(0)
  amount: number;

  @ApiProperty({ enum: DUE_UNITS, enumName: 'DueUnit' })
  @IsIn(DUE_UNITS, { message: `unit must be one of ${DUE_UNITS.join(', ')}` })
  unit: DueUnit;
}

export class ListOverridesQueryDto {
  @ApiPropertyOptional({ type: 'integer', example: 2027, description: 'Only this year’s overrides; all when absent' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole number' })
  @Min(MIN_DATE_TIME_YEAR)
  @Max(MAX_DATE_TIME_YEAR)
  year?: number;
}

/** Optional texts: null clears them, an empty or blank text is refused (send null instead). */
const NAME_RULES = [IsOptional(), IsString(), MinLength(1), MaxLength(64), Matches(/\S/, { message: 'name must not be blank' })];
const NOTE_RULES = [IsOptional(), IsString(), MinLength(1), MaxLength(500), Matches(/\S/, { message: 'note must not be blank' })];

function apply(rules: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => rules.forEach((rule) => rule(target, key));
}

export class CreateOverrideDto {
  @ApiProperty({ example: '2027-01-01' })
  @IsLocalDate()
  date: string;

  @ApiProperty({ enum: DAY_KINDS, enumName: 'DayKind' })
  @IsIn(DAY_KINDS, { message: `kind must be one of ${DAY_KINDS.join(', ')}` })
  kind: DayKind;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 64, example: '元旦' })
  @apply(NAME_RULES)
  name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @apply(NOTE_RULES)
  note?: string | null;
}

export class UpdateOverrideDto {
  @ApiPropertyOptional({ enum: DAY_KINDS, enumName: 'DayKind' })
  // Absent keeps the kind; null is not a kind.
  @ValidateIf((dto: UpdateOverrideDto) => dto.kind !== undefined)
  @IsIn(DAY_KINDS, { message: `kind must be one of ${DAY_KINDS.join(', ')}` })
  kind?: DayKind;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 64, description: 'null clears it' })
  @apply(NAME_RULES)
  name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, description: 'null clears it' })
  @apply(NOTE_RULES)
  note?: string | null;
}
