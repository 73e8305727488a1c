import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import {
  EDITABLE_KNOWLEDGE_STATUSES,
  type EditableKnowledgeStatus,
  KNOWLEDGE_STATUSES,
  type KnowledgeStatus,
  MAX_BODY_BYTES,
  MAX_BODY_LENGTH,
  MAX_TAG_LENGTH,
  MAX_TAGS,
  MAX_TITLE_LENGTH,
} from '../knowledge.enums';

/** Longest search text (the same bound as the work-order search). */
export const MAX_KNOWLEDGE_QUERY_LENGTH = 100;

/** The field may be left out, but null is no value for it (IsOptional would let null through to the service). */
const IsAbsentOrValid = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

/** At most MAX_BODY_BYTES in UTF-8: what the TEXT column holds on MariaDB. */
function FitsTextColumn(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'fitsTextColumn',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || Buffer.byteLength(value, 'utf8') <= MAX_BODY_BYTES,
        defaultMessage: () => `body is too long: at most ${MAX_BODY_BYTES} bytes of UTF-8 (about 21,000 Chinese characters; emoji count double)`,
      },
    },
    options,
  );
}

const STATUS_MESSAGE = `status must be one of ${KNOWLEDGE_STATUSES.join(', ')}`;
const EDITABLE_STATUS_MESSAGE = `status must be one of ${EDITABLE_KNOWLEDGE_STATUSES.join(', ')} (archive an article with DELETE)`;

export class ListKnowledgeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    maxLength: MAX_KNOWLEDGE_QUERY_LENGTH,
    example: '公积金 提取',
    description:
      'Full-text search in titles, tags and bodies. Words separated by spaces must all occur; Chinese is matched by character pairs, so a two-character word (路灯) finds every article containing it. With a query the results are ranked: more query words in the title (or tags) first, then more occurrences, then the most recently updated.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_KNOWLEDGE_QUERY_LENGTH, { message: `q must be at most ${MAX_KNOWLEDGE_QUERY_LENGTH} characters` })
  q?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Only articles filed under this category or any category below it' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'categoryId must be a whole number' })
  @Min(1)
  categoryId?: number;

  @ApiPropertyOptional({
    enum: KNOWLEDGE_STATUSES,
    enumName: 'KnowledgeStatus',
    description: 'Editors (admin, supervisor) only: draft, published or archived; without it editors see drafts and published articles. Everyone else sees published articles only (403 for another status).',
  })
  @IsOptional()
  @IsIn(KNOWLEDGE_STATUSES, { message: STATUS_MESSAGE })
  status?: KnowledgeStatus;
}

/** Trims each tag; drops repeats (the first spelling wins). Anything but an array of strings is left for the validators. */
const tidyTags = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) && value.every((tag) => typeof tag === 'string') ? [...new Set(value.map((tag: string) => tag.trim()))] : value;

export class CreateKnowledgeArticleDto {
  @ApiProperty({ maxLength: MAX_TITLE_LENGTH, example: '住房公积金提取条件及办理流程', description: 'What the article answers, as an agent would search it' })
  @IsString({ message: 'title must be text' })
  @MinLength(1, { message: 'title must not be empty' })
  @MaxLength(MAX_TITLE_LENGTH, { message: `title must be at most ${MAX_TITLE_LENGTH} characters` })
  @Matches(/\S/, { message: 'title must not be blank' })
  title: string;

