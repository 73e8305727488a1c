import type { RequestType } from '../work-orders/work-order.enums';
import type { PublicStatus, PublicTimelineEntry } from './public-timeline';

export interface SubmittedRequestView {
  number: string;
  phoneHint: string;
  trackingHint: string;
  createdAt: Date;
}

/** Everything a citizen is told about their request: no staff, no unit below the lead department, no phone or name. */
export interface PublicRequestView {
  number: string;
  status: PublicStatus;
  requestType: RequestType;
  category: string;
  title: string;
  address: string;
  createdAt: Date;
  reply: string | null;
  repliedAt: Date | null;
  closedAt: Date | null;
  timeline: PublicTimelineEntry[];
}

export interface PublicCategoryView {
  id: number;
  name: string;
  children: PublicCategoryView[];
}

export interface PublicStreetView {
  id: number;
  name: string;
}

export interface PublicDistrictView {
  id: number;
  name: string;
  streets: PublicStreetView[];
}

export interface PublicFormOptionsView {
  requestTypes: RequestType[];
  categories: PublicCategoryView[];
  categoryRequired: boolean;
  districts: PublicDistrictView[];
  maxPhotos: number;
  maxPhotoBytes: number;
  photoTypes: string[];
}

/** 138****1234 / 010****5678: enough to recognise the number, not enough to learn it. */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return `${phone.slice(0, 1)}****`;
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
