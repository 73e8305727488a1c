import type { RtpPacket } from './rtp-packet';

export interface JitterBufferOptions {
  /** Packets held back behind a gap before the missing one is declared lost (5 × 20 ms = 100 ms). */
  depthPackets?: number;
  /** A packet is released at the latest this long after it arrived, gap or not. */
  maxDelayMs?: number;
}

/** A packet leaving the buffer, in sequence order. */
export interface ReleasedPacket {
  packet: RtpPacket;
  arrivalMs: number;
  /** Packets of this source that never arrived (or came too late) just before this one. */
  lostBefore: number;
  /** First packet of a new source: new SSRC, or the same SSRC restarting its sequence. */
  newSource: boolean;
}

export interface JitterBufferStats {
  received: number;
  released: number;
  /** Same sequence number again (held or recently released). */
  duplicates: number;
  /** Arrived after the buffer had moved past it; dropped. */
  late: number;
  lost: number;
  sourceChanges: number;
}

interface HeldPacket {
  index: number;
  packet: RtpPacket;
  arrivalMs: number;
}

interface RetiredSource {
  ssrc: number;
  lastIndex: number;
}

const SEQUENCE_MODULO = 0x10000;
/** RFC 3550 appendix A.1: a jump ahead beyond this, or behind beyond MAX_MISORDER, is not reordering. */
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
/** Extended sequence numbers start here so a stream's first packets may be preceded by reordered ones. */
const INDEX_BASE = 16 * SEQUENCE_MODULO;
const RECENT_RELEASED = 128;
const RETIRED_SOURCES = 4;
const MAX_DEPTH = 50;

/**
 * Puts one direction's RTP back in sequence order (16-bit wrap-around), drops duplicates and late packets
 * and reports the gaps. It holds at most `depthPackets + 1` packets (bounded memory whatever a peer sends).
 * Sources: a new SSRC flushes the old one's packets and starts over; a stray late packet of an earlier
 * source is dropped, a sustained return to it (a prompt, then the agent, then the survey prompt) is a new
 * source again. A sequence jump with the same SSRC is taken as a restart once a second packet confirms it
 * (RFC 3550 A.1 probation), so a single wild packet cannot reset the stream.
 */
export class JitterBuffer {
  private readonly depthPackets: number;
  private readonly maxDelayMs: number;
  private readonly held: HeldPacket[] = [];
  private ssrc: number | undefined;
  private highestIndex = 0;
  /** Undefined until the first release: the stream's first packets may still arrive out of order. */
  private nextIndex: number | undefined;
  private pendingNewSource = false;
  private readonly recentlyReleased = new Set<number>();
  private readonly retired: RetiredSource[] = [];
  private probation: { packet: RtpPacket; arrivalMs: number } | undefined;
  private readonly counters: JitterBufferStats = { received: 0, released: 0, duplicates: 0, late: 0, lost: 0, sourceChanges: 0 };

  constructor(options: JitterBufferOptions = {}) {
    this.depthPackets = Math.min(MAX_DEPTH, Math.max(0, Math.floor(options.depthPackets ?? 5)));
    this.maxDelayMs = Math.max(0, options.maxDelayMs ?? 100);
  }

  get stats(): Readonly<JitterBufferStats> {
    return { ...this.counters };
  }

  /** Packets currently held back (for tests and monitoring). */
  get heldCount(): number {
    return this.held.length;
  }

  /** Adds a packet; returns whatever can now leave, in order (possibly nothing, possibly several). */
  push(packet: RtpPacket, arrivalMs: number): ReleasedPacket[] {
    this.counters.received += 1;
    const released: ReleasedPacket[] = [];
    if (this.ssrc !== packet.ssrc) {
      if (this.isStrayFromRetiredSource(packet)) {
        this.counters.late += 1;
        return this.drain(arrivalMs);
      }
      this.startSource(packet, released);
    } else {
      const delta = signed16(packet.sequenceNumber - (this.highestIndex % SEQUENCE_MODULO));
      if (delta > MAX_DROPOUT || delta < -MAX_MISORDER) {
        if (!this.confirmRestart(packet, arrivalMs, released)) return [...released, ...this.drain(arrivalMs)];
      }
    }
    this.insert(packet, arrivalMs);
    released.push(...this.releaseReady(arrivalMs));
    return released;
  }

  /** Releases packets that have waited `maxDelayMs`; call it on a timer when packets stop coming. */
  drain(nowMs: number): ReleasedPacket[] {
    return this.releaseReady(nowMs);
  }

  /** Releases everything held, in order (end of the call). */
  flush(): ReleasedPacket[] {
    const released: ReleasedPacket[] = [];
    while (this.held.length > 0) released.push(this.releaseLowest());
    return released;
  }