  @ApiProperty({ maxLength: MAX_BODY_LENGTH, description: `The answer, plain text with light markdown; at most ${MAX_BODY_LENGTH} characters (and ${MAX_BODY_BYTES} bytes)` })
  @IsString({ message: 'body must be text' })
  @MinLength(1, { message: 'body must not be empty' })
  @MaxLength(MAX_BODY_LENGTH, { message: `body must be at most ${MAX_BODY_LENGTH} characters` })
  @Matches(/\S/, { message: 'body must not be blank' })
  @FitsTextColumn()
  body: string;

  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'A category of any level (422 when it does not exist or is inactive); null or absent for none' })
  @IsOptional()
  @IsInt({ message: 'categoryId must be a whole number or null' })
  @Min(1)
  categoryId?: number | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_TAGS,
    example: ['公积金', '提取'],
    description: `Keywords searched like the title; at most ${MAX_TAGS}, each 1–${MAX_TAG_LENGTH} characters (trimmed; repeats dropped)`,
  })
  @IsAbsentOrValid()
  @Transform(tidyTags)
  @IsArray({ message: 'tags must be a list of texts' })
  @ArrayMaxSize(MAX_TAGS, { message: `tags may hold at most ${MAX_TAGS} entries` })
  @IsString({ each: true, message: 'each tag must be text' })
  @MinLength(1, { each: true, message: 'a tag must not be empty' })
  @MaxLength(MAX_TAG_LENGTH, { each: true, message: `each tag must be at most ${MAX_TAG_LENGTH} characters` })
  tags?: string[];

  @ApiPropertyOptional({ enum: EDITABLE_KNOWLEDGE_STATUSES, enumName: 'EditableKnowledgeStatus', default: 'draft', description: 'draft (editors only) or published (every reader)' })
  @IsAbsentOrValid()
  @IsIn(EDITABLE_KNOWLEDGE_STATUSES, { message: EDITABLE_STATUS_MESSAGE })
  status?: EditableKnowledgeStatus;
}

/** Changes some fields of the version the editor saw; at least one field besides `version`. */
export class UpdateKnowledgeArticleDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The version the change was made on: 409 with the current version when someone saved in between' })
  @IsInt({ message: 'version must be a whole number (the version you loaded)' })
  @Min(1)
  version: number;

  @ApiPropertyOptional({ maxLength: MAX_TITLE_LENGTH })
  @IsAbsentOrValid()
  @IsString({ message: 'title must be text' })
  @MinLength(1, { message: 'title must not be empty' })
  @MaxLength(MAX_TITLE_LENGTH, { message: `title must be at most ${MAX_TITLE_LENGTH} characters` })
  @Matches(/\S/, { message: 'title must not be blank' })
  title?: string;

  @ApiPropertyOptional({ maxLength: MAX_BODY_LENGTH, description: `At most ${MAX_BODY_LENGTH} characters (and ${MAX_BODY_BYTES} bytes)` })
  @IsAbsentOrValid()
  @IsString({ message: 'body must be text' })
  @MinLength(1, { message: 'body must not be empty' })
  @MaxLength(MAX_BODY_LENGTH, { message: `body must be at most ${MAX_BODY_LENGTH} characters` })
  @Matches(/\S/, { message: 'body must not be blank' })
  @FitsTextColumn()
  body?: string;

  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'null files it under no category' })
  @IsOptional()
  @IsInt({ message: 'categoryId must be a whole number or null' })
  @Min(1)
  categoryId?: number | null;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_TAGS, description: 'Replaces the tags ([] removes them all)' })
  @IsAbsentOrValid()
  @Transform(tidyTags)
  @IsArray({ message: 'tags must be a list of texts' })
  @ArrayMaxSize(MAX_TAGS, { message: `tags may hold at most ${MAX_TAGS} entries` })
  @IsString({ each: true, message: 'each tag must be text' })
  @MinLength(1, { each: true, message: 'a tag must not be empty' })
  @MaxLength(MAX_TAG_LENGTH, { each: true, message: `each tag must be at most ${MAX_TAG_LENGTH} characters` })
  tags?: string[];

  @ApiPropertyOptional({ enum: EDITABLE_KNOWLEDGE_STATUSES, enumName: 'EditableKnowledgeStatus', description: 'Publish, withdraw to draft, or restore an archived article' })
  @IsAbsentOrValid()
  @IsIn(EDITABLE_KNOWLEDGE_STATUSES, { message: EDITABLE_STATUS_MESSAGE })
  status?: EditableKnowledgeStatus;
}
