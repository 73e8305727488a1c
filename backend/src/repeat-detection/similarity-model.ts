import type { CandidateReason } from './repeat-candidate';
import { containment, jaccard, type FixedTermWeights, type TermVector } from './matter-text';
import type { MatterFacts, MatterProfile } from './matter-features';
import { SIMILARITY_WEIGHTS } from './model/similarity-weights';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The comparison of two orders, as numbers the model weighs. Each says one thing a person comparing the two records
 * would look at: how alike the words are (all of them, and without the place names), whether one names the other's
 * place, whether their house numbers agree or contradict, street and category, how far apart in time, a consultation
 * beside a complaint, the same caller.
 */
export const PAIR_FEATURES = [
  'textCosine',
  'topicCosine',
  'placeJaccard',
  'placeFoundMax',
  'placeFoundMin',
  'numbersConflict',
  'numbersMatch',
  'sameStreet',
  'sameCategory',
  'sameCategoryGroup',
  'sameCategoryArea',
  'monthsApart',
  'consultationBesideOther',
  'sameCaller',
  'topicTimesPlace',
  'textWeightedCosine',
  'topicWeightedCosine',
  'weightedTopicTimesPlace',
  'sameCategoryAtPlace',
  'relatedCategoryAtPlace',
  'textAtPlace',
  'consultationAtPlace',
  'categoryNamesAlike',
  'categoryNamedInText',
  'categoryNamesAtPlace',
  'sitesDiffer',
  'noSharedTopic',
  'otherProblemAtPlace',
] as const;
export type PairFeature = (typeof PAIR_FEATURES)[number];
export type PairVector = Record<PairFeature, number>;

export interface SimilarityWeights {
  /** Per feature: the mean and standard deviation it is scaled by, and its weight. */
  features: Record<PairFeature, { mean: number; scale: number; weight: number }>;
  bias: number;
  /** Probability at or above which two orders are the same matter: same caller (repeat), other callers (hotspot). */
  repeatThreshold: number;
  hotspotThreshold: number;
  /** Candidates below the thresholds but at or above this are shown to the agent as "similar". */
  similarFloor: number;
  trainedOn: string;
}

export interface ComparedOrder {
  facts: MatterFacts;
  profile: MatterProfile;
}

