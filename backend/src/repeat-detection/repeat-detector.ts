import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CategoriesService } from '../categories/categories.service';
import { CLUSTER_RESYNC_CHANNEL, CLUSTER_SUBSCRIBED_CHANNEL, ClusterBus } from '../cluster/cluster-bus';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { UnitsService } from '../units/units.service';
import { OPEN_STATUSES } from '../work-orders/work-order.enums';
import { MatterFingerprint } from './entities/matter-fingerprint.entity';
import { computeFeatures, FEATURES_VERSION, profileOf, type MatterFacts, type MatterFeatures, type MatterProfile } from './matter-features';
import { type CandidateFingerprint, MatterIndexRepository, type MatterMember } from './matter-index.repository';
import { callerKey, matterKeys } from './matter-keys';
import { HOTSPOT_MIN_CALLERS, type MatterInput, type RecordedMatter, type RepeatCandidate } from './repeat-candidate';
import { chooseMatter, eligibleForMatter } from './matter-assignment';
import { pairVector, sameMatterProbability, reasonsFor, reasonText, type ComparedOrder, type SimilarityWeights } from './similarity-model';
import { SIMILARITY_WEIGHTS } from './model/similarity-weights';
import { DocumentFrequencies, FixedTermWeights, TermDictionary } from './matter-text';
import { RecentRecordings } from './recent-recordings';

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * The newest orders read per index key, and the candidates compared at most (the caller's own orders first, then the
 * most keys shared). A busy matter fills every order's candidates, and comparing them is most of the detector's time:
 * 40 compared find the same matters as 80 and 200 on the dev set (eval:repeat), and in busy matters (EVAL_AMPLIFY=30)
 * the same repeats and hotspot pairs but one in a hundred (hotspots recall 0.96 → 0.95), for ≈ 29 % more
 * registrations/s under a burst (docs/benchmarks.md, two alternated pairs).
 */
const ROWS_PER_KEY = 40;
export const MAX_COMPARED = 40;
/** Work order ids are below this (INT columns): a candidate's rank packs its keys shared above it (candidatesFor). */
const ID_SPAN = 2 ** 32;
/** What an office's official name adds to the place name callers use. */
const UNIT_NAME_SUFFIX = /(人民政府|办事处|管理委员会|管委会)$/;
/** The share of documents counted by which the term weights in use may lag the frequencies (currentTermWeights). */
const TERM_WEIGHT_DRIFT = 0.01;
/** Stored orders the term weights are learned from when a process starts. */
const TERM_WEIGHT_SAMPLE = 20_000;
/** Profiles of stored orders kept for comparison (a few KB each). */
const PROFILE_CACHE_SIZE = 5_000;
/**
 * Terms the dictionary of term ids holds at most (≈ 100 bytes each) before a new one is started: a city's requests
 * bring new place names and numbers for ever. The profiles kept are made again from their features when next compared.
 */
export const MAX_DICTIONARY_TERMS = 250_000;
/** Features heard of (other processes' recordings) kept until first compared: the orders of the last seconds at a burst's rate. */
const HEARD_FEATURES_KEPT = 2_000;
/** A growing hotspot is counted whole again at every this many orders (matterSince). */
const RECOUNT_EVERY = 256;
/** More orders added since a hotspot's counts than this: it is counted whole instead (matterSince). */
const MAX_ADDED_READ = 200;

/** How long recorded orders are collected into one message to the other processes. */
const PUBLISH_EVERY_MS = 10;

/** Where each process publishes the orders it records (the others' windows of recent orders take them in). */
export const RECORDED_CHANNEL = 'repeat.recorded';

/** One recorded order as the cluster bus carries it. */
interface RecordedOrderMessage {
  workOrderId: number;
  matterId: number;
  /** ms since the epoch */
  createdAt: number;
  citizenPhone: string | null;
  districtUnitId: number | null;
  streetUnitId: number | null;
  categoryId: number;
  requestType: string;
  keys: string[];
  /**
   * Its features (what it is compared by): the other processes compare it without reading them from the database.
   * A process of an earlier version sends none (they are read when it is first compared, as then).
   */
  features?: MatterFeatures;
}

/** The orders a process recorded since its last message (one message per PUBLISH_EVERY_MS at most). */
interface RecordedMessage {
  /** The publishing detector (its own messages come back to it: skipped). */
  origin: string;
  orders: RecordedOrderMessage[];
}

