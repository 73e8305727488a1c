import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';

export const MAX_NOTIFICATION_PAGE = 100;
export const DEFAULT_NOTIFICATION_PAGE = 20;

/** 'true'/'false' become booleans; anything else stays as it came and fails @IsBoolean. */
const booleanText = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

/** The largest id the INT column holds; a cursor past it cannot come from a page. */
const MAX_ID = 2_147_483_647;

/** Today a cursor is the last id of the previous page: a positive whole number, written plainly, that fits the column. */
function IsCursor(): PropertyDecorator {
  return ValidateBy({
    name: 'isNotificationCursor',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && /^[1-9]\d{0,9}$/.test(value) && Number(value) <= MAX_ID,
      defaultMessage: () => 'cursor must be the nextCursor of a previous page',
    },
  });
}

export class ListNotificationsQueryDto {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Only the unread ones' })
  @IsOptional()
  @Transform(booleanText)
  @IsBoolean({ message: 'unreadOnly must be true or false' })
  unreadOnly: boolean = false;

  @ApiPropertyOptional({ type: String, example: '1234', description: 'The `nextCursor` of the previous page (opaque); absent for the newest page' })
  @IsOptional()
  @IsCursor()
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_NOTIFICATION_PAGE, default: DEFAULT_NOTIFICATION_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_NOTIFICATION_PAGE)
  limit: number = DEFAULT_NOTIFICATION_PAGE;
}
