/** Where a packet's samples go on the recording's clock, in samples since the recording's origin. */
export interface TimelinePlacement {
  position: number;
  /** The RTP timestamp did not follow on (new source, or a jump the wall clock does not explain): placed by arrival time. */
  reanchored: boolean;
}

export interface MediaTimelineOptions {
  /** Samples per second of the recording clock (8000 for G.711). */
  sampleRate?: number;
  /**
   * How far the RTP timestamps may run ahead of (or behind) the wall clock between two packets before the
   * timestamps are no longer trusted. Loss and silence suppression move both the same way; a sender that
   * restarts its timestamps, or resumes after hold with the old ones, moves only one.
   */
  maxTimestampJumpMs?: number;
}

interface Anchor {
  ssrc: number;
  timestamp: number;
  position: number;
}

/**
 * Maps one direction's packets (already in sequence order) to positions on a recording clock shared with
 * the other direction. Within a source, the RTP timestamp decides the position, so reordering, jitter,
 * loss and talkspurt gaps leave the audio exactly where the sender put it and the recorded duration equals
 * the media time. A new source, or a timestamp jump, is re-anchored on the arrival time, which is what the
 * other direction is aligned on too, so the two stay in step.
 */
export class MediaTimeline {
  private readonly samplesPerMs: number;
  private readonly maxJumpSamples: number;
  private anchor: Anchor | undefined;
  private lastPosition = 0;
  private lastArrivalPosition = 0;
  /** Position just after the last sample placed. */
  private endPosition = 0;
  private reanchors = 0;

  constructor(options: MediaTimelineOptions = {}) {
    this.samplesPerMs = (options.sampleRate ?? 8000) / 1000;
    this.maxJumpSamples = Math.round((options.maxTimestampJumpMs ?? 1000) * this.samplesPerMs);
  }

  /** Where the samples placed so far end. */
  get end(): number {
    return this.endPosition;
  }

  get reanchorCount(): number {
    return this.reanchors;
  }

  /**
   * @param arrivalMs when the packet arrived, in ms since the recording's origin (shared by both directions)
   * @param sampleCount how many samples the packet carries
   * @param newSource the jitter buffer saw a new SSRC or a sequence restart
   */
  place(packet: { ssrc: number; timestamp: number }, arrivalMs: number, sampleCount: number, newSource = false): TimelinePlacement {
    const arrivalPosition = Math.max(0, Math.round(arrivalMs * this.samplesPerMs));
    let position: number;
    let reanchored = false;
    const anchor = this.anchor;
    if (!anchor || newSource || anchor.ssrc !== packet.ssrc) {
      position = Math.max(this.endPosition, arrivalPosition);
      reanchored = true;
    } else {
      position = anchor.position + signed32(packet.timestamp - anchor.timestamp);
      const mediaElapsed = position - this.lastPosition;
      const wallElapsed = Math.max(0, arrivalPosition - this.lastArrivalPosition);
      if (mediaElapsed < 0 || Math.abs(mediaElapsed - wallElapsed) > this.maxJumpSamples) {
        position = Math.max(this.endPosition, this.lastPosition + wallElapsed);
        reanchored = true;
      }
    }
    if (reanchored) {
      if (anchor) this.reanchors += 1;
      this.anchor = { ssrc: packet.ssrc, timestamp: packet.timestamp >>> 0, position };
    }
    this.lastPosition = position;
    this.lastArrivalPosition = arrivalPosition;
    this.endPosition = Math.max(this.endPosition, position + sampleCount);
    return { position, reanchored };
  }
}

function signed32(value: number): number {
  return value | 0;
}