export function pairVector(a: ComparedOrder, b: ComparedOrder, termWeights: FixedTermWeights): PairVector {
  const placeInB = containment(a.profile.place, b.profile.everything);
  const placeInA = containment(b.profile.place, a.profile.everything);
  let conflict = 0;
  let match = 0;
  for (const unit of Object.keys(a.profile.numbers)) {
    const other = b.profile.numbers[unit];
    if (!other) continue;
    if (a.profile.numbers[unit].some((n) => other.includes(n))) match = 1;
    else conflict = 1;
  }
  const pathA = a.profile.categoryPath;
  const pathB = b.profile.categoryPath;
  const sharedLevels = pathA.findIndex((id, level) => pathB[level] !== id);
  const shared = sharedLevels === -1 ? Math.min(pathA.length, pathB.length) : sharedLevels;
  const words = wordCosines(a.profile, b.profile, termWeights);
  const topicCosine = words.topic;
  const topicWeightedCosine = words.topicWeighted;
  const isConsultation = (facts: MatterFacts) => facts.requestType === 'consultation';
  const vector: PairVector = {
    textCosine: words.text,
    topicCosine,
    placeJaccard: jaccard(a.profile.place, b.profile.place),
    placeFoundMax: Math.max(placeInA, placeInB),
    placeFoundMin: Math.min(placeInA, placeInB),
    numbersConflict: conflict,
    numbersMatch: match,
    sameStreet: a.facts.streetUnitId !== null && a.facts.streetUnitId === b.facts.streetUnitId ? 1 : 0,
    sameCategory: shared >= Math.max(pathA.length, pathB.length) ? 1 : 0,
    sameCategoryGroup: shared >= 2 ? 1 : 0,
    sameCategoryArea: shared >= 1 ? 1 : 0,
    monthsApart: Math.abs(a.facts.createdAt.getTime() - b.facts.createdAt.getTime()) / (30 * DAY_MS),
    consultationBesideOther: isConsultation(a.facts) !== isConsultation(b.facts) ? 1 : 0,
    sameCaller: a.facts.citizenPhone !== null && a.facts.citizenPhone === b.facts.citizenPhone ? 1 : 0,
    topicTimesPlace: topicCosine * Math.max(placeInA, placeInB),
    textWeightedCosine: words.textWeighted,
    topicWeightedCosine,
    weightedTopicTimesPlace: topicWeightedCosine * Math.max(placeInA, placeInB),
    sameCategoryAtPlace: 0,
    relatedCategoryAtPlace: 0,
    textAtPlace: 0,
    consultationAtPlace: 0,
    categoryNamesAlike: jaccard(a.profile.categoryTerms, b.profile.categoryTerms),
    categoryNamedInText: Math.max(containment(a.profile.categoryTerms, b.profile.everything), containment(b.profile.categoryTerms, a.profile.everything)),
    categoryNamesAtPlace: 0,
    // Both addresses name a site (a compound, a market) and neither's site appears anywhere in the other order.
    // Not one word of the problem in common once place names are set aside: what two problems of one compound look like.
    noSharedTopic: topicWeightedCosine < 0.02 ? 1 : 0,
    otherProblemAtPlace: 0,
    sitesDiffer:
      a.profile.site.length > 0 && b.profile.site.length > 0 && containment(a.profile.site, b.profile.everything) === 0 && containment(b.profile.site, a.profile.everything) === 0 ? 1 : 0,
  };
  // What a reader weighs together: the same kind of problem at the same place, alike words at the same place.
  const place = vector.placeFoundMax;
  vector.sameCategoryAtPlace = vector.sameCategory * place;
  vector.relatedCategoryAtPlace = vector.sameCategoryGroup * place;
  vector.textAtPlace = vector.textWeightedCosine * place;
  vector.consultationAtPlace = vector.consultationBesideOther * place;
  // One place, another category and not a word of the problem shared: a compound's other problem.
  vector.otherProblemAtPlace = place * vector.noSharedTopic * (1 - vector.sameCategory);
  vector.categoryNamesAtPlace = Math.max(vector.categoryNamesAlike, vector.categoryNamedInText) * place;
  return vector;
}

/**
 * The four cosines of two orders' words, in one merge of their ascending term ids: of all their words (textCosine)
 * and of the problem's own words (topicCosine: without either order's place names), each also with the words
 * weighted by how rare they are (tf × weight); the weighted one of the problem's words also leaves out the words of
 * either category's upper levels (物业, 管理 …), which two problems of one area share and which the category features
 * already weigh. Each is Σ a·b·w² over the words both have / √(Σ (a·w)² · Σ (b·w)²) (w = 1 for the plain ones;
 * similarity-model.spec checks the pass against that definition), 0 when the orders share no word; one pass instead
 * of four, since this runs for every candidate of every order. Both profiles must be of the weights' dictionary.
 */
export function wordCosines(a: MatterProfile, b: MatterProfile, weights: FixedTermWeights): { text: number; topic: number; textWeighted: number; topicWeighted: number } {
  const x = a.text;
  const y = b.text;
  let textDot = 0;
  let topicDot = 0;
  let textWeightedDot = 0;
  let topicWeightedDot = 0;
  let i = 0;
  let j = 0;
  while (i < x.ids.length && j < y.ids.length) {
    const termA = x.ids[i];
    const termB = y.ids[j];
    if (termA < termB) i++;
    else if (termA > termB) j++;
    else {
      const product = x.counts[i] * y.counts[j];
      const w = weights.weightOf(termA);
      const weighted = product * w * w;
      textDot += product;
      textWeightedDot += weighted;
      // A topic word of both: a place name of neither; weighted, a word of neither category's upper levels.
      if (!x.isPlace[i] && !y.isPlace[j]) {
        topicDot += product;
        if (!x.isArea[i] && !y.isArea[j]) topicWeightedDot += weighted;
      }
      i++;
      j++;
    }
  }
  if (textDot === 0) return { text: 0, topic: 0, textWeighted: 0, topicWeighted: 0 };
  const squaresA = weights.weightedSquares(x);
  const squaresB = weights.weightedSquares(y);
  const text = textDot / Math.sqrt(a.textSquares * b.textSquares);
  const textWeighted = textWeightedDot / Math.sqrt(squaresA.text * squaresB.text);
  const topic = topicDot === 0 ? 0 : topicDot / Math.sqrt(a.topicSquares * b.topicSquares);
  if (topicWeightedDot === 0) return { text, topic, textWeighted, topicWeighted: 0 };
  const normA = squaresA.topic - areaSquares(x, a.categoryAreaTerms, b.categoryAreaTerms, weights);
  const normB = squaresB.topic - areaSquares(y, a.categoryAreaTerms, b.categoryAreaTerms, weights);
  return { text, topic, textWeighted, topicWeighted: normA <= 0 || normB <= 0 ? 0 : topicWeightedDot / Math.sqrt(normA * normB) };
}

