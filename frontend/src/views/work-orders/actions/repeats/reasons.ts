import type { CandidateKind, CandidateReason, SimilarOrder } from '@/api/repeats';

type Translate = (key: string, named?: Record<string, unknown>) => string;
type HasKey = (key: string) => boolean;

/** A similarity as the reasons show it: two decimals (0.82). */
export function formatSimilarity(value: number): string {
  return value.toFixed(2);
}

/** A score as a percentage (0.93 → "93%"). */
export function formatScore(score: number): string {
  return `${Math.round(Math.max(0, Math.min(1, score)) * 100)}%`;
}

/** One reason in the console's language; null for a code it does not know (a newer backend). */
export function reasonLabel(reason: CandidateReason, t: Translate, te: HasKey): string | null {
  if (reason.code === 'days_ago' && reason.value === 0) return t('repeats.reason.today');
  const key = `repeats.reason.${reason.code}`;
  if (!te(key)) return null;
  const value = reason.value === undefined ? '' : reason.code === 'text_similar' ? formatSimilarity(reason.value) : String(reason.value);
  return t(key, { value });
}

/**
 * "same caller · text 0.82 alike · same address · 12 days ago": the reasons translated by code; when one is unknown
 * (or none are given) the backend's own wording (reasonText) is shown instead.
 */
export function describeReasons(candidate: Pick<SimilarOrder, 'reasons' | 'reasonText'>, t: Translate, te: HasKey): string {
  const labels = (candidate.reasons ?? []).map((reason) => reasonLabel(reason, t, te));
  if (labels.length === 0 || labels.some((label) => label === null)) return candidate.reasonText ?? '';
  return labels.join(t('repeats.separator'));
}

/** Element Plus tag type of each kind: a repeat stands out most. */
export const KIND_TAG: Record<CandidateKind, 'danger' | 'warning' | 'info'> = { repeat: 'danger', hotspot: 'warning', similar: 'info' };

/** Whether the candidate is the same caller again (highlighted before registration). */
export function isSameCaller(candidate: Pick<SimilarOrder, 'kind' | 'reasons'>): boolean {
  return candidate.kind === 'repeat' || (candidate.reasons ?? []).some((reason) => reason.code === 'same_caller');
}

/** Repeats first, then hotspot matches, then the merely similar; within a kind the higher score first. */
export function rankCandidates<T extends Pick<SimilarOrder, 'kind' | 'score'>>(candidates: readonly T[]): T[] {
  const order: Record<CandidateKind, number> = { repeat: 0, hotspot: 1, similar: 2 };
  return [...candidates].sort((a, b) => (order[a.kind] ?? 3) - (order[b.kind] ?? 3) || b.score - a.score);
}

/** How an order stands to a candidate, and the tag that says so. */
export type CandidateRelation = 'linked' | 'repeat' | 'merged' | null;
export const RELATION_LABEL: Record<Exclude<CandidateRelation, null>, string> = {
  linked: 'repeats.act.linked',
  repeat: 'repeats.act.markedRepeat',
  merged: 'repeats.act.merged',
};

export type CandidateAction = 'mark-repeat' | 'link' | 'merge';
/** The candidate buttons, in the order shown, with their labels and looks. */
export const CANDIDATE_BUTTONS: readonly { action: CandidateAction; label: string; type: 'primary' | 'default' | 'warning' }[] = [
  { action: 'mark-repeat', label: 'repeats.act.markRepeat', type: 'primary' },
  { action: 'link', label: 'repeats.act.link', type: 'default' },
  { action: 'merge', label: 'repeats.act.merge', type: 'warning' },
];

/** Every way an order stands to a candidate (a repeat may be linked too), strongest first. */
export function relationsOf(
  order: { repeatOfId: number | null; mergedIntoId: number | null; linkedOrders: readonly { id: number }[] },
  candidateId: number,
): Exclude<CandidateRelation, null>[] {
  const relations: Exclude<CandidateRelation, null>[] = [];
  if (order.mergedIntoId === candidateId) relations.push('merged');
  if (order.repeatOfId === candidateId) relations.push('repeat');
  if (order.linkedOrders.some((linked) => linked.id === candidateId)) relations.push('linked');
  return relations;
}

/** Whether an action still adds something: a repeat is related already (merging remains), a merged order is done with. */
export function stillUseful(action: CandidateAction, relation: CandidateRelation): boolean {
  if (relation === 'merged') return false;
  if (relation === 'repeat') return action === 'merge';
  if (relation === 'linked') return action !== 'link';
  return true;
}
