import { ApiProperty } from '@nestjs/swagger';
import { REQUEST_TYPE_SCHEMA } from '../../work-orders/dto/work-order-enum.schemas';
import { REQUEST_TYPES, type RequestType } from '../../work-orders/work-order.enums';
import type { CaptchaChallenge } from '../captcha/captcha.service';
import type { PublicCategoryView, PublicDistrictView, PublicFormOptionsView, PublicRequestView, PublicStreetView, SubmittedRequestView } from '../public-request.view';
import { PUBLIC_STATUSES, PUBLIC_STEPS, type PublicStatus, type PublicStep, type PublicTimelineEntry } from '../public-timeline';

const dateTime = { type: String, format: 'date-time' } as const;

export class CaptchaResponse implements CaptchaChallenge {
  @ApiProperty({ description: 'Send it back as captchaToken with the answer; good for one try within 5 minutes' })
  token: string;

  @ApiProperty({ example: 'data:image/svg+xml;base64,PHN2Zy…', description: 'The question ("37 + 12 = ?") drawn as an SVG image, as a data: URL' })
  image: string;

  @ApiProperty({ ...dateTime, description: 'When the token stops being accepted' })
  expiresAt: Date;
}

export class SubmittedRequestResponse implements SubmittedRequestView {
  @ApiProperty({ example: '20261202000017', description: '工单编号: the number to track the request with' })
  number: string;

  @ApiProperty({ example: '138****1234', description: 'The phone number given, masked: tracking needs it with the number' })
  phoneHint: string;

  @ApiProperty({ description: 'How to follow the request: the portal’s 进度查询 page, or GET /api/public/requests/{number}?phone=' })
  trackingHint: string;

  @ApiProperty({ ...dateTime, description: 'When it was registered' })
  createdAt: Date;
}

export class PublicTimelineEntryResponse implements PublicTimelineEntry {
  @ApiProperty({
    enum: PUBLIC_STEPS,
    enumName: 'PublicTimelineStep',
    description: 'submitted 已受理, dispatched 已转交承办部门, replied 已答复, reopened 重新办理, closed 已办结, merged 与相同诉求合并办理, not_accepted 不予受理',
  })
  step: PublicStep;

  @ApiProperty({ ...dateTime, description: 'When the step happened' })
  at: Date;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '云川市城市管理局',
    description: 'For dispatched: the top-level department leading the handling (no unit below it is named); null otherwise or when unknown',
  })
  department: string | null;
}

export class PublicRequestResponse implements PublicRequestView {
  @ApiProperty({ example: '20261202000017', description: '工单编号' })
  number: string;

  @ApiProperty({
    enum: PUBLIC_STATUSES,
    enumName: 'PublicRequestStatus',
    description: 'received 已受理, in_progress 办理中, replied 已答复, closed 已办结, merged 已合并办理, not_accepted 不予受理',
  })
  status: PublicStatus;

  @ApiProperty({ ...REQUEST_TYPE_SCHEMA, description: '诉求类型' })
  requestType: RequestType;

  @ApiProperty({ example: '城乡建设/市政设施/路灯', description: 'The category the request is filed under' })
  category: string;

  @ApiProperty({ description: 'The title of the request' })
  title: string;

  @ApiProperty({ description: 'Where it happened, as given' })
  address: string;

  @ApiProperty({ ...dateTime, description: 'When it was registered' })
  createdAt: Date;

  @ApiProperty({ type: String, nullable: true, description: 'The answer to the citizen, once the center has approved it (replied or closed); null before' })
  reply: string | null;

  @ApiProperty({ ...dateTime, nullable: true, description: 'When the answer was given; null until it is public' })
  repliedAt: Date | null;

  @ApiProperty({ ...dateTime, nullable: true, description: 'When the request was closed (已办结 / 不予受理); null while open' })
  closedAt: Date | null;

  @ApiProperty({ type: [PublicTimelineEntryResponse], description: 'The citizen-facing steps, oldest first: no staff, no internal notes, no unit-internal steps' })
  timeline: PublicTimelineEntry[];
}

export class PublicStreetResponse implements PublicStreetView {
  @ApiProperty({ type: 'integer', description: 'Send as streetUnitId' })
  id: number;

  @ApiProperty({ example: '朝阳街道办事处', description: 'The street office’s name' })
  name: string;
}

export class PublicDistrictResponse implements PublicDistrictView {
  @ApiProperty({ type: 'integer', description: 'Send as districtUnitId' })
  id: number;

  @ApiProperty({ example: '东城区', description: 'The district’s name' })
  name: string;

  @ApiProperty({ type: [PublicStreetResponse], description: 'Its active street offices' })
  streets: PublicStreetView[];
}

export class PublicCategoryResponse implements PublicCategoryView {
  @ApiProperty({ type: 'integer', description: 'Send a leaf’s id as categoryId' })
  id: number;

  @ApiProperty({ example: '路灯', description: 'The category’s name' })
  name: string;

  @ApiProperty({ type: () => [PublicCategoryResponse], description: 'Active subcategories; empty for a leaf (level 3), the only level a request can be filed under' })
  children: PublicCategoryView[];
}

export class PublicFormOptionsResponse implements PublicFormOptionsView {
  @ApiProperty({ enum: REQUEST_TYPES, enumName: 'RequestType', isArray: true, description: 'The request types a citizen may choose' })
  requestTypes: RequestType[];

  @ApiProperty({ type: [PublicCategoryResponse], description: 'Active categories with at least one active leaf below them' })
  categories: PublicCategoryView[];

  @ApiProperty({ description: 'Whether a category must be chosen: false when the center has a catch-all leaf 其他 that requests without one are filed under' })
  categoryRequired: boolean;

  @ApiProperty({ type: [PublicDistrictResponse], description: 'Active districts with their street offices, for the optional location' })
  districts: PublicDistrictView[];

  @ApiProperty({ type: 'integer', example: 3, description: 'How many photos one request may carry' })
  maxPhotos: number;

  @ApiProperty({ type: 'integer', example: 5242880, description: 'The largest photo accepted, in bytes' })
  maxPhotoBytes: number;

  @ApiProperty({ type: [String], example: ['image/jpeg', 'image/png', 'image/webp'], description: 'The photo types accepted' })
  photoTypes: string[];
}