function isRecordedMessage(payload: unknown): payload is { origin: string; orders: unknown[] } {
  const message = payload as Partial<RecordedMessage> | null;
  return typeof message === 'object' && message !== null && typeof message.origin === 'string' && Array.isArray(message.orders);
}

function isRecordedOrder(value: unknown): value is RecordedOrderMessage {
  const order = value as Partial<RecordedOrderMessage> | null;
  const idOrNull = (id: unknown) => id === null || Number.isSafeInteger(id);
  return (
    typeof order === 'object' &&
    order !== null &&
    Number.isSafeInteger(order.workOrderId) &&
    Number.isSafeInteger(order.matterId) &&
    Number.isFinite(order.createdAt) &&
    (order.citizenPhone === null || typeof order.citizenPhone === 'string') &&
    idOrNull(order.districtUnitId) &&
    idOrNull(order.streetUnitId) &&
    Number.isSafeInteger(order.categoryId) &&
    typeof order.requestType === 'string' &&
    Array.isArray(order.keys) &&
    order.keys.every((key) => typeof key === 'string')
  );
}

/** Features as `computeFeatures` makes them (a message's may be of another version: only the shape is checked here). */
function isMatterFeatures(value: unknown): value is MatterFeatures {
  const features = value as Partial<MatterFeatures> | null;
  const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === 'string');
  const numbers = (list: unknown) => Array.isArray(list) && list.every((item) => Number.isFinite(item));
  return (
    typeof features === 'object' &&
    features !== null &&
    Number.isSafeInteger(features.v) &&
    Array.isArray(features.text) &&
    features.text.every((entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && Number.isFinite(entry[1])) &&
    strings(features.place) &&
    typeof features.numbers === 'object' &&
    features.numbers !== null &&
    Object.values(features.numbers).every(strings) &&
    numbers(features.categoryPath) &&
    strings(features.categoryTerms) &&
    strings(features.categoryAreaTerms) &&
    strings(features.site)
  );
}

/** A candidate with what the matter assignment needs besides what the caller is shown. */
interface ScoredCandidate extends RepeatCandidate {
  sameCaller: boolean;
  createdAt: Date;
}

/** Every candidate compared, with its score and whether it may join the new order's matter (before the assignment). */
type ComparedCandidate = ScoredCandidate & { eligible: boolean };

/**
 * A lookup's candidates as shown, and every candidate it compared: handed back to `refresh`, which then compares only
 * the orders the index offers that this lookup did not.
 */
export interface CandidateLookup {
  candidates: RepeatCandidate[];
  readonly compared: readonly ComparedCandidate[];
}

/**
 * 重复件 / 多人反映: finds the earlier orders about the same matter as a new one, and remembers each order so that
 * later ones can find it. Candidates come from the index (matter_keys: caller, place names within the street, MinHash
 * of the text), never from a scan: the database's, where this process's window of the orders recorded lately
 * (RecentRecordings, fed by every process over the cluster bus) does not hold them for certain; each is scored by the similarity model
 * (similarity-model.ts, weights trained by `npm run train:repeat`) and labelled repeat (same caller) or hotspot
 * (another caller) when its probability reaches the threshold, "similar" when it is only alike.
 */
