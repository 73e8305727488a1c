import { once } from 'node:events';
import { type WriteStream, createWriteStream, promises as fs } from 'node:fs';
import { endianness } from 'node:os';
import { WaveFile } from 'wavefile';
import type { Logger } from '../logger';
import { errorMessage } from './error-message';
import { type G711Codec, G711_SAMPLE_RATE, codecForStaticPayloadType, decodeG711 } from './g711';
import { JitterBuffer, type JitterBufferOptions, type JitterBufferStats, type ReleasedPacket } from './jitter-buffer';
import { MediaTimeline } from './media-timeline';
import type { RtpPacket } from './rtp-packet';

/**
 * The two sides of a call in the recording: `caller` (left channel) is what the citizen (来电人) says;
 * `agent` (right channel) is everything the citizen hears — the bridge's prompts and the agent's voice.
 */
export type RecordingChannel = 'caller' | 'agent';
const CHANNELS: readonly RecordingChannel[] = ['caller', 'agent'];
const CHANNEL_COUNT = 2;
const BYTES_PER_FRAME = CHANNEL_COUNT * 2;

export interface CallRecorderOptions {
  path: string;
  /** Milliseconds on a monotonic clock; injectable for tests. */
  clock?: () => number;
  /**
   * Payload types that carry G.711 (static 0 and 8 by default; add a dynamic one if an SDP maps it).
   * Everything else on the stream (telephone-event, comfort noise) is skipped: silence in the recording.
   */
  payloadCodecs?: Readonly<Record<number, G711Codec>>;
  jitterBuffer?: JitterBufferOptions;
  /** Audio is written to disk once it is this old; later packets for it are dropped (and counted). */
  commitLagMs?: number;
  /**
   * Audio old enough is written once this much of it has gathered (one write instead of one per packet: a call
   * receives a hundred packets a second). Default 250 ms; `close()` writes the rest whatever its length.
   */
  commitChunkMs?: number;
  /** At most this much audio ahead of the committed part is kept in memory. */
  maxPendingMs?: number;
  /** See MediaTimelineOptions.maxTimestampJumpMs. */
  maxTimestampJumpMs?: number;
  logger?: Logger;
}

export interface RecordingResult {
  path: string;
  durationSeconds: number;
  /** Size of the WAV file, header included. */
  bytes: number;
}

export interface ChannelStats extends JitterBufferStats {
  /** Audio samples written to the channel (excluding the silence filled in for gaps). */
  samples: number;
  /** Samples that arrived for audio already on disk, or too far ahead; dropped. */
  droppedSamples: number;
  /** Packets whose payload type is not G.711 (telephone-event, comfort noise, unknown). */
  skippedPackets: number;
  reanchors: number;
}

interface ChannelState {
  index: number;
  jitterBuffer: JitterBuffer;
  timeline: MediaTimeline;
  samples: number;
  droppedSamples: number;
  skippedPackets: number;
}

/** Frames of silence written per chunk when a long quiet stretch is committed at once. */
const SILENCE_CHUNK_FRAMES = G711_SAMPLE_RATE;

/**
 * Records both directions of a call into ONE stereo WAV, 8 kHz, 16-bit PCM: caller left, agent right.
 * Both channels sit on one clock whose origin is the first audio packet of the call; each direction is
 * put in order by its jitter buffer and placed by its RTP timestamps (MediaTimeline), so loss, jitter,
 * reordering and duplicates change neither the duration nor the alignment. Audio is streamed to disk
 * `commitLagMs` behind real time, `commitChunkMs` at a time: memory stays bounded however long the call.
 * The WAV header is written first with zero sizes and patched by `close()`.
 */
export class CallRecorder {
  private readonly clock: () => number;
  private readonly payloadCodecs: Readonly<Record<number, G711Codec>>;
  private readonly commitLagFrames: number;
  private readonly commitChunkFrames: number;
  private readonly maxPendingFrames: number;
  private readonly channels: Record<RecordingChannel, ChannelState>;
  private readonly logger: Logger | undefined;
  private originMs: number | undefined;
  /** Interleaved frames from `committedFrames` on; zero where nothing has been placed (silence). */
  private pending = new Int16Array(G711_SAMPLE_RATE * CHANNEL_COUNT);
  private committedFrames = 0;
  /** One past the last frame holding placed audio. */
  private placedEndFrame = 0;
  private writeError: Error | undefined;
  private closing: Promise<RecordingResult> | undefined;

