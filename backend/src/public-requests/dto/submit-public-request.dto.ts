import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { REQUEST_TYPE_SCHEMA } from '../../work-orders/dto/work-order-enum.schemas';
import { REQUEST_TYPES, type RequestType } from '../../work-orders/work-order.enums';

/**
 * A mainland China phone number: a mobile (11 digits from 13…19, optionally +86) or a landline with its area code
 * (0 + 2–3 digits, then 7–8 digits, optionally "-" and an extension); spaces and dashes are allowed between groups.
 */
export const CITIZEN_PHONE_PATTERN = /^(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d){8}$|^0\d{2,3}[ -]?\d{3,4}[ -]?\d{4}(?:-\d{1,6})?$/;

/** The form of the number requests are filed and found under: digits only, a mobile without its +86. */
export function canonicalPhone(phone: string): string {
  const digits = phone.replace(/[ -]/g, '');
  const mobile = /^(?:\+|00)?86(1[3-9]\d{9})$/.exec(digits);
  return mobile ? mobile[1] : digits;
}

/** Multipart fields arrive as text: "12" → 12, "" → undefined (then @IsOptional lets it pass). */
const toInteger = () =>
  Transform(({ value }: { value: unknown }) => (value === '' || value === undefined || value === null ? undefined : typeof value === 'string' ? Number(value) : value));
const toBoolean = () =>
  Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value === '' ? undefined : value));

export class SubmitPublicRequestDto {
  @ApiProperty({ ...REQUEST_TYPE_SCHEMA, description: '诉求类型: what the citizen wants (ask, get help, complain, report, suggest, praise)' })
  @IsIn(REQUEST_TYPES, { message: `requestType must be one of ${REQUEST_TYPES.join(', ')}` })
  requestType: RequestType;

  @ApiPropertyOptional({
    type: 'integer',
    description:
      'A level-3 (leaf) category from GET /api/public/form-options; left out, the request is filed under the catch-all category 其他 for the center to classify (422 when the center has none: then it is required)',
  })
  @IsOptional()
  @toInteger()
  @IsInt({ message: 'categoryId must be a whole number' })
  @Min(1)
  categoryId?: number;

  @ApiPropertyOptional({ maxLength: 200, description: 'A short title; left out, the beginning of the content is used' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;

  @ApiProperty({ minLength: 5, maxLength: 5000, description: 'What happened, where and what the citizen asks for' })
  @IsString()
  @MinLength(5, { message: 'content must be at least 5 characters: say what happened and what you ask for' })
  @MaxLength(5000)
  content: string;

  @ApiProperty({ minLength: 2, maxLength: 255, example: '朝阳街道朝阳路18号', description: 'Where it happened' })
  @IsString()
  @MinLength(2)
  @MaxLength(255)
  address: string;

  @ApiPropertyOptional({ type: 'integer', description: 'The district, from the districts of GET /api/public/form-options' })
  @IsOptional()
  @toInteger()
  @IsInt({ message: 'districtUnitId must be a whole number' })
  @Min(1)
  districtUnitId?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'The street office (街道), one of the chosen district’s streets' })
  @IsOptional()
  @toInteger()
  @IsInt({ message: 'streetUnitId must be a whole number' })
  @Min(1)
  streetUnitId?: number;

  @ApiPropertyOptional({ maxLength: 64, example: '王先生', description: 'How the citizen wants to be addressed (optional)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  citizenName?: string;

  @ApiProperty({
    example: '13812341234',
    description: 'A mainland mobile (13…19, 11 digits, optionally +86) or landline with area code (010-12345678); needed to track the request',
  })
  @IsString()
  @Matches(CITIZEN_PHONE_PATTERN, { message: 'citizenPhone must be a mainland mobile number (11 digits) or a landline with its area code, e.g. 010-12345678' })
  citizenPhone: string;

  @ApiPropertyOptional({ default: false, description: '保密: the departments handling the request do not see the citizen’s name and phone' })
  @IsOptional()
  @toBoolean()
  @IsBoolean({ message: 'citizenConfidential must be true or false' })
  citizenConfidential?: boolean;

  @ApiProperty({ description: 'The token of GET /api/public/captcha' })
  @IsString()
  @MaxLength(200)
  captchaToken: string;

  @ApiProperty({ example: '49', description: 'The result of the captcha’s sum' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value))
  @IsString()
  @MaxLength(10)
  captchaAnswer: string;
}

/** The multipart body as the OpenAPI document describes it: the fields and up to three photos. */
export class SubmitPublicRequestBody extends SubmitPublicRequestDto {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'binary' },
    maxItems: 3,
    description: 'Up to 3 photos (JPEG, PNG or WebP, ≤ 5 MB each), in the multipart field "photos"',
  })
  photos?: unknown[];
}
