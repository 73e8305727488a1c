import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { WorkAfterAnswer } from '../common/work-after-answer';
import type { MatterInput, RepeatCandidate } from '../repeat-detection/repeat-candidate';
import { RepeatDetector, type CandidateLookup } from '../repeat-detection/repeat-detector';
import type { WorkOrder } from './entities/work-order.entity';
import { RepeatScreeningPendingRepository } from './repeat-screening-pending.repository';
import { matterOf, RepeatScreening, type MatterFeatures, type ScreenedOrder } from './repeat-screening.service';
import { WorkOrdersRepository } from './work-orders.repository';

/** A job handed over by the registration that queued it: what it already knows of the order. */
export interface ScreeningJob {
  order: WorkOrder;
  matter: MatterInput;
  features: MatterFeatures;
  /** The registration's candidate lookup (its candidates were answered as `similarOrders`). */
  lookup: CandidateLookup;
  /** `recordedSoFar` when the candidates were looked up (see `stale`). */
  lookedUpAt: number;
}

/** Set while the queue screens: what runs inside is the screener's work, not the request's (statement counts). */
export const screeningWork = new AsyncLocalStorage<true>();

/** Jobs this process keeps in memory at most; beyond, the sweep takes them from the table. */
const MAX_IN_MEMORY = 5_000;
/**
 * The sweep takes unclaimed rows queued at least this long ago: a process claims the rows of the jobs handed to it at
 * the start of its queue's next batch (about a second), so an older unclaimed row is one whose job never reached a queue.
 */
const SWEEP_AFTER_MS = 60_000;
/** A claim this old belongs to a process that died: another may take the order over. */
const CLAIM_EXPIRES_MS = 5 * 60_000;
/** A process renews the claims of the jobs it holds once they are this old (long before they expire). */
const RENEW_CLAIMS_AFTER_MS = 60_000;
const SWEEP_INTERVAL_MS = 30_000;
const SWEEP_BATCH = 100;
/** Jobs screened between two looks at the jobs handed over meanwhile (their rows deleted together once screened). */
const SCREEN_BATCH = 50;
/** Jobs handed over while a batch is screened are claimed at the latest this long after the first of them arrived. */
const CLAIM_ARRIVED_AFTER_MS = 1_000;
/** Rows claimed or renewed in one statement at most. */
const CLAIM_CHUNK = 1_000;
/**
 * Index keys remembered with the latest recording of each, to tell whether a job's candidates went stale (a key shared
 * with a later order); past this many all are forgotten, and jobs looked up before then count as stale.
 */
const REMEMBERED_KEYS = 100_000;

/** A job whose queue row this process claimed (at `claimedAt`, ms since the epoch: renewed while it waits). */
interface HeldJob {
  job: ScreeningJob;
  claimedAt: number;
}

/**
 * 查重 after the answer: a registration writes its order into `repeat_screening_pending` inside its transaction and
 * hands the job to this queue after COMMIT; the queue claims the rows of the jobs handed to it (all of them, in one
 * statement, at the start of each batch — a claim, `claimedAt`, keeps every other process from screening the order,
 * and is renewed while the job waits), screens one order at a time in registration order (RepeatScreening.record: the
 * detector's index, the repeat mark — consoles learn of the mark through `workOrder.changed`), then keeps the hotspots
 * of a batch's matters up to date in one transaction (RepeatScreening.trackHotspots: a mass event's orders, screened
 * together, share one count and one write of their hotspot), and deletes the rows of up to SCREEN_BATCH screened jobs
 * in one statement. So the registration answers without waiting for the detector's writes and locks (a matter's
 * hotspot row would otherwise serialise every registration about it), and no committed order stays unscreened: a row
 * left by a process that stopped or crashed is screened by the sweep (every 30 s, in every process, unclaimed rows
 * queued more than a minute ago, claims five minutes old, a batch at a time), and the sweep only deletes the row of an
 * order already recorded. A queue that falls behind under load (minutes, in a burst) keeps its jobs: their claims hold
 * them.
 *
 * The candidates the registration looked up (and answered as `similarOrders`) are reused unless an order recorded
 * since by this process shares an index key with the new one; then they are looked up again (RepeatDetector.refresh:
 * only the orders not compared at registration are compared), so that of two orders about the same matter registered
 * a moment apart the second still finds the first.
 */
