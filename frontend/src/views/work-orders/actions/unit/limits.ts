import { MAX_ATTACHMENTS_PER_ACTION } from '@/api/attachments';

/**
 * The backend DTOs' limits (backend/src/work-orders/dto/action.dto.ts, handling-actions.dto.ts) for the units' forms;
 * the forms' rules check the same before sending.
 */
export const NOTE_LIMITS = { required: false, maxLength: 2000 } as const;
export const REASON_LIMITS = { required: true, minLength: 2, maxLength: 2000 } as const;

/** ReplyDto / AssistReplyDto: content 1–4000, at most 20 files. */
export const REPLY_LIMITS = {
  content: { required: true, minLength: 1, maxLength: 4000 },
  attachments: MAX_ATTACHMENTS_PER_ACTION,
} as const;

/** ReturnDto: a reason code, a reason of 2–2000 and an optional suggested unit. */
export const RETURN_LIMITS = { reason: REASON_LIMITS } as const;

/** ContactDto: a method and a note of 1–2000. */
export const CONTACT_LIMITS = { note: { required: true, minLength: 1, maxLength: 2000 } } as const;

/** SubDispatchDto: a unit, an instruction of 1–2000, an optional reply deadline not after the parent's. */
export const SUB_DISPATCH_LIMITS = { instruction: { required: true, minLength: 1, maxLength: 2000 } } as const;

/** RequestExtensionDto: the reply deadline asked for and a reason of 2–2000. */
export const EXTENSION_LIMITS = { reason: REASON_LIMITS } as const;

/** AssignDto: an assignee and an optional note up to 2000. */
export const ASSIGN_LIMITS = { note: NOTE_LIMITS } as const;
