import { http } from './http';
import type { DeadlineRule, DeadlineRules } from './models';

export function getDeadlineRules(signal?: AbortSignal): Promise<DeadlineRules> {
  return http.get<DeadlineRules>('/deadline-rules', { signal });
}

/** Replaces the whole table; the server answers with the table as stored. */
export function replaceDeadlineRules(items: DeadlineRule[]): Promise<DeadlineRules> {
  return http.request<DeadlineRules>({ method: 'PUT', url: '/deadline-rules', data: { items } });
}