@Injectable()
export class RepeatDetector {
  /**
   * Term weights (IDF): document frequencies of the newest stored orders (read once, at the first detection) and of
   * every order this process records since. Bounded in size; each process of a cluster keeps its own estimate, which
   * differs from the others' only by the orders registered since it started.
   */
  private readonly frequencies = new DocumentFrequencies();
  /**
   * The term weights the comparisons use, and how many documents the frequencies had counted when it was taken: kept
   * until they have counted TERM_WEIGHT_DRIFT more (at least one more), so that a term's weight and a stored order's
   * weighted norms are computed once for many orders instead of once per order compared (see currentTermWeights).
   */
  private termWeights: { weights: FixedTermWeights; documents: number } | null = null;
  /**
   * What each stored order is compared by (its profile, from its features, which never change once recorded), for
   * the orders compared lately: a candidate is usually compared again with the next orders about its street, and
   * reading and parsing its features each time cost more than the comparison. Bounded (least recently used dropped).
   */
  private readonly profiles = new Map<number, MatterProfile | null>();
  /** The term ids every profile compared now is made with (a new one past `maxDictionaryTerms`). */
  private dictionary = new TermDictionary();
  /** MAX_DICTIONARY_TERMS; lowered by a test to start a new dictionary at every comparison. */
  static maxDictionaryTerms = MAX_DICTIONARY_TERMS;
  /**
   * The profile last made of a features object: an order's own features are compared at its lookup, again at the
   * screening's second look, and kept when it is recorded — one profile for the three while the dictionary stays.
   */
  private readonly profileByFeatures = new WeakMap<MatterFeatures, MatterProfile>();
  /** Features of orders other processes recorded, as their messages brought them (made profiles when first compared). */
  private readonly heardFeatures = new Map<number, MatterFeatures>();
  private warmUp: Promise<void> | null = null;
  /** The index keys of the features objects in use (keysOf), dropped with them. */
  private readonly keysByFeatures = new WeakMap<MatterFeatures, { facts: string; keys: readonly string[] }>();
  /**
   * The newest orders of each index key, recorded by any process (each publishes what it records): a lookup reads
   * from the database only what this window does not hold for certain — usually the caller's older orders — instead
   * of ≈ 30 keys × 40 index entries twice per order (at registration and in the screening). Bounded in memory.
   */
  private readonly recent = new RecentRecordings();
  /** Whether this process hears every process's recordings (with REDIS_URL: once its subscription is in place). */
  private hearsAll: boolean;
  private readonly origin = randomUUID();
  private outbox: RecordedOrderMessage[] = [];
  private readonly logger = new Logger(RepeatDetector.name);

  constructor(
    private readonly index: MatterIndexRepository,
    private readonly units: UnitsService,
    private readonly categories: CategoriesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly bus: ClusterBus,
    private readonly clock: Clock,
  ) {
    this.hearsAll = !config.redisUrl;
    bus.subscribe(RECORDED_CHANNEL, (payload) => this.heard(payload));
    // The other nodes' recordings may have been missed: the window starts again from now (older orders: the database).
    bus.subscribe(CLUSTER_RESYNC_CHANNEL, () => this.restartWindow());
    bus.subscribe(CLUSTER_SUBSCRIBED_CHANNEL, () => {
      this.hearsAll = true;
      this.restartWindow();
    });
  }

  get windows(): AppConfig['repeatDetection'] {
    return this.config.repeatDetection;
  }

  /** The order's features (text, place, numbers, category path): what is stored and compared. */
  async featuresOf(input: MatterInput): Promise<MatterFeatures> {
    const unitNames: string[] = [];
    for (const id of [input.districtUnitId, input.streetUnitId]) {
      if (id === null) continue;
      const unit = await this.units.find(id);
      // Callers say 东城区 and 朝阳街道, the unit is 东城区人民政府 / 朝阳街道办事处: both forms are set aside.
      if (unit) unitNames.push(unit.name, unit.name.replace(UNIT_NAME_SUFFIX, ''));
    }
    const categoryPath = await this.categories.idPathOf(input.categoryId);
    const categoryNames = (await this.categories.pathsOf([input.categoryId])).get(input.categoryId)?.split('/') ?? [];
    return computeFeatures(input, { unitNames, categoryPath, categoryNames });
  }

  /**
   * The orders about the same matter as `input`, best first: repeats and hotspot members above the model's
   * thresholds, then "similar" ones above its floor, at most `limit`. Looks back REPEAT_WINDOW_DAYS for the same
   * caller and HOTSPOT_WINDOW_DAYS for others (a stored order also finds later ones). Reads only.
   */
  async findCandidates(input: MatterInput, options: { limit?: number; manager?: EntityManager; features?: MatterFeatures } = {}): Promise<RepeatCandidate[]> {
    return (await this.lookUp(input, options)).candidates;
  }

  /** findCandidates, keeping what was compared for a later `refresh`. */
  async lookUp(input: MatterInput, options: { limit?: number; manager?: EntityManager; features?: MatterFeatures } = {}): Promise<CandidateLookup> {
    const compared = await this.score(input, options.features ?? (await this.featuresOf(input)), options.manager, []);
    return { candidates: shown(classify(compared, SIMILARITY_WEIGHTS), options.limit), compared };
  }

