import type { MatterFeatures } from '../matter-features';
import { matterKeys } from '../matter-keys';
import type { MatterInput } from '../repeat-candidate';
// A benchmark's helper: the lists benchmark's generator is reused, not copied.
import { type GeneratedFacts, int, quote, type RowSink, time } from '../../work-orders/bench/order-generator';

/** Where the load writes the index keys: an append-only table copied into matter_keys in one pass after the load. */
export const KEYS_LOAD_TABLE = 'bench_matter_keys_load';
const ROWS_PER_STATEMENT = 2_000;

/** The detector's view of a generated order, as registration builds it (work-orders.service.ts). */
export function matterInputOf(facts: GeneratedFacts): MatterInput {
  return {
    title: facts.title.trim(),
    content: facts.content,
    address: facts.address.trim(),
    citizenPhone: facts.phone,
    districtUnitId: facts.place.district.id,
    streetUnitId: facts.place.street.id,
    categoryId: facts.category.id,
    requestType: facts.requestType,
    createdAt: new Date(facts.createdAt),
  };
}

/**
 * Writes, for every loaded order, what RepeatDetector.record writes: its fingerprint (matter_fingerprints, the matter
 * from the generator's truth) and its index keys — from the detector's own features (RepeatDetector.featuresOf, which
 * reads unit and category names from the application's caches; the model is still being tuned, so nothing of it is
 * copied here) and matterKeys. The keys go to
 * KEYS_LOAD_TABLE: inserting 25 rows per order in random key order into matter_keys' clustered index would be
 * the slowest part of the load by far.
 */
export class MatterIndexSink implements RowSink {
  private fingerprints: string[] = [];
  private keys: string[] = [];
  /** Keys written in all, for the log. */
  keyCount = 0;

  constructor(private readonly featuresOf: (input: MatterInput) => Promise<MatterFeatures>) {}

  async add(facts: GeneratedFacts): Promise<void> {
    const input = matterInputOf(facts);
    const features = await this.featuresOf(input);
    const at = time(facts.createdAt);
    this.fingerprints.push(
      [int(facts.id), int(facts.matterId), at, quote(facts.phone), int(input.districtUnitId), int(input.streetUnitId), int(input.categoryId), quote(input.requestType), quote(JSON.stringify(features))].join(','),
    );
    for (const key of matterKeys(input, features)) this.keys.push(`${quote(key)},${facts.id},${at}`);
  }

  statements(): string[] {
    const statements: string[] = [];
    for (let i = 0; i < this.fingerprints.length; i += ROWS_PER_STATEMENT) {
      statements.push(
        `INSERT INTO matter_fingerprints (workOrderId, matterId, createdAt, citizenPhone, districtUnitId, streetUnitId, categoryId, requestType, features) VALUES (${this.fingerprints.slice(i, i + ROWS_PER_STATEMENT).join('),(')})`,
      );
    }
    const keysPerStatement = ROWS_PER_STATEMENT * 10;
    for (let i = 0; i < this.keys.length; i += keysPerStatement) {
      statements.push(`INSERT INTO ${KEYS_LOAD_TABLE} (\`key\`, workOrderId, createdAt) VALUES (${this.keys.slice(i, i + keysPerStatement).join('),(')})`);
    }
    this.keyCount += this.keys.length;
    this.fingerprints = [];
    this.keys = [];
    return statements;
  }
}
