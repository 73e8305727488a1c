/** An unordered pair of order ids as one string key (smaller id first). */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export interface PrecisionRecall {
  precision: number;
  recall: number;
  proposed: number;
  truth: number;
  correct: number;
}

export function precisionRecall(proposed: ReadonlySet<string>, truth: ReadonlySet<string>): PrecisionRecall {
  let correct = 0;
  for (const pair of proposed) if (truth.has(pair)) correct++;
  return {
    // Nothing proposed is a precision of 1 (no false pair) — and a recall of 0 unless nothing was to be found.
    precision: proposed.size === 0 ? 1 : correct / proposed.size,
    recall: truth.size === 0 ? 1 : correct / truth.size,
    proposed: proposed.size,
    truth: truth.size,
    correct,
  };
}

/** The true pairs of a file: same matter and same phone = repeat; same matter and another phone = hotspot. */
export function truePairs(orders: readonly { id: string; matterId: string; citizenPhone: string }[]): { repeats: Set<string>; hotspots: Set<string> } {
  const repeats = new Set<string>();
  const hotspots = new Set<string>();
  const byMatter = new Map<string, { id: string; citizenPhone: string }[]>();
  for (const order of orders) {
    const members = byMatter.get(order.matterId) ?? [];
    for (const other of members) (other.citizenPhone === order.citizenPhone ? repeats : hotspots).add(pairKey(other.id, order.id));
    members.push(order);
    byMatter.set(order.matterId, members);
  }
  return { repeats, hotspots };
}

/** The evaluation's last line, exactly as the issue asks for it. */
export function summaryLine(repeats: PrecisionRecall, hotspots: PrecisionRecall): string {
  const f = (n: number) => n.toFixed(2);
  return `repeats precision=${f(repeats.precision)} recall=${f(repeats.recall)} hotspots precision=${f(hotspots.precision)} recall=${f(hotspots.recall)}`;
}
