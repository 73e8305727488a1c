/**
 * The shirking rules (推诿扯皮, docs/shirking.md), each a code stored on its flag:
 * - `returned`: the order was returned (退单) at least SHIRKING_RETURNS times;
 * - `bounced`: it came back to a unit that had returned it (A → center → B → center → A), SHIRKING_BOUNCES times;
 * - `late-acceptance`: accepted only after a warning (or late at all, SHIRKING_LATE_ACCEPTANCE=late), or not accepted by its deadline;
 * - `reply-rejected`: the center's review sent the reply back (审核不通过) SHIRKING_REPLY_REJECTIONS times;
 * - `callback-failed`: the citizen said at the callback it was not resolved, or was dissatisfied, and the order went back (重办);
 * - `reopened`: a closed order was reopened (重办) SHIRKING_REOPENS times;
 * - `repeat-after-resolved`: the same citizen complained again about the matter after the unit had replied (虚假答复).
 */
export const SHIRKING_RULES = ['returned', 'bounced', 'late-acceptance', 'reply-rejected', 'callback-failed', 'reopened', 'repeat-after-resolved'] as const;
export type ShirkingRule = (typeof SHIRKING_RULES)[number];

/** The rules that make a top-level order disputed (争议件): the units do not agree whose it is. */
export const DISPUTE_RULES: readonly ShirkingRule[] = ['returned', 'bounced'];
