/**
 * The citizen portal's calls (市民门户): no login, never a token (`anonymous`), so a console session open in the same
 * browser is neither sent nor refreshed. The types are the generated OpenAPI ones (aliased here until the shared
 * `models.ts` names them).
 */
import { http } from './http';
import type { components } from './generated/openapi';
import { publicRequestStatusValues, publicTimelineStepValues } from './generated/openapi';

type Schemas = components['schemas'];
export type CaptchaChallenge = Schemas['CaptchaResponse'];
export type PortalFormOptions = Schemas['PublicFormOptionsResponse'];
export type PortalCategory = Schemas['PublicCategoryResponse'];
export type PortalDistrict = Schemas['PublicDistrictResponse'];
export type SubmittedRequest = Schemas['SubmittedRequestResponse'];
export type TrackedRequest = Schemas['PublicRequestResponse'];
export type PublicTimelineEntry = Schemas['PublicTimelineEntryResponse'];
export type PublicRequestStatus = Schemas['PublicRequestStatus'];
export const PUBLIC_REQUEST_STATUSES: readonly PublicRequestStatus[] = publicRequestStatusValues;
export type PublicTimelineStep = Schemas['PublicTimelineStep'];
export const PUBLIC_TIMELINE_STEPS: readonly PublicTimelineStep[] = publicTimelineStepValues;
/** The text fields of a submission (the photos go beside them in the multipart body). */
export type PortalSubmission = Omit<Schemas['SubmitPublicRequestBody'], 'photos'>;

/** The error codes of a refused captcha (the try used it up: fetch a new one). */
export const CAPTCHA_ERROR_CODES = ['CAPTCHA_INVALID', 'CAPTCHA_WRONG', 'CAPTCHA_EXPIRED', 'CAPTCHA_USED'] as const;

export function fetchCaptcha(): Promise<CaptchaChallenge> {
  return http.get<CaptchaChallenge>('/public/captcha', { anonymous: true });
}

export function fetchFormOptions(): Promise<PortalFormOptions> {
  return http.get<PortalFormOptions>('/public/form-options', { anonymous: true });
}

/** 我要反映: the fields and up to three photos as one multipart request. */
export function submitRequest(fields: PortalSubmission, photos: readonly File[]): Promise<SubmittedRequest> {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null && value !== '') body.append(name, String(value));
  }
  for (const photo of photos) body.append('photos', photo, photo.name);
  return http.post<SubmittedRequest>('/public/requests', body, { anonymous: true });
}

/** 进度查询: 404 unless the number and the phone belong together. */
export function trackRequest(number: string, phone: string, signal?: AbortSignal): Promise<TrackedRequest> {
  return http.get<TrackedRequest>(`/public/requests/${encodeURIComponent(number)}`, { anonymous: true, params: { phone }, signal });
}