  /**
   * The same order's candidates again a moment later (orders registered since may be among them): the index is read
   * again, but only the orders the earlier lookup did not compare are compared now; the earlier ones keep their
   * scores (of what they are scored on, only the term weights moved meanwhile, by the few orders recorded since). The
   * candidates are those findCandidates would compare, and the earlier ones that dropped out of its limit.
   * `registeredSince`: only orders registered since then are read from the index (a few rows per key instead of the
   * whole window's): the orders recorded after the lookup were registered shortly before it at the earliest.
   */
  async refresh(
    input: MatterInput,
    features: MatterFeatures,
    previous: CandidateLookup,
    options: { limit?: number; manager?: EntityManager; registeredSince?: Date } = {},
  ): Promise<RepeatCandidate[]> {
    const compared = await this.score(input, features, options.manager, previous.compared, options.registeredSince);
    return shown(classify(compared, SIMILARITY_WEIGHTS), options.limit);
  }

  /**
   * At the first detection: the term weights from the newest stored orders, and the window of recent orders opened —
   * for every order ever when none is stored yet, otherwise for those recorded from now on (and from the newest
   * stored one's time: the database answers for the older ones).
   */
  private warmFrequencies(): Promise<void> {
    this.warmUp ??= (() => {
      // Kept from before the database is asked: an order recorded meanwhile reaches the window either way.
      if (this.hearsAll) this.recent.collect();
      return this.index.newestFeatures(TERM_WEIGHT_SAMPLE).then((rows) => {
        let newest = Number.NEGATIVE_INFINITY;
        // Oldest first, as they were registered.
        for (const { features: json, createdAt } of rows.reverse()) {
          const features = JSON.parse(json) as MatterFeatures;
          this.frequencies.add(features.text.map(([term]) => term));
          newest = Math.max(newest, createdAt.getTime());
        }
        this.recent.open(rows.length === 0 ? Number.NEGATIVE_INFINITY : Math.max(newest, this.clock.now().getTime()));
      });
    })();
    return this.warmUp;
  }

  /** After messages may have been lost: the window holds nothing but what it hears from now on. */
  private restartWindow(): void {
    if (!this.hearsAll || !this.warmUp) return; // opened by the warm-up, when it comes
    this.recent.collect();
    this.recent.open(this.clock.now().getTime());
  }

  /**
   * Another process recorded orders: into the window, and their features kept for their first comparison (the newest
   * HEARD_FEATURES_KEPT; an order compared later, or heard from an earlier version without them, has its features read
   * from the database then). Carrying them costs the bus ≈ 1–2 kB per order; reading them cost nearly every order a
   * statement (on the intake benchmark, with two processes: 0.64 per order).
   */
  private heard(payload: unknown): void {
    if (!isRecordedMessage(payload) || payload.origin === this.origin) return;
    for (const order of payload.orders) {
      if (!isRecordedOrder(order)) {
        this.logger.warn('A message about a recorded order from another process was not understood: its candidates are read from the database');
        continue;
      }
      const { keys, createdAt, features, ...facts } = order;
      this.recent.add({ ...facts, createdAt: new Date(createdAt) }, keys);
      if (isMatterFeatures(features) && !this.profiles.has(facts.workOrderId)) {
        this.heardFeatures.set(facts.workOrderId, features);
        if (this.heardFeatures.size > HEARD_FEATURES_KEPT) this.heardFeatures.delete(this.heardFeatures.keys().next().value!);
      }
    }
  }

  /**
   * Tells the other processes about an order this one recorded, with the others recorded within PUBLISH_EVERY_MS (one
   * message: each costs every process a write and a read, and the node's primary a relay).
   */
  private publish(order: RecordedOrderMessage): void {
    this.outbox.push(order);
    if (this.outbox.length > 1) return;
    setTimeout(() => {
      const orders = this.outbox;
      this.outbox = [];
      // No answer waits for it (ClusterBusSettledInterceptor): the orders are news, not a stale cache.
      this.bus.publish(RECORDED_CHANNEL, { origin: this.origin, orders } satisfies RecordedMessage, { answersWait: false });
    }, PUBLISH_EVERY_MS).unref();
  }

