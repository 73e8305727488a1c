import type { RequestType } from '../work-orders/work-order.enums';

/**
 * What the detector compares: an order being registered (no id yet) or a stored one. Title and content are the
 * citizen's words as registered; district and street are units (ids), the category a leaf.
 */
export interface MatterInput {
  /** Set for a stored order (it is then never its own candidate). */
  workOrderId?: number;
  title: string;
  content: string;
  address: string;
  citizenPhone: string | null;
  districtUnitId: number | null;
  streetUnitId: number | null;
  categoryId: number;
  requestType: RequestType;
  createdAt: Date;
}

/**
 * repeat: the same caller about the same matter (重复件); hotspot: another caller about the same matter at the same
 * place (多人反映); similar: alike, below the detector's threshold — shown to the agent, never acted upon.
 */
export const CANDIDATE_KINDS = ['repeat', 'hotspot', 'similar'] as const;
export type CandidateKind = (typeof CANDIDATE_KINDS)[number];

/** One reason a candidate was proposed, for the human-readable explanation (translated by the console). */
export const CANDIDATE_REASON_CODES = [
  'same_caller',
  'text_similar',
  'same_address',
  'same_place',
  'same_street',
  'same_category',
  'related_category',
  'days_ago',
] as const;
export type CandidateReasonCode = (typeof CANDIDATE_REASON_CODES)[number];

export interface CandidateReason {
  code: CandidateReasonCode;
  /** text_similar: the similarity (0–1, two decimals); days_ago: whole days; absent for the others. */
  value?: number;
}

/** An earlier order the detector found about the same matter as the order it looked at. */
export interface RepeatCandidate {
  workOrderId: number;
  /** The matter (事项) the candidate belongs to: the id of the matter's first order. */
  matterId: number;
  kind: CandidateKind;
  /** The model's probability that both orders are about the same matter (0–1). */
  score: number;
  reasons: CandidateReason[];
  /** The reasons in Chinese, e.g. "同一来电人 · 内容相似 0.82 · 同一地址 · 12 天前". */
  reasonText: string;
}

/** What recording a registered order decided. */
export interface RecordedMatter {
  /** The matter the order was put in (its own id when it starts a new one). */
  matterId: number;
  /** The earlier order of the same caller and matter this order repeats (the matter's first such order), if any. */
  repeatOfId: number | null;
  /**
   * Whether the matter has enough orders and callers within the hotspot window ending with this order to be a hotspot
   * (HOTSPOT_MIN_CALLERS, HOTSPOT_MIN_ORDERS: read only until that many are found, never counted), and the
   * order's time (the window's end).
   */
  matter: { reachesHotspot: boolean; lastAt: Date };
}

/** A hotspot needs at least this many different callers: one citizen calling three times is a repeat, not a hotspot. */
export const HOTSPOT_MIN_CALLERS = 2;