@Injectable()
export class RepeatScreeningQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RepeatScreeningQueue.name);
  /** Jobs handed over whose rows are not claimed yet (the next batch claims them). */
  private readonly arrived: ScreeningJob[] = [];
  /** Jobs whose rows this process claimed, in registration order. */
  private readonly held: HeldJob[] = [];
  private draining: Promise<void> | null = null;
  private sweeping: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Claims run one after the other (held stays in registration order). */
  private claiming: Promise<void> = Promise.resolve();
  private claimTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Orders this process has recorded in the detector's index, counted; and for each key, the latest that had it. */
  private recordedSoFar = 0;
  private readonly lastRecordedWithKey = new Map<string, number>();
  /** Recordings up to this one are forgotten (see REMEMBERED_KEYS). */
  private forgottenUpTo = 0;

  constructor(
    private readonly pending: RepeatScreeningPendingRepository,
    private readonly screening: RepeatScreening,
    private readonly detector: RepeatDetector,
    private readonly workOrders: WorkOrdersRepository,
    private readonly clock: Clock,
    private readonly afterAnswer: WorkAfterAnswer,
  ) {}

  /** Where a registration's candidate lookup stands among this process's recordings (pass it back in the job). */
  get position(): number {
    return this.recordedSoFar;
  }

  /**
   * Inside the registration's transaction on SQLite: the order is to be screened (it commits or rolls back with the
   * order). On a server the registration's CALL writes the same row (migration RegistrationInOneCall).
   */
  async enqueue(workOrderId: number, manager: EntityManager): Promise<void> {
    await this.pending.add(workOrderId, this.clock.now(), manager);
  }

  /** After COMMIT: screen the order soon, in this process. */
  submit(job: ScreeningJob): void {
    if (this.stopped || this.arrived.length + this.held.length >= MAX_IN_MEMORY) return; // the sweep screens it from the table
    this.arrived.push(job);
    // Claimed at the next batch's start, or within a second while a batch takes long (before any sweep could take it).
    this.claimTimer ??= setTimeout(() => {
      this.claimTimer = null;
      void this.afterAnswer.track(screeningWork.run(true, () => this.claimArrived()));
    }, CLAIM_ARRIVED_AFTER_MS).unref();
    this.draining ??= this.afterAnswer.track(screeningWork.run(true, () => this.drain()).finally(() => (this.draining = null)));
  }

  /** Resolves once every job handed to this process is screened (tests, benchmarks, shutdown). */
  async settled(): Promise<void> {
    while (this.draining || this.sweeping) await (this.draining ?? this.sweeping);
  }

  /** How many orders wait in the table (all processes), for the benchmark and the health page. */
  waiting(): Promise<number> {
    return this.pending.count();
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.claimTimer) clearTimeout(this.claimTimer);
    this.claimTimer = null;
    // What is not screened by then stays in the table for the next start's sweep (the claims given back).
    this.arrived.length = 0;
    await this.settled();
    await this.claiming; // a claim the timer started: its jobs are held (and given back) too
    await this.releaseHeld();
    // The marks and hotspot changes screened just now started work of their own (shirking evaluations of the orders
    // marked): done before the database connections close.
    await this.afterAnswer.settled();
  }

  /**
   * Screens the rows left behind (their process stopped before screening them): queued more than a minute ago and
   * not claimed by a living process. Answers how many it screened.
   */
  sweep(options: { olderThanMs?: number } = {}): Promise<number> {
    if (this.sweeping || this.stopped) return Promise.resolve(0);
    let screened = 0;
    this.sweeping = this.afterAnswer.track(screeningWork.run(true, async () => {
      try {
        for (;;) {
          const now = this.clock.now().getTime();
          const ids = await this.pending.leftBehind(new Date(now - (options.olderThanMs ?? SWEEP_AFTER_MS)), new Date(now - CLAIM_EXPIRES_MS), SWEEP_BATCH);
          if (ids.length === 0) return;
          if (this.stopped) return;
          const claimed = await this.pending.claimAll(ids, new Date(now), new Date(now - CLAIM_EXPIRES_MS));
          if (claimed.size === 0) return;
          screened += await this.screenLeftBehind(ids.filter((id) => claimed.has(id)));
        }
      } catch (error) {
        this.logger.warn(`The sweep of orders waiting for the repeat detector failed (the next one retries): ${describe(error)}`);
      }
    }).finally(() => (this.sweeping = null)));
    return this.sweeping.then(() => {
      if (screened > 0) this.logger.warn(`Screened ${screened} order(s) left waiting for the repeat detector (a process stopped before it screened them, or its queue was full: more than ${MAX_IN_MEMORY.toLocaleString('en')} jobs waiting)`);
      return screened;
    });
  }

  /**
   * The sweep's batch, its rows claimed: the orders and which of them are recorded already read in one statement each,
   * the others screened in id order (their hotspots together, as a queue batch's), the rows deleted in one statement.
   * An order whose screening fails keeps its row (claimed: the sweep retries once the claim expires). Answers how many
   * it screened.
   */
  private async screenLeftBehind(ids: readonly number[]): Promise<number> {
    const [orders, recordedAlready] = await Promise.all([this.workOrders.findPlainByIds(ids), this.detector.recordedAmong(ids)]);
    const done: number[] = [];
    const recorded: ScreenedOrder[] = [];
    let screened = 0;
    try {
      for (const id of ids) {
        if (this.stopped) break;
        const order = orders.get(id);
        // Recorded already (screened by a process that stopped before it deleted the row): only the row is left.
        if (order && !recordedAlready.has(id)) {
          try {
            const one = await this.screen({ order, matter: matterOf(order), features: null, candidates: null });
            if (one) recorded.push(one);
            screened++;
          } catch (error) {
            this.logger.error(`Work order ${order.number}, left waiting for the repeat detector, could not be screened now (a later sweep retries): ${describe(error)}`);
            continue;
          }
        }
        done.push(id);
      }
    } finally {
      await this.trackHotspots(recorded);
    }
    await this.pending.removeAll(done);
    return screened;
  }

  /**
   * Screens the jobs in registration order, SCREEN_BATCH at a time: before each batch the rows of the jobs handed over
   * meanwhile are claimed (one statement) and the claims of the jobs waiting renewed when they grow old; once a batch
   * is screened the hotspots of its matters are kept up to date (one transaction) and its rows deleted in one statement
   * (a job that failed keeps its row, for the sweep).
   */
  private async drain(): Promise<void> {
    while ((this.arrived.length > 0 || this.held.length > 0) && !this.stopped) {
      await this.claimArrived();
      await this.renewClaims();
      const batch = this.held.splice(0, SCREEN_BATCH);
      const screened: number[] = [];
      const recorded: ScreenedOrder[] = [];
      for (const { job } of batch) {
        if (this.stopped) break;
        try {
          // Stale: looked up again, comparing only the orders the registration's lookup did not.
          const candidates = this.stale(job)
            ? await this.detector.refresh({ ...job.matter, workOrderId: job.order.id }, job.features, job.lookup, { registeredSince: this.recordableSince(job) })
            : job.lookup.candidates;
          const one = await this.screen({ order: job.order, matter: job.matter, features: job.features, candidates });
          if (one) recorded.push(one);
          screened.push(job.order.id);
        } catch (error) {
          // The row stays: the sweep screens the order later.
          this.logger.error(`Work order ${job.order.number} could not be screened for repeats now (the sweep retries): ${describe(error)}`);
        }
      }
      // The hotspots of the batch's matters, once for the batch (before the rows go: a crash before leaves them for the sweep).
      await this.trackHotspots(recorded);
      if (this.stopped) {
        // Shutting down: the jobs of the batch not screened wait with the rest (their claims given back at shutdown).
        const done = new Set(screened);
        this.held.unshift(...batch.filter(({ job }) => !done.has(job.order.id)));
      }
      try {
        await this.pending.removeAll(screened);
      } catch (error) {
        // The rows stay claimed; once the claims expire the sweep finds the orders recorded and only deletes the rows.
        this.logger.warn(`The queue rows of ${screened.length} screened order(s) could not be deleted now: ${describe(error)}`);
      }
    }
  }

  /**
   * Claims the rows of the jobs handed over since the last claim; the jobs whose rows another process took are let go.
   * One claim at a time (never rejects).
   */
  private claimArrived(): Promise<void> {
    this.claiming = this.claiming.then(() => this.claimArrivedNow());
    return this.claiming;
  }

  private async claimArrivedNow(): Promise<void> {
    if (this.arrived.length === 0 || this.stopped) return;
    const now = this.clock.now();
    const arrived = this.arrived.splice(0, this.arrived.length);
    for (let i = 0; i < arrived.length; i += CLAIM_CHUNK) {
      const chunk = arrived.slice(i, i + CLAIM_CHUNK);
      let claimed: Set<number>;
      try {
        claimed = await this.pending.claimAll(chunk.map((job) => job.order.id), now, new Date(now.getTime() - CLAIM_EXPIRES_MS));
      } catch (error) {
        this.logger.error(`${chunk.length} work order(s) could not be claimed for repeat screening now (the sweep screens them): ${describe(error)}`);
        continue;
      }
      // Not claimed: another process's sweep took the order over (or screened it already).
      for (const job of chunk) if (claimed.has(job.order.id)) this.held.push({ job, claimedAt: now.getTime() });
    }
  }

  /**
   * Renews the claims of the jobs held once the oldest is RENEW_CLAIMS_AFTER_MS old — a queue behind by minutes keeps
   * its jobs. The claims of one time are renewed together (jobs are claimed a batch at a time, and renewed all at once).
   */
  private async renewClaims(): Promise<void> {
    const now = this.clock.now();
    const oldest = this.held.reduce((min, held) => Math.min(min, held.claimedAt), Number.POSITIVE_INFINITY);
    if (now.getTime() - oldest < RENEW_CLAIMS_AFTER_MS) return;
    const kept: HeldJob[] = [];
    for (let i = 0; i < this.held.length; ) {
      const claimedAt = this.held[i].claimedAt;
      let end = i;
      while (end < this.held.length && end - i < CLAIM_CHUNK && this.held[end].claimedAt === claimedAt) end++;
      const group = this.held.slice(i, end);
      i = end;
      try {
        const renewed = await this.pending.renewClaims(group.map(({ job }) => job.order.id), new Date(claimedAt), now);
        for (const held of group) if (renewed.has(held.job.order.id)) kept.push({ job: held.job, claimedAt: now.getTime() });
      } catch (error) {
        // Kept as claimed: the next batch tries again (the claims last five minutes).
        this.logger.warn(`The claims of ${group.length} order(s) waiting for repeat screening could not be renewed now: ${describe(error)}`);
        kept.push(...group);
      }
    }
    this.held.splice(0, this.held.length, ...kept);
  }

  /** At shutdown: the claims of the jobs not screened are given back, for the next start's (or another process's) sweep. */
  private async releaseHeld(): Promise<void> {
    const ids = this.held.splice(0, this.held.length).map(({ job }) => job.order.id);
    for (let i = 0; i < ids.length; i += CLAIM_CHUNK) {
      await this.pending.release(ids.slice(i, i + CLAIM_CHUNK)).catch((error: unknown) => {
        this.logger.warn(`Claims of orders not screened before shutdown stay until they expire: ${describe(error)}`);
      });
    }
  }

  /** The first step of a job's screening (RepeatScreening.record); its hotspot follows with the rest of its batch. */
  private async screen(job: { order: WorkOrder; matter: MatterInput; features: MatterFeatures | null; candidates: readonly RepeatCandidate[] | null }): Promise<ScreenedOrder | null> {
    const features = job.features ?? (await this.detector.featuresOf(job.matter));
    const candidates = job.candidates ?? (await this.detector.findCandidates({ ...job.matter, workOrderId: job.order.id }, { features }));
    const screened = await this.screening.record(job.order, job.matter, candidates, features);
    this.remember(this.detector.keysOf(job.matter, features));
    return screened;
  }

  /** The second step, once for a batch: the hotspots of the orders' matters (failures are logged, never thrown). */
  private async trackHotspots(recorded: readonly ScreenedOrder[]): Promise<void> {
    try {
      await this.screening.trackHotspots(recorded);
    } catch (error) {
      this.logger.error(`The hotspots of ${recorded.length} screened work order(s) could not be announced: ${describe(error)}`);
    }
  }

  /**
   * The earliest registration time of an order recorded after the job's lookup, allowing for queues: such an order was
   * registered before the lookup by no more than it waited to be screened, and the queues of every process move at
   * about the pace of this one (first in, first out) — twice this job's wait, and the sweep's minute, are allowed.
   * An order left waiting longer (its process crashed, the sweep screened it) is not compared with this job.
   */
  private recordableSince(job: ScreeningJob): Date {
    const lookedUpAt = job.matter.createdAt.getTime();
    const waited = Math.max(0, this.clock.now().getTime() - lookedUpAt);
    return new Date(lookedUpAt - 2 * waited - SWEEP_AFTER_MS);
  }

  /** Whether an order recorded after the job's lookup shares an index key with it (it could be a candidate). */
  private stale(job: ScreeningJob): boolean {
    if (job.lookedUpAt === this.recordedSoFar) return false;
    if (job.lookedUpAt < this.forgottenUpTo) return true; // not remembered that far back
    return this.detector.keysOf(job.matter, job.features).some((key) => (this.lastRecordedWithKey.get(key) ?? 0) > job.lookedUpAt);
  }

  private remember(keys: readonly string[]): void {
    this.recordedSoFar++;
    if (this.lastRecordedWithKey.size + keys.length > REMEMBERED_KEYS) {
      this.lastRecordedWithKey.clear();
      this.forgottenUpTo = this.recordedSoFar - 1;
    }
    for (const key of keys) this.lastRecordedWithKey.set(key, this.recordedSoFar);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
