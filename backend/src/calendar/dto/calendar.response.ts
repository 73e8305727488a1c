import { ApiProperty } from '@nestjs/swagger';
import { DAY_KINDS, DAY_SOURCES, type DayInfo, type DayKind, type DaySource } from '../day-kind';

const dateTime = { type: String, format: 'date-time' } as const;

export class CalendarDayResponse implements DayInfo {
  @ApiProperty({ example: '2026-10-01', description: 'Local date in the center’s time zone' })
  date: string;

  @ApiProperty({ enum: DAY_KINDS, enumName: 'DayKind' })
  kind: DayKind;

  @ApiProperty({ type: String, nullable: true, example: '国庆节', description: 'The holiday’s name on holidays and their make-up days, an override’s own name; otherwise null' })
  name: string | null;

  @ApiProperty({ enum: DAY_SOURCES, enumName: 'DaySource', description: 'override › builtin (chinese-days) › weekday-rule (a year the package does not know)' })
  source: DaySource;
}

export class CalendarDaysResponse {
  @ApiProperty({ type: [CalendarDayResponse] })
  items: CalendarDayResponse[];
}

export class DueResponse {
  @ApiProperty({ ...dateTime, example: '2026-10-08T07:00:00.000Z', description: 'The due instant, UTC' })
  dueAt: string;
}

export class CalendarOverrideResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ example: '2027-01-01' })
  date: string;

  @ApiProperty({ enum: DAY_KINDS, enumName: 'DayKind' })
  kind: DayKind;

  @ApiProperty({ type: String, nullable: true })
  name: string | null;

  @ApiProperty({ type: String, nullable: true })
  note: string | null;

  @ApiProperty({ type: 'integer' })
  createdById: number;

  @ApiProperty({ type: 'integer' })
  updatedById: number;

  @ApiProperty(dateTime)
  createdAt: Date;

  @ApiProperty(dateTime)
  updatedAt: Date;
}

export class CalendarOverrideListResponse {
  @ApiProperty({ type: [CalendarOverrideResponse] })
  items: CalendarOverrideResponse[];
}
