import { createHash } from 'node:crypto';
import type { MatterFacts, MatterFeatures } from './matter-features';

/** MinHash permutations of the text's bigram set; each permutation's minimum is one key (a band of one row). */
const TEXT_PERMUTATIONS = 16;
/** At most this many place bigrams become keys (the address's first place names: the most specific ones come first rarely, so all short addresses fit). */
const MAX_PLACE_KEYS = 12;

function hash32(text: string, seed: number): number {
  // FNV-1a with a seed: fast, stable across processes and engines.
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function short(text: string): string {
  return createHash('sha1').update(text).digest('base64url').slice(0, 12);
}

/**
 * The index keys of an order (matter_keys): its caller; each place bigram within its street (or district); and a
 * MinHash of its text's bigrams within its district — two texts share a permutation's minimum with a probability
 * equal to their Jaccard similarity, so alike texts share some key whatever their size. Keys are short and opaque.
 */
export function matterKeys(facts: Pick<MatterFacts, 'citizenPhone' | 'districtUnitId' | 'streetUnitId'>, features: MatterFeatures): string[] {
  const keys: string[] = [];
  if (facts.citizenPhone) keys.push(callerKey(facts.citizenPhone));
  const area = facts.streetUnitId ?? facts.districtUnitId ?? 0;
  for (const bigram of features.place.slice(0, MAX_PLACE_KEYS)) keys.push(`p:${area}:${short(bigram)}`);
  const terms = features.text.map(([term]) => term);
  if (terms.length > 0) {
    const district = facts.districtUnitId ?? 0;
    for (let permutation = 0; permutation < TEXT_PERMUTATIONS; permutation++) {
      let min = Number.MAX_SAFE_INTEGER;
      let argmin = '';
      for (const term of terms) {
        const h = hash32(term, permutation * 0x9e3779b1);
        if (h < min) {
          min = h;
          argmin = term;
        }
      }
      keys.push(`t:${district}:${permutation}:${short(argmin)}`);
    }
  }
  return [...new Set(keys)];
}

/** The caller's key among an order's keys: every order of one phone number has it. */
export function callerKey(citizenPhone: string): string {
  return `c:${short(citizenPhone)}`;
}
