import type { InvalidReason, Satisfaction } from '@/api/models';
import { centerWallClockToIso } from '../center-time';
import { optionalText, type ActionFields } from '../useActionSubmit';

/**
 * What each center form holds, and the request body it sends (without `version`, which the submit adds). Kept apart
 * from the components so that the mapping to the backend DTOs is tested on its own.
 */

export interface DispatchForm {
  leadUnitId: number | null;
  assistingUnitIds: number[];
  /** Center wall clock (`YYYY-MM-DD HH:mm:ss`), empty for the default. */
  assistDueAt: string | null;
  note: string;
}

/** Assisting units never include the lead; the due date only matters when there are assisting units. */
export function dispatchBody(form: DispatchForm): ActionFields<'dispatch'> {
  const assisting = form.assistingUnitIds.filter((id) => id !== form.leadUnitId);
  const assistDueAt = assisting.length > 0 ? centerWallClockToIso(form.assistDueAt) : null;
  return {
    ...(form.leadUnitId !== null ? { leadUnitId: form.leadUnitId } : {}),
    ...(assisting.length > 0 ? { assistingUnitIds: assisting } : {}),
    ...(assistDueAt ? { assistDueAt } : {}),
    ...(optionalText(form.note) !== undefined ? { note: optionalText(form.note) } : {}),
  };
}

export interface RecallForm extends DispatchForm {
  reason: string;
  /** 改派: dispatch at once to `leadUnitId`; otherwise the order waits for dispatch again. */
  redispatch: boolean;
}

export function recallBody(form: RecallForm): ActionFields<'recall'> {
  const reason = optionalText(form.reason);
  const body: ActionFields<'recall'> = reason !== undefined ? { reason } : {};
  if (!form.redispatch || form.leadUnitId === null) return body;
  const { leadUnitId, assistingUnitIds, assistDueAt } = dispatchBody({ ...form, note: '' });
  return { ...body, leadUnitId, ...(assistingUnitIds ? { assistingUnitIds } : {}), ...(assistDueAt ? { assistDueAt } : {}) };
}

/** The answers of the callback script (undefined: not answered yet; radio groups take no null). */
export interface CallbackForm {
  /** Q1: does the citizen take the callback? */
  accepts: boolean | undefined;
  /** Q2: resolved? */
  resolved: boolean | undefined;
  /** Q3: satisfaction (not asked when the citizen declines). */
  satisfaction: Satisfaction | undefined;
  note: string;
}

export function callbackBody(form: CallbackForm): ActionFields<'callback'> {
  const note = optionalText(form.note);
  const withNote = note !== undefined ? { note } : {};
  if (form.accepts === false) return { outcome: 'declined', ...withNote };
  return {
    outcome: form.resolved ? 'resolved' : 'unresolved',
    ...(form.satisfaction ? { satisfaction: form.satisfaction } : {}),
    ...withNote,
  };
}

export interface SuperviseForm {
  instruction: string;
  replyDueAt: string | null;
}

export function superviseBody(form: SuperviseForm): ActionFields<'supervise'> {
  return { instruction: form.instruction.trim(), replyDueAt: centerWallClockToIso(form.replyDueAt) ?? '' };
}

export function remindBody(message: string): ActionFields<'remind'> {
  const text = optionalText(message);
  return text !== undefined ? { message: text } : {};
}

export interface InvalidateForm {
  reasonCode: InvalidReason | undefined;
  reason: string;
}

export function invalidateBody(form: InvalidateForm): ActionFields<'invalidate'> {
  return { reasonCode: form.reasonCode ?? 'other', reason: form.reason.trim() };
}

export interface TargetForm {
  targetId: number | null;
  note: string;
}

export function targetBody(form: TargetForm): ActionFields<'merge'> & ActionFields<'link'> {
  const note = optionalText(form.note);
  return { targetId: form.targetId ?? 0, ...(note !== undefined ? { note } : {}) };
}

/** A decision on a request (return, extension, reply): approving takes an optional note, refusing a reason. */
export function noteBody(note: string): { note?: string } {
  const text = optionalText(note);
  return text !== undefined ? { note: text } : {};
}

export function reasonBody(reason: string): { reason: string } {
  return { reason: reason.trim() };
}

/** Target-order search: digits only (6 or more) are a number prefix for the list API; anything else a keyword of 2+ characters. */
export function targetSearchKeyword(input: string): string | null {
  const text = input.trim();
  const digits = text.replace(/[\s-]/g, '');
  if (/^\d+$/.test(digits)) return digits.length >= 6 ? digits.slice(0, 16) : null;
  return text.length >= 2 ? text : null;
}

export const CALLBACK_ATTEMPT_PRESETS = ['noAnswer', 'busy', 'off', 'wrongNumber'] as const;

/** UnitTreeSelect answers `number | number[] | null`; a single pick keeps a number. */
export function singleUnit(value: number | number[] | null): number | null {
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

/** …and a multiple pick a list. */
export function unitList(value: number | number[] | null): number[] {
  return Array.isArray(value) ? value : value === null ? [] : [value];
}

/** 无效原因 in the order the form offers them (the record makes a new backend code a type error here). */
const INVALID_REASON_ORDER: Record<InvalidReason, number> = { test_call: 0, prank: 1, no_content: 2, duplicate_call: 3, other: 4 };
export const INVALID_REASON_CODES: readonly InvalidReason[] = (Object.keys(INVALID_REASON_ORDER) as InvalidReason[]).sort(
  (a, b) => INVALID_REASON_ORDER[a] - INVALID_REASON_ORDER[b],
);