  private constructor(
    private readonly path: string,
    private readonly stream: WriteStream,
    options: CallRecorderOptions,
  ) {
    this.clock = options.clock ?? (() => performance.now());
    this.payloadCodecs = options.payloadCodecs ?? { 0: 'PCMU', 8: 'PCMA' };
    this.commitLagFrames = msToFrames(options.commitLagMs ?? 1000);
    this.commitChunkFrames = msToFrames(options.commitChunkMs ?? 250);
    this.maxPendingFrames = Math.max(this.commitLagFrames * 2 + this.commitChunkFrames, msToFrames(options.maxPendingMs ?? 10_000));
    this.logger = options.logger;
    const channel = (index: number): ChannelState => ({
      index,
      jitterBuffer: new JitterBuffer(options.jitterBuffer),
      timeline: new MediaTimeline({ sampleRate: G711_SAMPLE_RATE, maxTimestampJumpMs: options.maxTimestampJumpMs }),
      samples: 0,
      droppedSamples: 0,
      skippedPackets: 0,
    });
    this.channels = { caller: channel(0), agent: channel(1) };
    stream.on('error', (error) => {
      this.writeError ??= error;
      this.logger?.error('Call recording write failed', { path, error });
    });
  }

  /** Creates the file (overwriting it) with a placeholder header. */
  static async create(options: CallRecorderOptions): Promise<CallRecorder> {
    const stream = createWriteStream(options.path, { flags: 'w' });
    try {
      // `once` rejects with the stream's error if it fails to open (missing folder, no permission).
      await once(stream, 'open');
    } catch (error) {
      throw new Error(`Cannot create call recording ${options.path}: ${errorMessage(error)}`, { cause: error });
    }
    stream.write(wavHeader(0));
    return new CallRecorder(options.path, stream, options);
  }

  /** One RTP packet of one direction. Never throws for what the packet contains. */
  receive(channel: RecordingChannel, packet: RtpPacket, arrivalMs: number = this.clock()): void {
    if (this.closing) return;
    this.originMs ??= arrivalMs;
    const state = this.channels[channel];
    for (const released of state.jitterBuffer.push(packet, arrivalMs)) this.place(state, released);
    this.commit(this.clockFrames(arrivalMs) - this.commitLagFrames);
  }

  /** Releases packets that waited long enough and writes what is old enough; call it periodically. */
  flush(nowMs: number = this.clock()): void {
    if (this.closing || this.originMs === undefined) return;
    for (const channel of CHANNELS) {
      const state = this.channels[channel];
      for (const released of state.jitterBuffer.drain(nowMs)) this.place(state, released);
    }
    this.commit(this.clockFrames(nowMs) - this.commitLagFrames);
  }

  stats(channel: RecordingChannel): ChannelStats {
    const state = this.channels[channel];
    return {
      ...state.jitterBuffer.stats,
      samples: state.samples,
      droppedSamples: state.droppedSamples,
      skippedPackets: state.skippedPackets,
      reanchors: state.timeline.reanchorCount,
    };
  }

  /**
   * Writes what is still held, up to the last sample received on either side, and finalises the header. Given
   * `endMs`, the call's end on the recorder's clock, the recording runs at least to that instant: a prompt whose
   * last packets a stalled bridge skipped just before the hangup leaves silence there, not a shorter file, so the
   * recording's duration stays the call's media time.
   */
  close(endMs?: number): Promise<RecordingResult> {
    this.closing ??= this.finish(endMs);
    return this.closing;
  }

  private async finish(endMs: number | undefined): Promise<RecordingResult> {
    for (const channel of CHANNELS) {
      const state = this.channels[channel];
      for (const released of state.jitterBuffer.flush()) this.place(state, released);
    }
    const endFrame = endMs === undefined || this.originMs === undefined ? 0 : this.clockFrames(endMs);
    this.commit(Math.max(this.placedEndFrame, endFrame), { all: true });
    this.stream.end();
    await once(this.stream, 'close').catch(() => undefined);
    if (this.writeError) throw new Error(`Call recording ${this.path} is incomplete: ${this.writeError.message}`, { cause: this.writeError });
    const dataBytes = this.committedFrames * BYTES_PER_FRAME;
    const file = await fs.open(this.path, 'r+');
    try {
      // RIFF chunk size (file size − 8) at byte 4, data chunk size at byte 40.
      const size = Buffer.alloc(4);
      size.writeUInt32LE(36 + dataBytes, 0);
      await file.write(size, 0, 4, 4);
      size.writeUInt32LE(dataBytes, 0);
      await file.write(size, 0, 4, 40);
    } finally {
      await file.close();
    }
    return { path: this.path, durationSeconds: this.committedFrames / G711_SAMPLE_RATE, bytes: 44 + dataBytes };
  }