/** What the topic words (not place names) of either area set (each word once) add to the vector's Σ (count × weight)². */
function areaSquares(vector: TermVector, first: Int32Array, second: Int32Array, weights: FixedTermWeights): number {
  let sum = 0;
  const add = (term: number) => {
    const at = indexOf(vector.ids, term);
    if (at >= 0 && !vector.isPlace[at]) sum += (vector.counts[at] * weights.weightOf(term)) ** 2;
  };
  for (const term of first) add(term);
  for (const term of second) if (indexOf(first, term) < 0) add(term);
  return sum;
}

/** Where `id` is in the ascending list (binary search), or −1. */
function indexOf(ids: Int32Array, id: number): number {
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const found = ids[middle];
    if (found === id) return middle;
    if (found < id) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** The probability that the two orders are about the same matter (logistic regression over the pair's features). */
export function sameMatterProbability(vector: PairVector, weights: SimilarityWeights = SIMILARITY_WEIGHTS): number {
  let z = weights.bias;
  for (const name of PAIR_FEATURES) {
    const { mean, scale, weight } = weights.features[name];
    z += ((vector[name] - mean) / scale) * weight;
  }
  return 1 / (1 + Math.exp(-z));
}

/**
 * One matter is one problem at one place: two orders whose addresses and words share no place name are not one
 * matter however alike the problem (the same broken lamp wording on two roads). Below this share of one order's
 * place names found in the other, a pair is at most "similar" (matter-assignment.ts).
 */
export const MIN_PLACE_AGREEMENT = 0.3;

/** Why the pair looks alike, strongest signals first (the console translates the codes; reasonText is the Chinese). */
export function reasonsFor(vector: PairVector, daysApart: number): CandidateReason[] {
  const reasons: CandidateReason[] = [];
  if (vector.sameCaller) reasons.push({ code: 'same_caller' });
  if (vector.textCosine >= 0.2) reasons.push({ code: 'text_similar', value: Math.round(vector.textCosine * 100) / 100 });
  if (vector.placeJaccard >= 0.5 || vector.numbersMatch) reasons.push({ code: 'same_address' });
  else if (vector.placeFoundMax >= 0.6) reasons.push({ code: 'same_place' });
  else if (vector.sameStreet) reasons.push({ code: 'same_street' });
  if (vector.sameCategory) reasons.push({ code: 'same_category' });
  else if (vector.sameCategoryGroup) reasons.push({ code: 'related_category' });
  reasons.push({ code: 'days_ago', value: Math.max(0, Math.round(daysApart)) });
  return reasons;
}

const REASON_TEXT: Record<CandidateReason['code'], (value?: number) => string> = {
  same_caller: () => '同一来电人',
  text_similar: (value) => `内容相似 ${(value ?? 0).toFixed(2)}`,
  same_address: () => '同一地址',
  same_place: () => '同一地点',
  same_street: () => '同一街道',
  same_category: () => '同一分类',
  related_category: () => '相近分类',
  days_ago: (value) => (value === 0 ? '当天' : `${value ?? 0} 天前`),
};

export function reasonText(reasons: readonly CandidateReason[]): string {
  return reasons.map((reason) => REASON_TEXT[reason.code](reason.value)).join(' · ');
}
