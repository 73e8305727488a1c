import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ApiErrorResponse } from './api-error.response';

/** What each error status means in this API; every one of them answers with ApiErrorResponse. */
const MEANINGS = {
  400: 'The request is malformed or fails validation; the message lists every problem',
  401: 'No valid access token (or, when logging in, wrong credentials)',
  403: 'The caller’s role or unit may not do this',
  404: 'The record does not exist or the caller may not see it',
  409: 'The record changed meanwhile (stale version) or the action is not allowed in its current status; details say which',
  413: 'The request body or file is too large',
  415: 'The file type is not accepted, or its content does not match its extension',
  422: 'The request is well-formed but names something that cannot be used here',
  423: 'The account is locked after too many failed logins',
  429: 'Too many requests; the Retry-After header says after how many seconds to try again',
  503: 'A dependency (the database) does not answer, or a query ran past its time limit and was stopped (Retry-After says when to try again)',
} as const;

export type ApiErrorStatus = keyof typeof MEANINGS;

/** Documents the error answers a route (or every route of a controller) can really give. */
export function ApiErrorResponses(...statuses: ApiErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: MEANINGS[status], type: ApiErrorResponse })));
}
