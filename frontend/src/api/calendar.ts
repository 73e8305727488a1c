import { http } from './http';
import type { CalendarDay, CalendarOverride, CalendarOverrideChange, CalendarOverrideInput } from './models';

/** Every day from `from` to `to` (YYYY-MM-DD, both included, at most 400). */
export async function listCalendarDays(from: string, to: string, signal?: AbortSignal): Promise<CalendarDay[]> {
  const answer = await http.get<{ items: CalendarDay[] }>('/calendar/days', { params: { from, to }, signal });
  return answer.items;
}

export async function listCalendarOverrides(year?: number, signal?: AbortSignal): Promise<CalendarOverride[]> {
  const answer = await http.get<{ items: CalendarOverride[] }>('/calendar/overrides', { params: year ? { year } : {}, signal });
  return answer.items;
}

export function createCalendarOverride(input: CalendarOverrideInput): Promise<CalendarOverride> {
  return http.post<CalendarOverride>('/calendar/overrides', input);
}

export function updateCalendarOverride(id: number, change: CalendarOverrideChange): Promise<CalendarOverride> {
  return http.request<CalendarOverride>({ method: 'PATCH', url: `/calendar/overrides/${id}`, data: change });
}

export function deleteCalendarOverride(id: number): Promise<void> {
  return http.request<void>({ method: 'DELETE', url: `/calendar/overrides/${id}` });
}
