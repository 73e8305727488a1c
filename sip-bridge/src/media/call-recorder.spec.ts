import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { readPcapFile } from '../testing/pcap-reader';
import { sippPcap } from '../testing/sipp-pcaps';
import { CallRecorder } from './call-recorder';
import { decodeG711, encodeG711 } from './g711';
import { type RtpPacket, parseRtpPacket } from './rtp-packet';

let directory: string;
beforeEach(() => (directory = mkdtempSync(join(tmpdir(), 'jiesu-recorder-'))));
afterEach(() => rmSync(directory, { recursive: true, force: true }));

interface WavReadBack {
  sampleRate: number;
  channels: number;
  bitDepth: string;
  frames: number;
  left: number[];
  right: number[];
}

function readWav(path: string): WavReadBack {
  const wav = new WaveFile(readFileSync(path));
  const fmt = wav.fmt as { sampleRate: number; numChannels: number };
  const [left, right] = wav.getSamples(false, Int16Array) as unknown as [Int16Array, Int16Array];
  return { sampleRate: fmt.sampleRate, channels: fmt.numChannels, bitDepth: wav.bitDepth, frames: left.length, left: Array.from(left), right: Array.from(right) };
}

/** A PCMA packet of `samples` samples all equal to `value`. */
function pcma(sequenceNumber: number, timestamp: number, value: number, options: { ssrc?: number; samples?: number } = {}): RtpPacket {
  const samples = new Int16Array(options.samples ?? 160).fill(value);
  return { marker: false, payloadType: 8, sequenceNumber, timestamp, ssrc: options.ssrc ?? 0x1111, csrcs: [], payload: Buffer.from(encodeG711('PCMA', samples)) };
}