  /**
   * The orders sharing a key with the looked-at order (created from `since`): the newest ROWS_PER_KEY of each key,
   * those sharing `firstKey` first, then the most keys shared, at most `limit`, `excludeId` left out — as
   * MatterIndexRepository.candidates reads them, from the window of recent orders where it holds them for certain
   * and the database for the rest (one statement, only when needed; its answer kept for the same keys' next reads).
   */
  private async candidatesFor(
    keys: readonly string[],
    since: Date,
    limit: number,
    excludeId: number | null,
    manager: EntityManager | undefined,
    firstKey: string | null,
  ): Promise<CandidateFingerprint[]> {
    if (keys.length === 0) return [];
    if (!this.recent.started) return this.index.candidates(keys, since, ROWS_PER_KEY, limit, excludeId, manager, firstKey);
    const { found, missing } = this.recent.read(keys, since, ROWS_PER_KEY);
    const before = missing[0]?.before ?? null;
    if (found.every((orders) => orders.length === 0) && missing.every((read) => read.limit === ROWS_PER_KEY && read.before?.getTime() === before?.getTime())) {
      // Nothing recent (a process just started, a quiet street): the database ranks them, as without the window, over
      // the keys that may have older orders.
      const keysRead = missing.map((read) => read.key);
      return this.index.candidates(keysRead, since, ROWS_PER_KEY, limit, excludeId, manager, firstKey, { before, firstKeyWeight: keys.length });
    }
    const readFrom = this.recent.stamp;
    const read = await this.index.keyEntries(missing, manager);
    // Kept only when read outside a transaction: committed orders, not a snapshot's or a transaction's own.
    if (!manager) this.recent.learn(missing, read, readFrom);
    // Keys shared per order (the caller's counting as all keys together), and each order's fingerprint: one entry per
    // order, updated in place (a busy street's keys name the same orders many times over).
    const hits = new Map<number, { shared: number; fingerprint: CandidateFingerprint | null }>();
    for (let keyIndex = 0; keyIndex < found.length; keyIndex++) {
      const weight = keys[keyIndex] === firstKey ? keys.length : 1;
      for (const order of found[keyIndex]) {
        const hit = hits.get(order.workOrderId);
        if (hit === undefined) hits.set(order.workOrderId, { shared: weight, fingerprint: order });
        else hit.shared += weight;
      }
    }
    for (const row of read) {
      const weight = keys[row.keyIndex] === firstKey ? keys.length : 1;
      const hit = hits.get(row.workOrderId);
      if (hit === undefined) hits.set(row.workOrderId, { shared: weight, fingerprint: row.fingerprint });
      else {
        hit.shared += weight;
        hit.fingerprint ??= row.fingerprint;
      }
    }
    if (excludeId !== null) hits.delete(excludeId);
    // Most keys shared first, then the newest (highest id): each order as one number, keys shared × 2³² + id (ids and
    // counts are far below both bounds), sorted without a comparator — a busy street offers a thousand orders.
    const ranked = new Float64Array(hits.size);
    let next = 0;
    for (const [id, hit] of hits) ranked[next++] = hit.shared * ID_SPAN + id;
    ranked.sort();
    const answer: CandidateFingerprint[] = [];
    for (let i = ranked.length - 1; i >= Math.max(0, ranked.length - limit); i--) {
      const fingerprint = hits.get(ranked[i] % ID_SPAN)?.fingerprint;
      if (fingerprint) answer.push(fingerprint);
    }
    return answer;
  }

