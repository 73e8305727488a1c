/**
 * Text features of a citizen's request for the repeat detector: character bigrams of the Chinese text (a word
 * segmenter adds little for near-duplicate detection of short complaints, and bigrams need no dictionary of the
 * city's place names), after removing the hotline's own boilerplate — the phrases agents and citizens put around
 * every request (市民来电反映, 诉求, 要求尽快处理 …), which would make unrelated requests look alike.
 */

/** Hotline phrasing that says nothing about the matter itself. General to 12345 records, not to one city's data. */
const BOILERPLATE = [
  '市民来电反映',
  '市民来电称',
  '来电人表示',
  '来电人反映',
  '来电人称',
  '来电反映',
  '来电人',
  '市民',
  '反映',
  '诉求',
  '要求',
  '请求',
  '希望',
  '相关部门',
  '有关部门',
  '部门',
  '尽快',
  '处理',
  '问题',
  '情况',
  '解决',
  '目前',
  '现在',
  '已经',
  '一直',
  '没有',
  '还是',
  '进行',
  '多次',
  '此前',
  '再次',
  '咨询',
  '请问',
  '称其',
  '表示',
  '情绪激动',
  '回复',
  '处理结果',
  '网友留言',
  '网友反映',
  '网友',
  '留言',
  '投诉人',
  '举报人',
  '来信人',
  '来信',
  '据反映',
  '您好',
  '你好',
  '谢谢',
  '麻烦',
  '恳请',
  '请求帮助',
  '帮助',
];
const REPEAT_MENTION = /第[二三四五六七八九十0-9]+次/g;
const CJK_RUN = /[\u3400-\u9fff]+/g;
const LATIN_TOKEN = /[a-z0-9]{2,}/g;

/** The request's text without the hotline's boilerplate (each phrase becomes a break between runs). */
export function stripBoilerplate(text: string): string {
  let out = text.replace(REPEAT_MENTION, ' ');
  for (const phrase of BOILERPLATE) out = out.split(phrase).join(' ');
  return out;
}

/** Character bigrams of every CJK run (a lone character counts as itself) and Latin/number tokens (K5, 110), with counts. */
export function bigramCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (term: string): void => {
    counts.set(term, (counts.get(term) ?? 0) + 1);
  };
  for (const run of text.match(CJK_RUN) ?? []) {
    if (run.length === 1) add(run);
    for (let i = 0; i + 1 < run.length; i++) add(run.slice(i, i + 2));
  }
  for (const token of text.toLowerCase().match(LATIN_TOKEN) ?? []) add(token);
  return counts;
}

export function sumOfSquares(v: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const count of v.values()) sum += count * count;
  return sum;
}

/** Jaccard similarity of two sets (0 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared / (a.size + b.size - shared);
}

/** The share of `part`'s terms found in `whole` (0 when `part` is empty). */
export function containment(part: ReadonlySet<string>, whole: ReadonlySet<string>): number {
  if (part.size === 0) return 0;
  let found = 0;
  for (const term of part) if (whole.has(term)) found++;
  return found / part.size;
}

/** How much a term says: its inverse document frequency among the orders seen (rare terms weigh more). */
export interface TermWeights {
  weight(term: string): number;
}

/**
 * Term weights that do not change while they are used — orders compared with their candidates — each read from the
 * source once, when first needed, with each vector's weighted norm (over all its terms) computed once: the new order's
 * is needed for every candidate, a stored order's for every new order it is compared with.
 */
export class FixedTermWeights implements TermWeights {
  private readonly known = new Map<string, number>();
  private readonly squares = new WeakMap<ReadonlyMap<string, number>, number>();

  /** A term's weight is `source`'s when first asked for, and stays (`source` may move on meanwhile). */
  constructor(private readonly source: TermWeights) {}

  weight(term: string): number {
    let w = this.known.get(term);
    if (w === undefined) {
      w = this.source.weight(term);
      this.known.set(term, w);
    }
    return w;
  }

  /** Σ (count × weight)² over the vector's terms, computed once per vector. */
  weightedSquares(vector: ReadonlyMap<string, number>): number {
    let sum = this.squares.get(vector);
    if (sum === undefined) {
      sum = sumOfWeightedSquares(vector, this);
      this.squares.set(vector, sum);
    }
    return sum;
  }
}

/** Σ (count × weight)² over the vector's terms (FixedTermWeights keeps each vector's). */
export function weightedSquares(vector: ReadonlyMap<string, number>, weights: TermWeights): number {
  return weights instanceof FixedTermWeights ? weights.weightedSquares(vector) : sumOfWeightedSquares(vector, weights);
}

function sumOfWeightedSquares(vector: ReadonlyMap<string, number>, weights: TermWeights): number {
  let sum = 0;
  for (const [term, count] of vector) sum += (count * weights.weight(term)) ** 2;
  return sum;
}

/**
 * Document frequencies of terms over the orders seen, bounded: at most `capacity` terms are kept (the rarest are
 * dropped first when full — a term seen once says as much as one never seen). Memory does not grow with the number
 * of stored orders.
 */
export class DocumentFrequencies implements TermWeights {
  private readonly counts = new Map<string, number>();
  private documents = 0;

  constructor(private readonly capacity = 200_000) {}

  /** Documents counted. */
  get size(): number {
    return this.documents;
  }

  /** Terms held. */
  get termCount(): number {
    return this.counts.size;
  }

  add(terms: Iterable<string>): void {
    this.documents++;
    for (const term of terms) this.counts.set(term, (this.counts.get(term) ?? 0) + 1);
    if (this.counts.size > this.capacity) {
      for (const [term, count] of this.counts) {
        if (count <= 1) this.counts.delete(term);
        if (this.counts.size <= this.capacity * 0.9) break;
      }
    }
  }

  weight(term: string): number {
    return Math.log((this.documents + 1) / ((this.counts.get(term) ?? 0) + 1)) + 1;
  }
}
