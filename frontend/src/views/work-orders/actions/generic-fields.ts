import type { WorkOrderAction } from '@/api/models';
import type { ActionBody } from '@/api/work-order-actions';

/** The one text a generic action body carries (besides `version`). */
type TextKey = 'note' | 'reason' | 'message';

export interface GenericTextField {
  /** Property of the request body. */
  field: TextKey;
  required: boolean;
  minLength: number;
  maxLength: number;
}

/** Each entry's field must be a property of that action's body (checked against the OpenAPI types). */
type GenericFields = { [A in WorkOrderAction]?: GenericTextField & { field: Extract<keyof ActionBody<A>, TextKey> } };

const note = { field: 'note', required: false, minLength: 0, maxLength: 2000 } as const;
const reason = { field: 'reason', required: true, minLength: 2, maxLength: 2000 } as const;

/**
 * Actions whose body is only a note, a reason or a message (backend NoteActionDto, ReasonActionDto, RemindDto):
 * the host shows its generic form for them when no form is registered. The limits are the DTOs' ones.
 */
export const GENERIC_TEXT_FIELDS: GenericFields = {
  accept: note,
  'approve-return': note,
  'unit-approve-reply': note,
  'approve-reply': note,
  'approve-extension': note,
  resume: note,
  unmerge: note,
  restore: reason,
  'reject-return': reason,
  'unit-reject-reply': reason,
  'reject-reply': reason,
  'refuse-extension': reason,
  suspend: reason,
  reopen: reason,
  remind: { field: 'message', required: false, minLength: 0, maxLength: 2000 },
  recall: { field: 'reason', required: false, minLength: 2, maxLength: 2000 },
};

export function genericTextField(action: WorkOrderAction): GenericTextField | null {
  return GENERIC_TEXT_FIELDS[action] ?? null;
}
