import { houseNumbers, placeBigrams, siteNames, type HouseNumbers } from './address-normaliser';
import { bigramCounts, stripBoilerplate, sumOfSquares } from './matter-text';

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

/** The features in the form the scorer uses (sets and maps), computed once per order. */
export interface MatterProfile {
  text: Map<string, number>;
  /** The text's bigrams that are not place bigrams: what the request is about, wherever it is. */
  topic: Map<string, number>;
  /** Σ count² of text and of topic (their cosines' norms, computed once). */
  textSquares: number;
  topicSquares: number;
  place: Set<string>;
  /** Every bigram of the text and the address: where to look for the other order's place names. */
  everything: Set<string>;
  numbers: HouseNumbers;
  categoryPath: number[];
  categoryTerms: Set<string>;
  categoryAreaTerms: Set<string>;
  site: Set<string>;
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

export function profileOf(features: MatterFeatures): MatterProfile {
  const text = new Map(features.text);
  const place = new Set(features.place);
  const topic = new Map([...text].filter(([term]) => !place.has(term)));
  return {
    text,
    topic,
    textSquares: sumOfSquares(text),
    topicSquares: sumOfSquares(topic),
    place,
    everything: new Set([...text.keys(), ...place]),
    numbers: features.numbers,
    categoryPath: features.categoryPath,
    categoryTerms: new Set(features.categoryTerms),
    categoryAreaTerms: new Set(features.categoryAreaTerms),
    site: new Set(features.site),
  };
}
