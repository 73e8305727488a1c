import type { AgentState, CallStatus, CallSurvey } from '@/api/calls';
import { centerDateTime } from '@/utils/date';

/** Element Plus tag types. */
export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger';

const STATUS_TAGS: Record<CallStatus, TagType> = {
  ringing: 'primary',
  queued: 'primary',
  answered: 'success',
  missed: 'danger',
  abandoned: 'warning',
  failed: 'info',
};

export const callStatusTag = (status: CallStatus): TagType => STATUS_TAGS[status] ?? 'info';

const AGENT_STATE_TAGS: Record<AgentState, TagType> = {
  ready: 'success',
  busy: 'danger',
  ringing: 'warning',
  away: 'info',
  offline: 'info',
};

export const agentStateTag = (state: AgentState): TagType => AGENT_STATE_TAGS[state] ?? 'info';

/**
 * Seconds as a call timer shows them: `m:ss`, or `h:mm:ss` from an hour on (language-neutral, as on a phone).
 * Null (unknown, or not applicable) gives null: the caller shows "—".
 */
export function formatDuration(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return null;
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** An instant of a call to the second, in the center's time (`YYYY-MM-DD HH:mm:ss`); null for null. */
export function formatCallTime(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? null : centerDateTime(time);
}

/** The time of day only (`HH:mm:ss`, center time): the live view's "since" and "updated". */
export function formatClock(iso: string | number | null | undefined): string | null {
  if (iso === null || iso === undefined) return null;
  const time = typeof iso === 'number' ? iso : Date.parse(iso);
  return Number.isNaN(time) ? null : centerDateTime(time).slice(11);
}

/** Seconds from an instant to `now` (epoch ms), never negative; null without the instant. */
export function secondsSince(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? null : Math.max(0, Math.floor((now - time) / 1000));
}

/** The locale key and values of a survey result: a rating, another key pressed, or none. */
export function surveyMessage(survey: CallSurvey | null | undefined): { key: string; values?: Record<string, string> } {
  if (!survey) return { key: 'calls.survey.none' };
  if (survey.rating) return { key: `calls.survey.${survey.rating}` };
  return { key: 'calls.survey.otherKey', values: { digit: survey.digit } };
}

const SURVEY_TAGS = { satisfied: 'success', basically_satisfied: 'primary', dissatisfied: 'danger' } as const satisfies Record<NonNullable<CallSurvey['rating']>, TagType>;

export const surveyTag = (survey: CallSurvey | null | undefined): TagType => (survey?.rating ? SURVEY_TAGS[survey.rating] : 'info');