  private place(state: ChannelState, released: ReleasedPacket): void {
    const { packet } = released;
    const codec = this.payloadCodecs[packet.payloadType] ?? codecForStaticPayloadType(packet.payloadType);
    if (!codec || packet.payload.length === 0) {
      state.skippedPackets += 1;
      return;
    }
    const samples = decodeG711(codec, packet.payload);
    const arrival = released.arrivalMs - (this.originMs ?? released.arrivalMs);
    const { position } = state.timeline.place(packet, arrival, samples.length, released.newSource);
    this.write(state, position, samples);
  }

  private write(state: ChannelState, position: number, samples: Int16Array): void {
    const firstFrame = Math.max(position, this.committedFrames);
    const endFrame = Math.min(position + samples.length, this.committedFrames + this.maxPendingFrames);
    const written = Math.max(0, endFrame - firstFrame);
    state.droppedSamples += samples.length - written;
    if (written === 0) return;
    this.ensurePending(endFrame - this.committedFrames);
    let offset = (firstFrame - this.committedFrames) * CHANNEL_COUNT + state.index;
    for (let sample = firstFrame - position; sample < endFrame - position; sample += 1) {
      this.pending[offset] = samples[sample];
      offset += CHANNEL_COUNT;
    }
    state.samples += written;
    this.placedEndFrame = Math.max(this.placedEndFrame, endFrame);
  }

  private ensurePending(frames: number): void {
    if (frames * CHANNEL_COUNT <= this.pending.length) return;
    let length = this.pending.length;
    while (length < frames * CHANNEL_COUNT) length *= 2;
    const grown = new Int16Array(length);
    grown.set(this.pending);
    this.pending = grown;
  }

  /**
   * Writes frames up to (not including) `untilFrame`, silence where nothing was placed: once at least
   * `commitChunkFrames` are due, or whatever is due with `all` (the end).
   */
  private commit(untilFrame: number, { all = false }: { all?: boolean } = {}): void {
    if (untilFrame <= this.committedFrames || this.writeError) return;
    if (!all && untilFrame - this.committedFrames < this.commitChunkFrames) return;
    const pendingFrames = Math.min(untilFrame, this.placedEndFrame) - this.committedFrames;
    if (pendingFrames > 0) {
      const pcm = this.pending.subarray(0, pendingFrames * CHANNEL_COUNT);
      this.stream.write(int16ToLittleEndian(pcm));
      this.pending.copyWithin(0, pendingFrames * CHANNEL_COUNT);
      this.pending.fill(0, this.pending.length - pendingFrames * CHANNEL_COUNT);
      this.committedFrames += pendingFrames;
    }
    let silentFrames = untilFrame - this.committedFrames;
    while (silentFrames > 0) {
      const frames = Math.min(silentFrames, SILENCE_CHUNK_FRAMES);
      this.stream.write(Buffer.alloc(frames * BYTES_PER_FRAME));
      this.committedFrames += frames;
      silentFrames -= frames;
    }
    this.placedEndFrame = Math.max(this.placedEndFrame, this.committedFrames);
  }

  private clockFrames(nowMs: number): number {
    return msToFrames(nowMs - (this.originMs ?? nowMs));
  }
}

function msToFrames(ms: number): number {
  return Math.floor((ms * G711_SAMPLE_RATE) / 1000);
}

/** The 44-byte canonical header of an 8 kHz stereo 16-bit PCM WAV holding `dataBytes` of audio. */
function wavHeader(dataBytes: number): Buffer {
  const wav = new WaveFile();
  wav.fromScratch(CHANNEL_COUNT, G711_SAMPLE_RATE, '16', [new Int16Array(0), new Int16Array(0)]);
  const header = Buffer.from(wav.toBuffer());
  header.writeUInt32LE(36 + dataBytes, 4);
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** A copy of `samples` as WAV bytes (the caller reuses its array). */
function int16ToLittleEndian(samples: Int16Array): Buffer {
  if (LITTLE_ENDIAN_HOST) return Buffer.from(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  const bytes = Buffer.alloc(samples.length * 2);
  for (let index = 0; index < samples.length; index += 1) bytes.writeInt16LE(samples[index], index * 2);
  return bytes;
}