  /** The candidates the index offers, compared with the order (those in `known` already were: kept as they are). */
  private async score(
    input: MatterInput,
    features: MatterFeatures,
    manager: EntityManager | undefined,
    known: readonly ComparedCandidate[],
    registeredSince?: Date,
  ): Promise<ComparedCandidate[]> {
    await this.warmFrequencies();
    const { repeatWindowDays, hotspotWindowDays } = this.config.repeatDetection;
    const windowStart = input.createdAt.getTime() - Math.max(repeatWindowDays, hotspotWindowDays) * DAY_MS;
    const since = new Date(Math.max(windowStart, registeredSince?.getTime() ?? windowStart));
    const keys = this.keysOf(input, features);
    const knownIds = new Set(known.map((candidate) => candidate.workOrderId));
    // Compared in id order, the same on both engines (candidates of equal score keep it in the matter assignment).
    // The caller's own orders first: in a busy matter the newest orders of every other key are other callers', and a
    // repeat's original, weeks older, would share no key with the new order but the caller's.
    const firstKey = input.citizenPhone ? callerKey(input.citizenPhone) : null;
    const stored = (await this.candidatesFor(keys, since, MAX_COMPARED, input.workOrderId ?? null, manager, firstKey))
      .filter((candidate) => !knownIds.has(candidate.workOrderId))
      .sort((a, b) => a.workOrderId - b.workOrderId);
    const missing: number[] = [];
    for (const { workOrderId } of stored) {
      if (this.profiles.has(workOrderId)) continue;
      const heard = this.heardFeatures.get(workOrderId);
      if (heard) {
        this.heardFeatures.delete(workOrderId);
        this.rememberProfile(workOrderId, heard);
      } else missing.push(workOrderId);
    }
    for (const [workOrderId, json] of await this.index.featuresOf(missing, manager)) this.rememberProfile(workOrderId, JSON.parse(json) as MatterFeatures);
    // From here to the end nothing waits: every profile compared below is made with the same dictionary.
    if (this.dictionary.size > RepeatDetector.maxDictionaryTerms) this.dictionary = new TermDictionary();
    const self: ComparedOrder = { facts: input, profile: this.profileOf(features) };
    const weights = SIMILARITY_WEIGHTS;
    const termWeights = this.currentTermWeights();
    const scored: ComparedCandidate[] = [...known];
    for (const fingerprint of stored) {
      const other = this.compared(fingerprint);
      if (!other) continue;
      const sameCaller = input.citizenPhone !== null && input.citizenPhone === fingerprint.citizenPhone;
      const daysApart = Math.abs(input.createdAt.getTime() - fingerprint.createdAt.getTime()) / DAY_MS;
      if (daysApart > (sameCaller ? repeatWindowDays : hotspotWindowDays)) continue;
      const vector = pairVector(self, other, termWeights);
      const score = Math.round(sameMatterProbability(vector, weights) * 1000) / 1000;
      const eligible = eligibleForMatter(vector);
      // Why, only for a candidate that can be shown (classify leaves out the others, now and at a refresh).
      const reasons = eligible || score >= weights.similarFloor ? reasonsFor(vector, daysApart) : [];
      scored.push({
        workOrderId: fingerprint.workOrderId,
        matterId: fingerprint.matterId,
        kind: 'similar',
        score,
        reasons,
        reasonText: reasonText(reasons),
        sameCaller,
        createdAt: fingerprint.createdAt,
        eligible,
      });
    }
    return scored;
  }

  /**
   * The term weights for this order's comparisons: the same object while the documents counted grew by less than
   * TERM_WEIGHT_DRIFT (with fewer than 1 / TERM_WEIGHT_DRIFT documents: a new one after every document, as if per
   * order). A term's weight is read from the frequencies when the object first needs it, so within one object every
   * term has one weight and every vector one norm — the cosines stay consistent — from frequencies at most that share
   * of documents apart: an inverse document frequency learned from thousands of orders moves by far less than that.
   */
  private currentTermWeights(): FixedTermWeights {
    const documents = this.frequencies.size;
    const current = this.termWeights;
    if (current && current.weights.dictionary === this.dictionary && documents - current.documents < Math.max(1, Math.floor(current.documents * TERM_WEIGHT_DRIFT))) {
      return current.weights;
    }
    const weights = new FixedTermWeights(this.frequencies, this.dictionary);
    this.termWeights = { weights, documents };
    return weights;
  }

  private compared(fingerprint: CandidateFingerprint): ComparedOrder | null {
    let profile = this.profiles.get(fingerprint.workOrderId);
    if (!profile) return null; // stored by an older version of the features
    if (profile.dictionary !== this.dictionary) profile = this.profileOf(profile.source);
    // Most recently used last: the oldest entries are the ones dropped.
    this.profiles.delete(fingerprint.workOrderId);
    this.profiles.set(fingerprint.workOrderId, profile);
    const facts: MatterFacts = {
      citizenPhone: fingerprint.citizenPhone,
      districtUnitId: fingerprint.districtUnitId,
      streetUnitId: fingerprint.streetUnitId,
      requestType: fingerprint.requestType,
      createdAt: fingerprint.createdAt,
    };
    return { facts, profile };
  }

  /** The features' profile in the current dictionary (made once per features object and dictionary). */
  private profileOf(features: MatterFeatures): MatterProfile {
    const made = this.profileByFeatures.get(features);
    if (made && made.dictionary === this.dictionary) return made;
    const profile = profileOf(features, this.dictionary);
    this.profileByFeatures.set(features, profile);
    return profile;
  }

  /** Keeps an order's profile for later comparisons (null: features of another version, never compared). */
  private rememberProfile(workOrderId: number, features: MatterFeatures): void {
    this.profiles.set(workOrderId, features.v === FEATURES_VERSION ? this.profileOf(features) : null);
    if (this.profiles.size > PROFILE_CACHE_SIZE) {
      for (const key of this.profiles.keys()) {
        this.profiles.delete(key);
        if (this.profiles.size <= PROFILE_CACHE_SIZE * 0.9) break;
      }
    }
  }

