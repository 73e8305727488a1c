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

/**
 * Terms as small integers. A profile keeps its terms as ascending ids, so that two orders are compared by merging
 * sorted arrays of numbers instead of looking every term of one up in the other's map: the comparison runs for every
 * candidate of every order, and the lookups were most of its time. Grows with the terms seen; its owner bounds it
 * (RepeatDetector starts a new one past MAX_DICTIONARY_TERMS and makes the profiles it keeps again when next compared).
 */
export class TermDictionary {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];

  /** Terms held. */
  get size(): number {
    return this.terms.length;
  }

  idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
    }
    return id;
  }

  termOf(id: number): string {
    return this.terms[id];
  }

  /** The terms' ids, ascending, each once. */
  idsOf(terms: Iterable<string>): Int32Array {
    const ids = new Set<number>();
    for (const term of terms) ids.add(this.idOf(term));
    return Int32Array.from(ids).sort();
  }
}

/**
 * An order's words as compared: term ids ascending, each with its count, and per term whether it is one of the
 * order's place names (isPlace) and one of the words of its category's upper levels (isArea).
 */
export interface TermVector {
  readonly ids: Int32Array;
  readonly counts: Float64Array;
  readonly isPlace: Uint8Array;
  readonly isArea: Uint8Array;
}

/** How many ids two ascending lists of distinct ids share. */
export function sharedCount(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x < y) i++;
    else if (x > y) j++;
    else {
      shared++;
      i++;
      j++;
    }
  }
  return shared;
}

/** Jaccard similarity of two sets of term ids (ascending; 0 when both are empty). */
export function jaccard(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 && b.length === 0) return 0;
  const shared = sharedCount(a, b);
  return shared / (a.length + b.length - shared);
}

/** The share of `part`'s term ids found in `whole` (both ascending; 0 when `part` is empty). */
export function containment(part: Int32Array, whole: Int32Array): number {
  if (part.length === 0) return 0;
  return sharedCount(part, whole) / part.length;
}

/** How much a term says: its inverse document frequency among the orders seen (rare terms weigh more). */
export interface TermWeights {
  weight(term: string): number;
}

/** Σ (count × weight)² of a vector: over all its terms, and over those that are not place names (the topic's). */
export interface WeightedSquares {
  text: number;
  topic: number;
}

/**
 * Term weights that do not change while they are used — orders compared with their candidates — each read from the
 * source once, when first needed, by term id (a dictionary's), with each vector's weighted norms computed once: the
 * new order's are needed for every candidate, a stored order's for every new order it is compared with.
 */
export class FixedTermWeights {
  /** By term id; NaN: not read from the source yet. */
  private byId = new Float64Array(0);
  private readonly squares = new WeakMap<TermVector, WeightedSquares>();

  /** A term's weight is `source`'s when first asked for, and stays (`source` may move on meanwhile). */
  constructor(
    private readonly source: TermWeights,
    readonly dictionary: TermDictionary,
  ) {}

  weightOf(id: number): number {
    if (id >= this.byId.length) {
      const grown = new Float64Array(Math.max(id + 1, this.dictionary.size, this.byId.length * 2)).fill(Number.NaN);
      grown.set(this.byId);
      this.byId = grown;
    }
    let w = this.byId[id];
    if (Number.isNaN(w)) {
      w = this.source.weight(this.dictionary.termOf(id));
      this.byId[id] = w;
    }
    return w;
  }

  /** Σ (count × weight)² over the vector's terms and over its topic's (no place names), computed once per vector. */
  weightedSquares(vector: TermVector): WeightedSquares {
    let sums = this.squares.get(vector);
    if (sums === undefined) {
      sums = { text: 0, topic: 0 };
      for (let i = 0; i < vector.ids.length; i++) {
        const square = (vector.counts[i] * this.weightOf(vector.ids[i])) ** 2;
        sums.text += square;
        if (!vector.isPlace[i]) sums.topic += square;
      }
      this.squares.set(vector, sums);
    }
    return sums;
  }
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