describe('CallRecorder', () => {
  it('writes one 8 kHz stereo 16-bit WAV: caller left, agent right, aligned on the shared clock', async () => {
    const path = join(directory, 'aligned.wav');
    const sut = await CallRecorder.create({ path, clock: () => 0 });
    // Caller talks for 1 s from t=0 (1000 → 1008 in A-law); the agent joins at t=500 ms for 0.5 s.
    for (let n = 0; n < 50; n += 1) sut.receive('caller', pcma(n, 8000 + n * 160, 1000, { ssrc: 1 }), n * 20);
    for (let n = 0; n < 25; n += 1) sut.receive('agent', pcma(300 + n, 77 + n * 160, -1000, { ssrc: 2 }), 500 + n * 20);
    const result = await sut.close();

    expect(result).toEqual({ path, durationSeconds: 1, bytes: 44 + 8000 * 4 });
    expect(statSync(path).size).toBe(result.bytes);
    const wav = readWav(path);
    expect(wav).toMatchObject({ sampleRate: 8000, channels: 2, bitDepth: '16', frames: 8000 });
    expect(new Set(wav.left)).toEqual(new Set([1008]));
    expect(new Set(wav.right.slice(0, 4000))).toEqual(new Set([0]));
    expect(new Set(wav.right.slice(4000))).toEqual(new Set([-1008]));
  });

  it('skips telephone-event and comfort noise (silence) and counts them', async () => {
    const path = join(directory, 'events.wav');
    const sut = await CallRecorder.create({ path, clock: () => 0 });
    sut.receive('caller', pcma(1, 0, 1000), 0);
    sut.receive('caller', { ...pcma(2, 160, 0), payloadType: 101, payload: Buffer.from('010a00a0', 'hex') }, 20);
    sut.receive('caller', { ...pcma(3, 320, 0), payloadType: 13, payload: Buffer.from([40]) }, 40);
    sut.receive('caller', pcma(4, 480, 1000), 60);
    const result = await sut.close();
    expect(result.durationSeconds).toBe(0.08);
    const wav = readWav(path);
    expect(wav.left.slice(0, 160).every((sample) => sample === 1008)).toBe(true);
    expect(wav.left.slice(160, 480).every((sample) => sample === 0)).toBe(true);
    expect(wav.left.slice(480).every((sample) => sample === 1008)).toBe(true);
    expect(sut.stats('caller')).toMatchObject({ skippedPackets: 2, samples: 320, lost: 0 });
  });

  it('keeps the agent channel in step across a prompt (one SSRC), the agent (another) with a timestamp jump', async () => {
    const path = join(directory, 'sources.wav');
    const sut = await CallRecorder.create({ path, clock: () => 0, jitterBuffer: { depthPackets: 0 } });
    const arrivals: { channel: 'caller' | 'agent'; packet: RtpPacket; arrivalMs: number }[] = [];
    // Caller: continuous 2 s, the clock.
    for (let n = 0; n < 100; n += 1) arrivals.push({ channel: 'caller', packet: pcma(n, n * 160, 500), arrivalMs: n * 20 });
    // Agent side: prompt 0–0.4 s; the agent's phone 1.0–1.4 s, whose timestamps jump by an hour after 0.2 s.
    for (let n = 0; n < 20; n += 1) arrivals.push({ channel: 'agent', packet: pcma(n, 123_456 + n * 160, 1000, { ssrc: 7 }), arrivalMs: n * 20 });
    for (let n = 0; n < 20; n += 1) {
      const timestamp = n < 10 ? n * 160 : 8000 * 3600 + n * 160;
      arrivals.push({ channel: 'agent', packet: pcma(900 + n, timestamp, -1000, { ssrc: 8 }), arrivalMs: 1000 + n * 20 });
    }
    arrivals.sort((a, b) => a.arrivalMs - b.arrivalMs);
    for (const { channel, packet, arrivalMs } of arrivals) sut.receive(channel, packet, arrivalMs);
    const result = await sut.close();
    expect(result.durationSeconds).toBe(2);
    const wav = readWav(path);
    expect(new Set(wav.right.slice(0, 3200))).toEqual(new Set([1008]));
    expect(new Set(wav.right.slice(3200, 8000))).toEqual(new Set([0]));
    expect(new Set(wav.right.slice(8000, 11200))).toEqual(new Set([-1008]));
    expect(new Set(wav.right.slice(11200))).toEqual(new Set([0]));
    expect(sut.stats('agent')).toMatchObject({ sourceChanges: 1, reanchors: 2 });
  });

  it('streams to disk while the call goes on: audio older than the commit lag is in the file, half a second at a time', async () => {
    const path = join(directory, 'streaming.wav');
    const sut = await CallRecorder.create({ path, clock: () => 0, commitLagMs: 1000, commitChunkMs: 500 });
    for (let n = 0; n < 250; n += 1) sut.receive('caller', pcma(n, n * 160, 1000), n * 20); // 5 s
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Old enough: up to 4.98 s (last arrival) − 1 s lag = 3.98 s; written in whole chunks of 0.5 s: 3.5 s = 28 000
    // frames of 4 bytes (the last 0.48 s waits for the next chunk or the end).
    expect(statSync(path).size).toBe(44 + 28_000 * 4);
    // A packet for audio already on disk is dropped, not written out of place.
    sut.receive('caller', pcma(10, 10 * 160, -1000), 5000);
    const result = await sut.close();
    expect(result.durationSeconds).toBe(5);
    expect(sut.stats('caller').late).toBe(1);
  });

  it('writes silence for a quiet stretch when flushed on a timer (both sides on hold)', async () => {
    const path = join(directory, 'hold.wav');
    let now = 0;
    const sut = await CallRecorder.create({ path, clock: () => now, commitLagMs: 500 });
    sut.receive('caller', pcma(1, 0, 1000), 0);
    now = 3000;
    sut.flush();
    now = 3020;
    sut.receive('caller', pcma(2, 3000 * 8, 1000), 3000);
    const result = await sut.close();
    expect(result.durationSeconds).toBe(3.02);
    const wav = readWav(path);
    expect(wav.left.slice(160, 24_000).every((sample) => sample === 0)).toBe(true);
    expect(wav.left.slice(24_000).every((sample) => sample === 1008)).toBe(true);
  });

  it('given the call’s end, runs to it: silence after the last packet, never shorter than the audio placed', async () => {
    const path = join(directory, 'to-the-end.wav');
    const sut = await CallRecorder.create({ path, clock: () => 0 });
    sut.receive('agent', pcma(1, 0, 700), 1000); // origin: 20 ms of audio at 1.000 s
    sut.receive('agent', pcma(2, 160, 700), 1020);
    // The hangup 300 ms after the last packet (the rest of a prompt skipped by a stall): 340 ms in all.
    const result = await sut.close(1340);
    expect(result.durationSeconds).toBe(0.34);
    const wav = readWav(path);
    expect(wav.right.slice(0, 320).every((sample) => sample !== 0)).toBe(true);
    expect(wav.right.slice(320).every((sample) => sample === 0)).toBe(true);
    expect(wav.right).toHaveLength(0.34 * 8000);
    // An end before the last sample placed (the peer's timestamps run fast) keeps all the audio.
    const early = await CallRecorder.create({ path: join(directory, 'early-end.wav'), clock: () => 0 });
    early.receive('caller', pcma(1, 0, 700), 0);
    early.receive('caller', pcma(2, 160, 700), 10);
    expect((await early.close(15)).durationSeconds).toBe(0.04);
  });

  it('an empty call gives a valid empty WAV', async () => {
    const path = join(directory, 'empty.wav');
    const result = await (await CallRecorder.create({ path })).close();
    expect(result).toEqual({ path, durationSeconds: 0, bytes: 44 });
    expect(readWav(path)).toMatchObject({ sampleRate: 8000, channels: 2, frames: 0 });
  });

  it('says which file it cannot create', async () => {
    await expect(CallRecorder.create({ path: join(directory, 'missing', 'x.wav') })).rejects.toThrow(
      `Cannot create call recording ${join(directory, 'missing', 'x.wav')}`,
    );
  });
});

const g711aPath = sippPcap('g711a.pcap');

