import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsLatitude,
  IsLongitude,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { CHANNELS, type Channel, REQUEST_TYPES, type RequestType, URGENCIES, type Urgency } from '../work-order.enums';

export const PHONE_PATTERN = /^\+?[0-9][0-9 -]{2,30}$/;

/** Phone numbers are stored and searched without the spaces and dashes people type: 138-1234-1234 → 13812341234. */
export function normalizePhone(phone: string): string {
  return phone.replace(/[ -]/g, '');
}

export class RegisterWorkOrderDto {
  @ApiPropertyOptional({ enum: REQUEST_TYPES, description: "Defaults to the category's default request type" })
  @IsOptional()
  @IsIn(REQUEST_TYPES)
  requestType?: RequestType;

  @ApiPropertyOptional({ enum: URGENCIES, default: 'normal' })
  @IsOptional()
  @IsIn(URGENCIES)
  urgency?: Urgency;

  @ApiProperty({ enum: CHANNELS })
  @IsIn(CHANNELS)
  channel: Channel;

  @ApiPropertyOptional({ maxLength: 64, example: '王先生' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  citizenName?: string;

  @ApiPropertyOptional({ example: '13812341234' })
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'citizenPhone must be a phone number (digits, optional +, spaces or dashes)' })
  citizenPhone?: string;

  @ApiPropertyOptional({ default: false, description: '保密: units will not see the citizen’s name and phone' })
  @IsOptional()
  @IsBoolean()
  citizenConfidential?: boolean;

  @ApiProperty({ maxLength: 255, example: '朝阳街道朝阳路18号' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  address: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  districtUnitId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(1)
  streetUnitId?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsLatitude()
  latitude?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsLongitude()
  longitude?: number;

  @ApiProperty({ description: 'A level-3 (leaf) category' })
  @IsInt()
  @Min(1)
  categoryId: number;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ maxLength: 10000 })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  content: string;

  @ApiPropertyOptional({ type: [String], description: 'Ids of files uploaded with POST /api/attachments' })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsUUID('4', { each: true })
  attachmentIds?: string[];
}