  /**
   * Remembers a registered order: its fingerprint and index keys, and the matter it belongs to — the matter of its
   * best repeat or hotspot candidate (those `findCandidates` found for it), or a new one. Answers the earlier order
   * it repeats (the matter's first order of the same caller within the repeat window) and the matter's size within
   * the hotspot window.
   */
  async record(workOrderId: number, input: MatterInput, candidates: readonly RepeatCandidate[], options: { features?: MatterFeatures } = {}): Promise<RecordedMatter> {
    const features = options.features ?? (await this.featuresOf(input));
    const best = candidates.find((c) => c.kind !== 'similar');
    const matterId = best ? best.matterId : workOrderId;
    const fingerprint = Object.assign(new MatterFingerprint(), {
      workOrderId,
      matterId,
      createdAt: input.createdAt,
      citizenPhone: input.citizenPhone,
      districtUnitId: input.districtUnitId,
      streetUnitId: input.streetUnitId,
      categoryId: input.categoryId,
      requestType: input.requestType,
      features: JSON.stringify(features),
    });
    const keys = this.keysOf(input, features);
    const { repeatWindowDays, hotspotWindowDays, hotspotMinOrders } = this.config.repeatDetection;
    const repeatSince = new Date(input.createdAt.getTime() - repeatWindowDays * DAY_MS);
    const hotspotSince = new Date(input.createdAt.getTime() - hotspotWindowDays * DAY_MS);
    // Of a matter it joins: whether the matter may be a hotspot now, read only as far as the thresholds (the hotspot
    // counts it, under its row's lock), and the caller's first order of the matter — in the same round trip as the
    // recording's INSERTs on a server.
    const caller = input.citizenPhone !== null ? { citizenPhone: input.citizenPhone, since: repeatSince, exceptId: workOrderId } : null;
    const glance = await this.index.saveAndGlance(
      fingerprint,
      keys,
      best ? { matterId, since: hotspotSince, until: input.createdAt, caller, reaches: { minOrders: hotspotMinOrders, minCallers: HOTSPOT_MIN_CALLERS } } : null,
    );
    this.rememberProfile(workOrderId, features);
    // Written (not in a transaction of the caller's that could still roll it back): into the window, and to the
    // other processes'.
    const { features: _features, workOrder: _order, ...facts } = fingerprint;
    this.recent.add(facts, keys);
    this.publish({ ...facts, createdAt: facts.createdAt.getTime(), keys: [...keys], features });
    await this.warmFrequencies();
    this.frequencies.add(features.text.map(([term]) => term));
    return {
      matterId,
      repeatOfId: glance?.firstOfCallerId ?? null,
      matter: { reachesHotspot: glance?.reachesHotspot ?? false, lastAt: input.createdAt },
    };
  }

  /**
   * A matter's latest order from `since`, and its orders counted over the hotspot window that ends with that order:
   * how many, how many callers, the first one's time.
   *
   * `known`: the counts of the window that ended at `known.lastAt` (the hotspot row's, written under the lock the caller
   * holds). When the matter only grew since — its new orders all registered after known.lastAt, none of the known ones
   * out of the new window — only the new orders are read, each with whether its caller was counted already: a mass
   * event's hotspot is not counted again order by order at each new call. An order registered before known.lastAt but
   * recorded after it (another process's queue was behind) is counted when its own screening counts the matter whole,
   * as is every RECOUNT_EVERY-th order's (an order recorded whose screening stopped before its count is not left out
   * for long).
   *
   * Whole: one statement when the latest order is the one the window was taken from (nearly always: the order just
   * recorded); counted again over the later window when a later order was recorded first.
   */
  async matterSince(
    matterId: number,
    since: Date,
    manager?: EntityManager,
    known?: { memberCount: number; callerCount: number; firstAt: Date; lastAt: Date },
  ): Promise<{ latest: { workOrderId: number; createdAt: Date }; memberCount: number; callerCount: number; firstAt: Date } | null> {
    const { hotspotWindowDays } = this.config.repeatDetection;
    const windowMs = hotspotWindowDays * DAY_MS;
    if (known && known.memberCount > 0 && known.memberCount % RECOUNT_EVERY !== 0 && since.getTime() + windowMs > known.lastAt.getTime()) {
      const added = await this.index.membersAfter(matterId, known.lastAt, known.firstAt, MAX_ADDED_READ + 1, manager);
      const latest = added[added.length - 1];
      if (added.length > 0 && added.length <= MAX_ADDED_READ && latest.createdAt.getTime() - windowMs <= known.firstAt.getTime()) {
        const callers = new Set<string>();
        let anonymous = 0;
        for (const order of added) {
          if (order.citizenPhone === null) anonymous++;
          else if (!order.callerSeen) callers.add(order.citizenPhone);
        }
        return {
          latest: { workOrderId: latest.workOrderId, createdAt: latest.createdAt },
          memberCount: known.memberCount + added.length,
          callerCount: known.callerCount + callers.size + anonymous,
          firstAt: known.firstAt,
        };
      }
    }
    const fromSince = await this.index.matterSummary(matterId, since, manager, { latest: true });
    const latest = fromSince?.latest;
    if (!fromSince || !latest) return null;
    const windowStart = new Date(latest.createdAt.getTime() - windowMs);
    const summary = windowStart.getTime() === since.getTime() ? fromSince : await this.index.matterSummary(matterId, windowStart, manager);
    return summary ? { latest, memberCount: summary.memberCount, callerCount: summary.callerCount, firstAt: summary.firstAt } : null;
  }

