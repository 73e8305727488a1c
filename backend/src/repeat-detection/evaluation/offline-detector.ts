import { DocumentFrequencies, FixedTermWeights, TermDictionary } from '../matter-text';
import { computeFeatures, profileOf, type MatterFacts, type MatterFeatures } from '../matter-features';
import { matterKeys } from '../matter-keys';
import { chooseMatter, eligibleForMatter } from '../matter-assignment';
import { pairVector, sameMatterProbability, type ComparedOrder, type PairVector, type SimilarityWeights } from '../similarity-model';
import { pairKey } from './pair-scores';
import type { DatasetOrder } from './repeat-dataset';
import { MAX_COMPARED } from '../repeat-detector';

const DAY_MS = 24 * 60 * 60 * 1000;
/** As RepeatDetector reads them from matter_keys. */
const ROWS_PER_KEY = 40;

export interface PreparedOrder {
  order: DatasetOrder;
  compared: ComparedOrder;
  keys: string[];
}

/**
 * The detector's work without a database, for training and quick measurement: the same features, keys and scoring
 * as RepeatDetector, with the keys held in memory. Units and categories get ids from their names.
 */
export function prepare(orders: readonly DatasetOrder[]): PreparedOrder[] {
  const dictionary = new TermDictionary();
  const ids = new Map<string, number>();
  const idOf = (name: string) => {
    let id = ids.get(name);
    if (id === undefined) ids.set(name, (id = ids.size + 1));
    return id;
  };
  return orders.map((order) => {
    const categoryPath = order.category.map((_, level) => idOf(`category:${order.category.slice(0, level + 1).join('/')}`));
    const features: MatterFeatures = computeFeatures({ title: order.content, content: order.content, address: order.address }, { unitNames: [order.district, order.street], categoryPath, categoryNames: order.category });
    const facts: MatterFacts = {
      citizenPhone: order.citizenPhone,
      districtUnitId: idOf(`district:${order.district}`),
      streetUnitId: idOf(`street:${order.district}/${order.street}`),
      requestType: order.requestType,
      createdAt: order.createdAt,
    };
    return { order, compared: { facts, profile: profileOf(features, dictionary) }, keys: matterKeys(facts, features) };
  });
}

export interface Windows {
  repeatWindowDays: number;
  hotspotWindowDays: number;
}

/** For each order, the earlier orders its keys lead to within the windows (as the database query would answer). */
export function candidatePairs(prepared: readonly PreparedOrder[], windows: Windows): { later: number; earlier: number; vector: PairVector }[][] {
  const byKey = new Map<string, number[]>();
  const frequencies = new DocumentFrequencies();
  const result: { later: number; earlier: number; vector: PairVector }[][] = [];
  prepared.forEach((current, index) => {
    const at = current.order.createdAt.getTime();
    const since = at - Math.max(windows.repeatWindowDays, windows.hotspotWindowDays) * DAY_MS;
    const hits = new Map<number, number>();
    for (const key of current.keys) {
      const rows = byKey.get(key) ?? [];
      let taken = 0;
      for (let i = rows.length - 1; i >= 0 && taken < ROWS_PER_KEY; i--) {
        if (prepared[rows[i]].order.createdAt.getTime() < since) break;
        hits.set(rows[i], (hits.get(rows[i]) ?? 0) + 1);
        taken++;
      }
    }
    const chosen = [...hits.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0]).slice(0, MAX_COMPARED);
    const pairs: { later: number; earlier: number; vector: PairVector }[] = [];
    // The frequencies as they are before this order (they change only after its comparisons).
    const weights = new FixedTermWeights(frequencies, current.compared.profile.dictionary);
    for (const [earlier] of chosen) {
      const other = prepared[earlier];
      const sameCaller = other.order.citizenPhone === current.order.citizenPhone;
      const days = (at - other.order.createdAt.getTime()) / DAY_MS;
      if (days > (sameCaller ? windows.repeatWindowDays : windows.hotspotWindowDays)) continue;
      pairs.push({ later: index, earlier, vector: pairVector(current.compared, other.compared, weights) });
    }
    result.push(pairs);
    frequencies.add(current.compared.profile.source.text.map(([term]) => term));
    for (const key of current.keys) {
      const rows = byKey.get(key) ?? [];
      rows.push(index);
      byKey.set(key, rows);
    }
  });
  return result;
}

/** The pairs the detector proposes: each order joins the matter of its best candidate at or above the thresholds. */
export function proposedPairs(
  prepared: readonly PreparedOrder[],
  candidates: readonly { later: number; earlier: number; vector: PairVector }[][],
  weights: SimilarityWeights,
): { repeats: Set<string>; hotspots: Set<string> } {
  const matterOf: number[] = [];
  const members = new Map<number, number[]>();
  const repeats = new Set<string>();
  const hotspots = new Set<string>();
  prepared.forEach((current, index) => {
    const evidence = candidates[index].map((pair) => ({
      matterId: matterOf[pair.earlier],
      score: sameMatterProbability(pair.vector, weights),
      sameCaller: pair.vector.sameCaller === 1,
      eligible: eligibleForMatter(pair.vector),
    }));
    const matter = chooseMatter(evidence, weights) ?? index;
    matterOf[index] = matter;
    const list = members.get(matter) ?? [];
    for (const member of list) {
      const other = prepared[member].order;
      (other.citizenPhone === current.order.citizenPhone ? repeats : hotspots).add(pairKey(other.id, current.order.id));
    }
    list.push(index);
    members.set(matter, list);
  });
  return { repeats, hotspots };
}
