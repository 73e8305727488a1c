import { houseNumbers, placeBigrams, siteNames, type HouseNumbers } from './address-normaliser';
import { bigramCounts, stripBoilerplate, type TermDictionary, type TermVector } from './matter-text';

/** Bump when the stored features change shape or meaning (a stored fingerprint of another version is recomputed or skipped). */
export const FEATURES_VERSION = 5;

/** What the detector keeps of one order to compare it with later ones (stored as JSON in matter_fingerprints.features). */
export interface MatterFeatures {
  v: number;
  /** Character bigrams of title + content without boilerplate, with counts. */
  text: [string, number][];
  /** Bigrams of the address's place names. */
  place: string[];
  /** House, building, unit and room numbers in the address and text. */
  numbers: HouseNumbers;
  /** The category's path of ids, top level first (neighbouring categories share a prefix). */
  categoryPath: number[];
  /**
   * Bigrams of the names of the category and its parent (路灯, 电梯故障 …): categories of two trees that name the same
   * thing (城乡建设/市政设施/路灯 and 城市管理/城市照明/路灯; 物业管理/电梯故障 and 特种设备/电梯安全) count as neighbours.
   */
  categoryTerms: string[];
  /** Bigrams of the names of the category's upper levels (住房保障, 物业管理): words every order of the area shares. */
  categoryAreaTerms: string[];
  /** Bigrams of the sites the address names besides roads (a compound, a market): see siteNames. */
  site: string[];
}

/**
 * The features in the form the scorer uses, computed once per order: every set of terms as ascending ids of one
 * dictionary (similarity-model.ts merges them), the text with its counts.
 */
export interface MatterProfile {
  /** The features it was made from (made again from them when the detector starts a new dictionary). */
  readonly source: MatterFeatures;
  readonly dictionary: TermDictionary;
  /** The text's bigrams, each marked when it is a place bigram (the rest is the topic: what the request is about). */
  readonly text: TermVector;
  /** Σ count² of the text and of its topic (their cosines' norms, computed once). */
  readonly textSquares: number;
  readonly topicSquares: number;
  readonly place: Int32Array;
  /** Every bigram of the text and the address: where to look for the other order's place names. */
  readonly everything: Int32Array;
  readonly numbers: HouseNumbers;
  readonly categoryPath: number[];
  readonly categoryTerms: Int32Array;
  readonly categoryAreaTerms: Int32Array;
  readonly site: Int32Array;
}

/** The facts of an order the scorer compares besides its features. */
export interface MatterFacts {
  citizenPhone: string | null;
  districtUnitId: number | null;
  streetUnitId: number | null;
  /** A request type (consultation, complaint …); stored fingerprints keep it as text. */
  requestType: string;
  createdAt: Date;
}

export function computeFeatures(
  order: { title: string; content: string; address: string },
  context: { unitNames: readonly string[]; categoryPath: number[]; categoryNames: readonly string[] },
): MatterFeatures {
  // The title is often the content's first words (then it is not counted twice) or a summary of it (then both count).
  const title = order.title.trim();
  const words = order.content.includes(title) ? order.content : `${title}。${order.content}`;
  const text = bigramCounts(stripBoilerplate(words));
  return {
    v: FEATURES_VERSION,
    text: [...text.entries()],
    place: [...placeBigrams(order.address, context.unitNames)],
    numbers: houseNumbers(`${order.address} ${order.content}`),
    categoryPath: context.categoryPath,
    categoryTerms: [...new Set(context.categoryNames.slice(-2).flatMap((name) => [...bigramCounts(name).keys()]))],
    categoryAreaTerms: [...new Set(context.categoryNames.slice(0, -1).flatMap((name) => [...bigramCounts(name).keys()]))],
    site: [...new Set(siteNames(order.address, context.unitNames).flatMap((name) => [...bigramCounts(name).keys()]))],
  };
}

export function profileOf(features: MatterFeatures, dictionary: TermDictionary): MatterProfile {
  const place = new Set(features.place);
  const area = new Set(features.categoryAreaTerms);
  const terms = features.text.map(([term, count]) => ({ id: dictionary.idOf(term), count, isPlace: place.has(term), isArea: area.has(term) })).sort((x, y) => x.id - y.id);
  const text: TermVector = {
    ids: Int32Array.from(terms, (term) => term.id),
    counts: Float64Array.from(terms, (term) => term.count),
    isPlace: Uint8Array.from(terms, (term) => (term.isPlace ? 1 : 0)),
    isArea: Uint8Array.from(terms, (term) => (term.isArea ? 1 : 0)),
  };
  const placeIds = dictionary.idsOf(place);
  let textSquares = 0;
  let topicSquares = 0;
  for (const { count, isPlace } of terms) {
    textSquares += count * count;
    if (!isPlace) topicSquares += count * count;
  }
  return {
    source: features,
    dictionary,
    text,
    textSquares,
    topicSquares,
    place: placeIds,
    // From the ids in hand, the text's and the place names' (each term looked up once).
    everything: Int32Array.from(new Set([...text.ids, ...placeIds])).sort(),
    numbers: features.numbers,
    categoryPath: features.categoryPath,
    categoryTerms: dictionary.idsOf(features.categoryTerms),
    categoryAreaTerms: dictionary.idsOf(features.categoryAreaTerms),
    site: dictionary.idsOf(features.site),
  };
}
