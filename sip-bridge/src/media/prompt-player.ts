import { readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { WaveFile } from 'wavefile';
import { errorMessage } from './error-message';
import { type G711Codec, G711_PAYLOAD_TYPES, G711_SAMPLE_RATE, encodeG711, g711SilenceByte } from './g711';
import type { RtpPacket } from './rtp-packet';
import { type MediaScheduler, systemScheduler } from './scheduler';

/** 20 ms of 8 kHz audio: the packetisation every G.711 phone expects by default (ptime 20). */
export const SAMPLES_PER_PACKET = 160;
export const PACKET_INTERVAL_MS = 20;

/** A prompt decoded once to 8 kHz PCM16 and kept in memory (they are a few seconds each). */
export interface Prompt {
  name: string;
  samples: Int16Array;
}

/** Loads an 8 kHz mono WAV, 16-bit PCM or G.711 (A-law / μ-law); other formats are refused with the reason. */
export function loadPrompt(path: string, name = path): Prompt {
  let wav: WaveFile;
  try {
    wav = new WaveFile(readFileSync(path));
  } catch (error) {
    throw new Error(`Cannot load prompt ${path}: ${errorMessage(error)}`, { cause: error });
  }
  const fmt = wav.fmt as { sampleRate: number; numChannels: number; audioFormat: number };
  if (fmt.sampleRate !== G711_SAMPLE_RATE || fmt.numChannels !== 1)
    throw new Error(`Prompt ${path} is ${fmt.sampleRate} Hz, ${fmt.numChannels} channel(s); it must be 8000 Hz mono (run scripts/generate-prompts.mjs)`);
  if (fmt.audioFormat === 6) wav.fromALaw();
  else if (fmt.audioFormat === 7) wav.fromMuLaw();
  else if (!(fmt.audioFormat === 1 && wav.bitDepth === '16'))
    throw new Error(`Prompt ${path} is format ${fmt.audioFormat} at ${wav.bitDepth} bits; it must be 16-bit PCM, A-law or μ-law`);
  const samples = wav.getSamples(false, Int16Array) as unknown as Int16Array;
  if (samples.length === 0) throw new Error(`Prompt ${path} holds no audio`);
  return { name, samples };
}

/** Each prompt encoded once per codec for every call of the process (calls share the prompts). */
const encodedPrompts = new WeakMap<Prompt, Partial<Record<G711Codec, Uint8Array>>>();

export interface PromptPlayerOptions {
  codec: G711Codec;
  /** Sends one packet; a failure is the transport's business, the pacing goes on. */
  send: (packet: RtpPacket) => void;
  scheduler?: MediaScheduler;
  /** RTP state; random by default (RFC 3550 §5.1), fixed in tests. */
  ssrc?: number;
  initialSequenceNumber?: number;
  initialTimestamp?: number;
  /**
   * A timer that fires late sends the packets it missed at once, up to this many; beyond that (the event
   * loop stalled) the missed audio is skipped rather than burst at the phone, keeping the schedule.
   */
  maxCatchUpPackets?: number;
}

export type PlayOutcome = 'finished' | 'stopped';

interface Playback {
  encoded: Uint8Array;
  sampleCount: number;
  loop: boolean;
  startMs: number;
  /** Index of the next packet of this playback (packet n is due at startMs + n × 20 ms). */
  nextPacket: number;
  firstTimestamp: number;
  cancelTimer: () => void;
  resolve: (outcome: PlayOutcome) => void;
}

/**
 * Plays prompts to one call leg as G.711 RTP, 160 samples (20 ms) per packet. One player is one RTP
 * stream: the sequence number and timestamp continue across prompts and loops, and the first packet of
 * each prompt (a new talkspurt) carries the marker bit. Packet n of a playback is due at start + n × 20 ms
 * on an absolute schedule, so timer lateness never accumulates into drift. `stop()` takes effect at once
 * (barge-in on a DTMF key).
 */
export class PromptPlayer {
  private readonly codec: G711Codec;
  private readonly payloadType: number;
  private readonly send: (packet: RtpPacket) => void;
  private readonly scheduler: MediaScheduler;
  private readonly maxCatchUpPackets: number;
  readonly ssrc: number;
  private sequenceNumber: number;
  /** The timestamp the next packet would carry if sent now, continuing the stream. */
  private nextTimestamp: number;
  /** When the last packet sent was due (its place on the schedule, not when a late timer sent it). */
  private lastPacketDueMs: number | undefined;
  private playback: Playback | undefined;
  private skipped = 0;

  constructor(options: PromptPlayerOptions) {
    this.codec = options.codec;
    this.payloadType = G711_PAYLOAD_TYPES[options.codec];
    this.send = options.send;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.maxCatchUpPackets = options.maxCatchUpPackets ?? 3;
    this.ssrc = (options.ssrc ?? randomInt(0, 2 ** 32)) >>> 0;
    this.sequenceNumber = (options.initialSequenceNumber ?? randomInt(0, 0x10000)) & 0xffff;
    this.nextTimestamp = (options.initialTimestamp ?? randomInt(0, 2 ** 32)) >>> 0;
  }

  get playing(): boolean {
    return this.playback !== undefined;
  }

  /**
   * Packets of prompt audio skipped so far because a timer fired more than `maxCatchUpPackets` late (the
   * process stalled): the caller heard, and the recording holds, that much less of the prompts.
   */
  get skippedPackets(): number {
    return this.skipped;
  }

  /**
   * Plays `prompt` (stopping whatever is playing). With `loop`, it repeats seamlessly until `stop()`
   * (the queue's waiting prompt). Resolves 'finished' after its last packet, or 'stopped'.
   */
  play(prompt: Prompt, options: { loop?: boolean } = {}): Promise<PlayOutcome> {
    this.stop();
    const now = this.scheduler.now();
    // RTP time runs on while nothing is sent: the new talkspurt starts where the clock is now.
    if (this.lastPacketDueMs !== undefined) {
      const silentSamples = Math.round(((now - this.lastPacketDueMs) * G711_SAMPLE_RATE) / 1000) - SAMPLES_PER_PACKET;
      this.nextTimestamp = (this.nextTimestamp + Math.max(0, silentSamples)) >>> 0;
    }
    return new Promise((resolve) => {
      this.playback = {
        encoded: this.encode(prompt),
        sampleCount: prompt.samples.length,
        loop: options.loop ?? false,
        startMs: now,
        nextPacket: 0,
        firstTimestamp: this.nextTimestamp,
        cancelTimer: () => undefined,
        resolve,
      };
      this.sendDue();
    });
  }

  /** Stops at once: no packet is sent after this returns. */
  stop(): void {
    const playback = this.playback;
    if (!playback) return;
    this.playback = undefined;
    playback.cancelTimer();
    playback.resolve('stopped');
  }

  private encode(prompt: Prompt): Uint8Array {
    let byCodec = encodedPrompts.get(prompt);
    if (byCodec === undefined) encodedPrompts.set(prompt, (byCodec = {}));
    return (byCodec[this.codec] ??= encodeG711(this.codec, prompt.samples));
  }

  private sendDue(): void {
    const playback = this.playback;
    if (!playback) return;
    const now = this.scheduler.now();
    const dueCount = Math.floor((now - playback.startMs) / PACKET_INTERVAL_MS) + 1 - playback.nextPacket;
    const totalPackets = playback.loop ? Infinity : Math.ceil(playback.sampleCount / SAMPLES_PER_PACKET);
    if (dueCount > this.maxCatchUpPackets) {
      const skipped = Math.min(dueCount - this.maxCatchUpPackets, totalPackets - playback.nextPacket);
      playback.nextPacket += skipped;
      this.skipped += skipped;
    }
    while (this.playback === playback && playback.nextPacket < totalPackets && playback.startMs + playback.nextPacket * PACKET_INTERVAL_MS <= now) {
      this.sendPacket(playback);
    }
    if (this.playback !== playback) return;
    if (playback.nextPacket >= totalPackets) {
      this.playback = undefined;
      playback.resolve('finished');
      return;
    }
    playback.cancelTimer = this.scheduler.at(playback.startMs + playback.nextPacket * PACKET_INTERVAL_MS, () => this.sendDue());
  }

  private sendPacket(playback: Playback): void {
    const index = playback.nextPacket;
    const encoded = playback.encoded;
    const payload = Buffer.allocUnsafe(SAMPLES_PER_PACKET);
    let first = index * SAMPLES_PER_PACKET;
    if (playback.loop) first %= playback.sampleCount;
    let filled = 0;
    while (filled < SAMPLES_PER_PACKET) {
      const part = encoded.subarray(first, first + SAMPLES_PER_PACKET - filled);
      if (part.length === 0) {
        // The last packet of a prompt: padded with silence.
        payload.fill(g711SilenceByte(this.codec), filled);
        break;
      }
      payload.set(part, filled);
      filled += part.length;
      // A looping prompt goes on from its start within the packet.
      first = playback.loop ? 0 : first + part.length;
    }
    const timestamp = (playback.firstTimestamp + index * SAMPLES_PER_PACKET) >>> 0;
    const packet: RtpPacket = {
      marker: index === 0,
      payloadType: this.payloadType,
      sequenceNumber: this.sequenceNumber,
      timestamp,
      ssrc: this.ssrc,
      csrcs: [],
      payload,
    };
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.nextTimestamp = (timestamp + SAMPLES_PER_PACKET) >>> 0;
    this.lastPacketDueMs = playback.startMs + index * PACKET_INTERVAL_MS;
    playback.nextPacket = index + 1;
    this.send(packet);
  }
}
