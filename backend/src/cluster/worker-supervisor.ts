import type { LoggerService } from '@nestjs/common';
import { setupPrimary as setupSocketIoPrimary } from '@socket.io/cluster-adapter';
import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { relayBusMessage } from './ipc-transport';
import { NODE_ID_ENV, WORKER_INDEX_ENV } from './process-role.service';

/** A worker that listened at least this long before dying starts its back-off afresh. */
export const STABLE_RUN_MS = 60_000;
/** How long the workers get to finish their requests after SIGTERM/SIGINT before they are killed. */
export const SHUTDOWN_GRACE_MS = 15_000;

/** Restart delay after the n-th crash in a row (0 → 1 s, 1 → 2 s, … at most 30 s): a crash loop must not spin. */
export function restartDelayMs(consecutiveCrashes: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, consecutiveCrashes));
}

/** "exit code 1" / "signal SIGKILL", for the log. */
export function describeExit(code: number | null, signal: string | null): string {
  return signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`;
}

interface Slot {
  index: number;
  worker: Worker | null;
  listeningSince: number | null;
  consecutiveCrashes: number;
  restartTimer: NodeJS.Timeout | null;
}

export interface SupervisorOptions {
  workers: number;
  logger: LoggerService;
  /** Once, when every worker of the first start listens. */
  onListening: () => void;
}

/**
 * The primary of `npm start` with WORKERS > 1. It forks the workers (each with its index, kept by its replacement),
 * relays socket.io's cluster adapter and the ClusterBus between them, restarts a worker that dies (with a back-off),
 * and on SIGTERM/SIGINT stops them all gracefully (SHUTDOWN_GRACE_MS). A worker that dies before the node ever listened stops the start:
 * that is a configuration problem (the port is taken, the database refuses), not a crash to retry.
 */
export class WorkerSupervisor {
  private readonly slots: Slot[];
  private readonly slotOfWorker = new Map<number, Slot>();
  private readonly nodeId = randomUUID();
  private started = false;
  private stopping = false;
  private exitCode = 0;

  constructor(private readonly options: SupervisorOptions) {
    this.slots = Array.from({ length: options.workers }, (_, i) => ({ index: i + 1, worker: null, listeningSince: null, consecutiveCrashes: 0, restartTimer: null }));
  }

  start(): void {
    setupSocketIoPrimary();
    cluster.on('message', (worker, message) => relayBusMessage(worker, message, this.liveWorkers()));
    cluster.on('listening', (worker) => this.onListening(worker));
    cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal));
    // A repeated signal is ignored, as Nest does in the workers: Ctrl-C under `npm start` reaches this process twice
    // (from the terminal and from npm), and must not cut the workers' graceful close short. The grace period bounds it.
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => this.stopping || this.stop(signal, 0));
    this.options.logger.log(`Starting ${this.slots.length} worker processes (primary pid ${process.pid})`);
    for (const slot of this.slots) this.fork(slot);
  }

  private liveWorkers(): Worker[] {
    return this.slots.flatMap((slot) => (slot.worker ? [slot.worker] : []));
  }

  private fork(slot: Slot): void {
    slot.restartTimer = null;
    slot.listeningSince = null;
    const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(slot.index), [NODE_ID_ENV]: this.nodeId });
    slot.worker = worker;
    this.slotOfWorker.set(worker.id, slot);
  }

  private onListening(worker: Worker): void {
    const slot = this.slotOfWorker.get(worker.id);
    if (!slot || slot.listeningSince !== null) return;
    slot.listeningSince = Date.now();
    this.options.logger.log(`Worker ${slot.index} (pid ${worker.process.pid}) is listening`);
    if (!this.started && this.slots.every((s) => s.listeningSince !== null)) {
      this.started = true;
      this.options.onListening();
    }
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    const slot = this.slotOfWorker.get(worker.id);
    this.slotOfWorker.delete(worker.id);
    if (!slot) return;
    slot.worker = null;
    if (this.stopping) {
      if (this.slots.every((s) => s.worker === null)) this.exit('All workers stopped');
      return;
    }
    const how = describeExit(code, signal);
    if (!this.started) {
      this.options.logger.error(`Worker ${slot.index} (pid ${worker.process.pid}) exited with ${how} before the server was listening: stopping (see its messages above)`);
      this.stop('Start-up failed', 1);
      return;
    }
    const ranLong = slot.listeningSince !== null && Date.now() - slot.listeningSince >= STABLE_RUN_MS;
    slot.consecutiveCrashes = ranLong ? 1 : slot.consecutiveCrashes + 1;
    const delay = restartDelayMs(slot.consecutiveCrashes - 1);
    this.options.logger.warn(
      `Worker ${slot.index} (pid ${worker.process.pid}) exited with ${how}; restarting it in ${delay / 1000} s${slot.consecutiveCrashes > 1 ? ` (crash ${slot.consecutiveCrashes} in a row)` : ''}`,
    );
    slot.restartTimer = setTimeout(() => this.fork(slot), delay);
  }

  /** SIGTERM to every worker, then wait for them; after the grace period the rest are killed. */
  private stop(reason: string, exitCode: number): void {
    this.stopping = true;
    this.exitCode = exitCode;
    for (const slot of this.slots) {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      slot.restartTimer = null;
    }
    const live = this.liveWorkers();
    if (live.length === 0) {
      this.exit('No worker was running');
      return;
    }
    this.options.logger.log(`${reason}: stopping ${live.length} workers`);
    // A signal, not worker.kill(): that would first cut the IPC channel the workers still use while closing.
    for (const worker of live) worker.process.kill('SIGTERM');
    setTimeout(() => this.kill(`still running ${SHUTDOWN_GRACE_MS / 1000} s after SIGTERM`), SHUTDOWN_GRACE_MS).unref();
  }

  private kill(reason: string): void {
    const live = this.liveWorkers();
    if (live.length === 0) return;
    this.options.logger.warn(`Killing ${live.length} workers (${reason})`);
    for (const worker of live) worker.process.kill('SIGKILL');
  }

  private exit(message: string): void {
    this.options.logger.log(message);
    process.exit(this.exitCode);
  }
}