  private startSource(packet: RtpPacket, released: ReleasedPacket[]): void {
    if (this.ssrc !== undefined) {
      released.push(...this.flush());
      this.retire(this.ssrc, this.nextIndex === undefined ? this.highestIndex : this.nextIndex - 1);
      this.counters.sourceChanges += 1;
    }
    this.ssrc = packet.ssrc;
    this.resetSequence(packet.sequenceNumber);
  }

  private resetSequence(sequenceNumber: number): void {
    this.highestIndex = INDEX_BASE + sequenceNumber;
    this.nextIndex = undefined;
    this.pendingNewSource = true;
    this.recentlyReleased.clear();
    this.probation = undefined;
  }

  /** Same SSRC, sequence far off: remember it; if the next packet follows it, the sender restarted. */
  private confirmRestart(packet: RtpPacket, arrivalMs: number, released: ReleasedPacket[]): boolean {
    const previous = this.probation;
    if (previous && packet.sequenceNumber === (previous.packet.sequenceNumber + 1) % SEQUENCE_MODULO) {
      released.push(...this.flush());
      this.counters.sourceChanges += 1;
      // It was counted late while on probation; it turns out to be the first of the restarted stream.
      this.counters.late -= 1;
      this.resetSequence(previous.packet.sequenceNumber);
      this.insert(previous.packet, previous.arrivalMs);
      return true;
    }
    this.counters.late += 1;
    this.probation = { packet, arrivalMs };
    return false;
  }

  private isStrayFromRetiredSource(packet: RtpPacket): boolean {
    const source = this.retired.find((candidate) => candidate.ssrc === packet.ssrc);
    if (!source) return false;
    const delta = signed16(packet.sequenceNumber - (source.lastIndex % SEQUENCE_MODULO));
    return delta <= 0 && delta > -MAX_MISORDER;
  }

  private retire(ssrc: number, lastIndex: number): void {
    const existing = this.retired.findIndex((source) => source.ssrc === ssrc);
    if (existing >= 0) this.retired.splice(existing, 1);
    this.retired.push({ ssrc, lastIndex });
    if (this.retired.length > RETIRED_SOURCES) this.retired.shift();
  }

  private insert(packet: RtpPacket, arrivalMs: number): void {
    const index = this.highestIndex + signed16(packet.sequenceNumber - (this.highestIndex % SEQUENCE_MODULO));
    if ((this.nextIndex !== undefined && index < this.nextIndex) || this.recentlyReleased.has(index)) {
      if (this.recentlyReleased.has(index)) this.counters.duplicates += 1;
      else this.counters.late += 1;
      return;
    }
    let position = this.held.length;
    while (position > 0 && this.held[position - 1].index > index) position -= 1;
    if (position > 0 && this.held[position - 1].index === index) {
      this.counters.duplicates += 1;
      return;
    }
    this.held.splice(position, 0, { index, packet, arrivalMs });
    if (index > this.highestIndex) this.highestIndex = index;
  }

  private releaseReady(nowMs: number): ReleasedPacket[] {
    const released: ReleasedPacket[] = [];
    while (this.held.length > 0) {
      const lowest = this.held[0];
      const inOrder = this.nextIndex !== undefined && lowest.index === this.nextIndex;
      const waitedEnough = this.held.length > this.depthPackets || nowMs - lowest.arrivalMs >= this.maxDelayMs;
      if (!inOrder && !waitedEnough) break;
      released.push(this.releaseLowest());
    }
    return released;
  }

  private releaseLowest(): ReleasedPacket {
    const lowest = this.held.shift() as HeldPacket;
    const lostBefore = this.nextIndex === undefined ? 0 : lowest.index - this.nextIndex;
    this.counters.lost += lostBefore;
    this.counters.released += 1;
    this.nextIndex = lowest.index + 1;
    this.recentlyReleased.add(lowest.index);
    if (this.recentlyReleased.size > RECENT_RELEASED) {
      // Sets iterate in insertion order: the first one is the oldest.
      const [oldest] = this.recentlyReleased;
      this.recentlyReleased.delete(oldest);
    }
    const newSource = this.pendingNewSource;
    this.pendingNewSource = false;
    return { packet: lowest.packet, arrivalMs: lowest.arrivalMs, lostBefore, newSource };
  }
}

function signed16(value: number): number {
  const wrapped = ((value % SEQUENCE_MODULO) + SEQUENCE_MODULO) % SEQUENCE_MODULO;
  return wrapped >= SEQUENCE_MODULO / 2 ? wrapped - SEQUENCE_MODULO : wrapped;
}