  /** The order's keys in the detector's index (matter_keys): two orders that share none never meet as candidates. */
  keysOf(input: Pick<MatterInput, 'citizenPhone' | 'districtUnitId' | 'streetUnitId'>, features: MatterFeatures): readonly string[] {
    // One order's keys are asked for up to four times (lookup, staleness check, refresh, record): computed once per
    // features object (MinHash of the text and a hash per key), as long as the caller, district and street agree.
    const facts = `${input.citizenPhone ?? ''}|${input.districtUnitId ?? ''}|${input.streetUnitId ?? ''}`;
    const known = this.keysByFeatures.get(features);
    if (known?.facts === facts) return known.keys;
    const keys = matterKeys(input, features);
    this.keysByFeatures.set(features, { facts, keys });
    return keys;
  }

  /** The orders of a matter (oldest first), since a time or all. */
  members(matterId: number, since: Date | null, manager?: EntityManager): Promise<MatterMember[]> {
    return this.index.members(matterId, since, manager);
  }

  /**
   * The matters of orders (as the screen pop's repeat candidates show them): for each order the detector recorded, its
   * matter and whether some order of that matter is still open (OPEN_STATUSES). Orders never recorded are left out.
   */
  matterStates(workOrderIds: readonly number[], manager?: EntityManager): Promise<Map<number, { matterId: number; matterOpen: boolean }>> {
    return this.index.matterStates(workOrderIds, OPEN_STATUSES, manager);
  }

  /** Of these orders, those recorded in the index. */
  recordedAmong(workOrderIds: readonly number[]): Promise<Set<number>> {
    return this.index.recordedAmong(workOrderIds);
  }

  /** The matter an order was put in, or null when it was never recorded. */
  async matterOf(workOrderId: number, manager?: EntityManager): Promise<number | null> {
    return (await this.index.fingerprintOf(workOrderId, manager))?.matterId ?? null;
  }
}

/**
 * The matter the order belongs to (matter-assignment.ts): its eligible orders are the repeats (same caller) and
 * hotspot members (other callers); everything else is only similar. Best first; the compared list is not changed.
 */
function classify(scored: readonly ComparedCandidate[], weights: SimilarityWeights): ScoredCandidate[] {
  const matterId = chooseMatter(scored, weights);
  const candidates: ScoredCandidate[] = [];
  for (const { eligible, ...candidate } of scored) {
    if (matterId !== null && candidate.matterId === matterId && eligible) candidate.kind = candidate.sameCaller ? 'repeat' : 'hotspot';
    else if (candidate.score < weights.similarFloor) continue;
    candidates.push(candidate);
  }
  const rank = (c: ScoredCandidate) => (c.kind === 'similar' ? 0 : 1);
  return candidates.sort((a, b) => rank(b) - rank(a) || b.score - a.score || b.workOrderId - a.workOrderId);
}

/** The first `limit` candidates (10 by default) as callers see them. */
function shown(candidates: readonly ScoredCandidate[], limit = 10): RepeatCandidate[] {
  return candidates.slice(0, limit).map(({ sameCaller: _s, createdAt: _c, ...candidate }) => candidate);
}
