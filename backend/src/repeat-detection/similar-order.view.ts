import type { WorkOrderStatus } from '../work-orders/work-order.enums';
import type { CandidateKind, CandidateReason } from './repeat-candidate';

/**
 * An earlier (or, for a stored order, later) order about the same matter, as the agent sees it at registration and on
 * GET /api/work-orders/:id/similar: the order's own facts with the detector's verdict. Only orders the caller may open.
 */
export interface SimilarOrderView {
  id: number;
  number: string;
  title: string;
  address: string;
  status: WorkOrderStatus;
  createdAt: Date;
  /** repeat: same caller, same matter (重复件); hotspot: another caller, same matter and place (多人反映); similar: only alike. */
  kind: CandidateKind;
  /** The model's probability that both orders are about the same matter (0–1). */
  score: number;
  reasons: CandidateReason[];
  /** The reasons in Chinese, e.g. "同一来电人 · 内容相似 0.82 · 同一地址 · 12 天前". */
  reasonText: string;
}