(g711aPath ? describe : describe.skip)("CallRecorder replaying SIPp's g711a.pcap", () => {
  const capture = g711aPath ? readPcapFile(g711aPath) : { datagrams: [] };
  const startMs = capture.datagrams[0]?.capturedAtMs ?? 0;
  const packets = capture.datagrams.map((datagram) => ({ packet: parseRtpPacket(datagram.payload), arrivalMs: datagram.capturedAtMs - startMs }));
  // 236 packets of 240 samples, timestamps 240..56640: the media time is (56640 + 240 − 240) / 8000 = 7.08 s.
  const mediaSeconds = 7.08;

  /** A fixed pseudo-random sequence (LCG), so a failure reproduces. */
  function random(seed: number): () => number {
    let state = seed;
    return () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  }

  async function record(name: string, stream: { packet: RtpPacket; arrivalMs: number }[]) {
    const path = join(directory, `${name}.wav`);
    const sut = await CallRecorder.create({ path, clock: () => 0 });
    for (const { packet, arrivalMs } of stream) sut.receive('caller', packet, arrivalMs);
    const result = await sut.close();
    return { result, wav: readWav(path), stats: sut.stats('caller') };
  }

  /** The samples of the packet with this timestamp, where the recording must have them. */
  function expectPacketAt(left: number[], packet: RtpPacket) {
    const position = packet.timestamp - 240;
    expect(left.slice(position, position + 240)).toEqual(Array.from(decodeG711('PCMA', packet.payload)));
  }

  it('in order: 7.08 s, every sample where the timestamps put it', async () => {
    const { result, wav, stats } = await record('in-order', packets);
    expect(wav).toMatchObject({ sampleRate: 8000, channels: 2 });
    expect(result.durationSeconds).toBe(mediaSeconds);
    expect(wav.left).toEqual(packets.flatMap(({ packet }) => Array.from(decodeG711('PCMA', packet.payload))));
    expect(stats).toMatchObject({ received: 236, released: 236, lost: 0, late: 0, duplicates: 0 });
  });

  it('reordered (every 5th pair swapped, arriving 25 ms late): same audio', async () => {
    const reordered = [...packets];
    for (let index = 0; index + 1 < reordered.length; index += 5) {
      const first = reordered[index];
      reordered[index] = reordered[index + 1];
      reordered[index + 1] = { ...first, arrivalMs: first.arrivalMs + 25 };
    }
    const { result, wav, stats } = await record('reordered', reordered);
    expect(Math.abs(result.durationSeconds - mediaSeconds) / mediaSeconds).toBeLessThan(0.01);
    expect(wav.left).toEqual(packets.flatMap(({ packet }) => Array.from(decodeG711('PCMA', packet.payload))));
    expect(stats).toMatchObject({ lost: 0, late: 0 });
  });

  it('with 5 % loss: duration within 1 %, silence where packets were lost, the rest in place', async () => {
    const chance = random(12345);
    const kept = packets.filter((_packet, index) => index === 0 || chance() >= 0.05);
    const lostCount = packets.length - kept.length;
    expect(lostCount).toBeGreaterThan(5);
    const { result, wav, stats } = await record('lossy', kept);
    expect(Math.abs(result.durationSeconds - mediaSeconds) / mediaSeconds).toBeLessThan(0.01);
    for (const { packet } of kept) expectPacketAt(wav.left, packet);
    const keptTimestamps = new Set(kept.map(({ packet }) => packet.timestamp));
    const lostWithinRecording = packets.filter(({ packet }) => !keptTimestamps.has(packet.timestamp) && packet.timestamp - 240 < wav.frames);
    for (const { packet } of lostWithinRecording) expect(new Set(wav.left.slice(packet.timestamp - 240, packet.timestamp))).toEqual(new Set([0]));
    // A loss is known once a later packet arrives: the gaps before the last packet received.
    const lastKept = packets.indexOf(kept[kept.length - 1]);
    expect(stats.lost).toBe(lastKept + 1 - kept.length);
  });

  it('duplicated (every packet twice, the copy 3 ms later): same audio, duplicates counted', async () => {
    const doubled = packets.flatMap((entry) => [entry, { ...entry, arrivalMs: entry.arrivalMs + 3 }]);
    const { result, wav, stats } = await record('duplicated', doubled);
    expect(result.durationSeconds).toBe(mediaSeconds);
    expect(wav.left).toEqual(packets.flatMap(({ packet }) => Array.from(decodeG711('PCMA', packet.payload))));
    expect(stats.duplicates).toBe(236);
  });

  it('all of it at once (loss, reordering, duplicates, jitter) stays within 1 %', async () => {
    const chance = random(777);
    const messy = packets
      .filter(() => chance() >= 0.05)
      .flatMap((entry) => (chance() < 0.05 ? [entry, entry] : [entry]))
      .map((entry) => ({ ...entry, arrivalMs: entry.arrivalMs + chance() * 60 }))
      .sort((a, b) => a.arrivalMs - b.arrivalMs);
    const { result } = await record('messy', messy);
    expect(Math.abs(result.durationSeconds - mediaSeconds) / mediaSeconds).toBeLessThan(0.01);
  });
});
