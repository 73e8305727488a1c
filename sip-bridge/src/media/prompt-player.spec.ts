import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { FakeScheduler } from '../testing/fake-scheduler';
import { decodeG711, encodeG711 } from './g711';
import { type Prompt, PromptPlayer, loadPrompt } from './prompt-player';
import type { RtpPacket } from './rtp-packet';

/** A prompt whose sample n is n (mod 4000), so every packet's content says where it came from. */
function ramp(length: number): Prompt {
  return { name: `ramp${length}`, samples: Int16Array.from({ length }, (_value, index) => index % 4000) };
}

interface Sent {
  atMs: number;
  packet: RtpPacket;
}

function setUp(options: { start?: number } = {}) {
  const scheduler = new FakeScheduler(options.start ?? 1000);
  const sent: Sent[] = [];
  const sut = new PromptPlayer({
    codec: 'PCMA',
    scheduler,
    ssrc: 0xcafe,
    initialSequenceNumber: 100,
    initialTimestamp: 5000,
    send: (packet) => sent.push({ atMs: scheduler.now(), packet }),
  });
  return { scheduler, sent, sut };
}

const summary = (sent: Sent[]) => sent.map(({ atMs, packet }) => [atMs, packet.sequenceNumber, packet.timestamp, packet.marker]);

describe('PromptPlayer', () => {
  it('sends 160-sample packets every 20 ms, marker on the first, the last one padded with silence', async () => {
    const { scheduler, sent, sut } = setUp();
    const played = sut.play(ramp(400));
    scheduler.advanceBy(1000);
    await expect(played).resolves.toBe('finished');
    expect(summary(sent)).toEqual([
      [1000, 100, 5000, true],
      [1020, 101, 5160, false],
      [1040, 102, 5320, false],
    ]);
    expect(sent.every(({ packet }) => packet.payloadType === 8 && packet.ssrc === 0xcafe && packet.payload.length === 160)).toBe(true);
    const last = Array.from(sent[2].packet.payload);
    expect(last.slice(0, 80)).toEqual(Array.from(encodeG711('PCMA', ramp(400).samples.subarray(320, 400))));
    expect(new Set(last.slice(80))).toEqual(new Set([0xd5]));
    expect(scheduler.pendingTimers).toBe(0);
  });

  it('continues sequence and timestamp into the next prompt, the timestamp advanced by the silence between', async () => {
    const { scheduler, sent, sut } = setUp();
    void sut.play(ramp(320));
    scheduler.advanceTo(1100);
    // Last packet due at 1020 (ts 5160); 80 ms later the clock has moved 640 samples: 5800.
    const second = sut.play(ramp(160));
    scheduler.advanceBy(100);
    await expect(second).resolves.toBe('finished');
    expect(summary(sent)).toEqual([
      [1000, 100, 5000, true],
      [1020, 101, 5160, false],
      [1100, 102, 5800, true],
    ]);
  });

  it('loops seamlessly until stopped: samples wrap inside a packet, no marker between loops, nothing after stop', async () => {
    const { scheduler, sent, sut } = setUp();
    const prompt = ramp(240);
    const played = sut.play(prompt, { loop: true });
    scheduler.advanceTo(1080);
    expect(summary(sent).map(([, seq, ts, marker]) => [seq, ts, marker])).toEqual([
      [100, 5000, true],
      [101, 5160, false],
      [102, 5320, false],
      [103, 5480, false],
      [104, 5640, false],
    ]);
    // Packet 1 = samples 160..239 then 0..79 of the next loop.
    const expected = Int16Array.from([...prompt.samples.subarray(160, 240), ...prompt.samples.subarray(0, 80)]);
    expect(Array.from(sent[1].packet.payload)).toEqual(Array.from(encodeG711('PCMA', expected)));
    sut.stop();
    await expect(played).resolves.toBe('stopped');
    scheduler.advanceBy(1000);
    expect(sent).toHaveLength(5);
    expect(scheduler.pendingTimers).toBe(0);
  });

  it('loops a prompt shorter than a packet: it repeats within each packet, each continuing where the last one ended', () => {
    const { scheduler, sent, sut } = setUp();
    const prompt = ramp(70);
    void sut.play(prompt, { loop: true });
    scheduler.advanceTo(1020);
    const stream = Array.from({ length: 320 }, (_value, index) => prompt.samples[index % 70]);
    expect(sent.map(({ packet }) => Array.from(packet.payload))).toEqual([
      Array.from(encodeG711('PCMA', Int16Array.from(stream.slice(0, 160)))),
      Array.from(encodeG711('PCMA', Int16Array.from(stream.slice(160, 320)))),
    ]);
    sut.stop();
  });

  it('paces on an absolute schedule: timers firing 7 ms late do not accumulate drift', () => {
    const { scheduler, sent, sut } = setUp();
    void sut.play(ramp(8000), { loop: true });
    scheduler.advanceTo(2000, 7);
    // A setTimeout(20) chain would drift to 1000, 1027, 1054, 1081…; here packet n goes at 1000 + 20n + 7.
    expect(sent.slice(0, 5).map(({ atMs }) => atMs)).toEqual([1000, 1027, 1047, 1067, 1087]);
    expect(sent).toHaveLength(50); // packets due at 1000..1980, the one due at 1980 sent at 1987
    expect(sent.at(-1)?.packet.timestamp).toBe(5000 + 49 * 160);
  });

  it('after a stall sends at most 3 missed packets at once, then skips ahead (sequence contiguous, timestamps on schedule)', () => {
    const { scheduler, sent, sut } = setUp({ start: 0 });
    void sut.play(ramp(8000), { loop: true });
    scheduler.advanceTo(220, 200); // the timer due at 20 runs at 220: packets 1..11 are due
    expect(summary(sent)).toEqual([
      [0, 100, 5000, true],
      [220, 101, 5000 + 9 * 160, false],
      [220, 102, 5000 + 10 * 160, false],
      [220, 103, 5000 + 11 * 160, false],
    ]);
    expect(sut.skippedPackets).toBe(8);
  });

  it('counts the prompt audio a stall skipped, and no more than the prompt had left', async () => {
    const { scheduler, sent, sut } = setUp({ start: 0 });
    const first = sut.play(ramp(1600)); // 10 packets, due at 0..180
    scheduler.advanceTo(120, 100); // the timer due at 20 runs at 120: packets 1..6 are due, 1..3 are skipped
    scheduler.advanceBy(1000);
    await expect(first).resolves.toBe('finished');
    expect(sent.map(({ packet }) => (packet.timestamp - 5000) / 160)).toEqual([0, 4, 5, 6, 7, 8, 9]);
    expect(sut.skippedPackets).toBe(3);
    // A stall longer than what is left of the prompt skips the rest of it (9 packets), not the 60 intervals that passed.
    const sentBefore = sent.length;
    const second = sut.play(ramp(1600)); // packet 0 goes at once
    scheduler.advanceBy(1220, 1200);
    await expect(second).resolves.toBe('finished');
    expect(sent.length - sentBefore).toBe(1);
    expect(sut.skippedPackets).toBe(3 + 9);
    // Nothing is skipped while the timers keep up.
    void sut.play(ramp(1600), { loop: true });
    scheduler.advanceBy(1000, 7);
    expect(sut.skippedPackets).toBe(12);
  });

  it('stops at once when a key is pressed mid-burst (barge-in from inside send)', async () => {
    const scheduler = new FakeScheduler(0);
    const sent: RtpPacket[] = [];
    const sut: PromptPlayer = new PromptPlayer({
      codec: 'PCMU',
      scheduler,
      ssrc: 1,
      initialSequenceNumber: 0,
      initialTimestamp: 0,
      send: (packet) => {
        sent.push(packet);
        if (sent.length === 2) sut.stop();
      },
    });
    const played = sut.play(ramp(8000));
    scheduler.advanceTo(60, 40); // three packets due in one burst
    await expect(played).resolves.toBe('stopped');
    expect(sent.map((packet) => packet.sequenceNumber)).toEqual([0, 1]);
    expect(sent[0].payloadType).toBe(0);
    expect(sut.playing).toBe(false);
  });

  it('playing over a prompt stops it and starts a new talkspurt', async () => {
    const { scheduler, sent, sut } = setUp();
    const first = sut.play(ramp(8000));
    scheduler.advanceTo(1020);
    const second = sut.play(ramp(160));
    await expect(first).resolves.toBe('stopped');
    scheduler.advanceBy(100);
    await expect(second).resolves.toBe('finished');
    expect(summary(sent)).toEqual([
      [1000, 100, 5000, true],
      [1020, 101, 5160, false],
      [1020, 102, 5320, true],
    ]);
  });

  it('wraps sequence at 65535 and timestamp at 2^32', () => {
    const scheduler = new FakeScheduler(0);
    const sent: RtpPacket[] = [];
    const sut = new PromptPlayer({ codec: 'PCMA', scheduler, initialSequenceNumber: 65535, initialTimestamp: 2 ** 32 - 160, send: (packet) => sent.push(packet) });
    void sut.play(ramp(320));
    scheduler.advanceBy(100);
    expect(sent.map((packet) => [packet.sequenceNumber, packet.timestamp])).toEqual([
      [65535, 2 ** 32 - 160],
      [0, 0],
    ]);
  });
});

describe('loadPrompt', () => {
  let directory: string;
  beforeAll(() => (directory = mkdtempSync(join(tmpdir(), 'jiesu-prompts-'))));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('loads every shipped prompt: 8 kHz mono, several seconds', () => {
    for (const name of ['welcome', 'waiting', 'survey', 'thanks', 'busy']) {
      const prompt = loadPrompt(join(__dirname, '..', '..', 'prompts', `${name}.wav`), name);
      expect(prompt.samples.length).toBeGreaterThan(2 * 8000);
    }
  });

  it('decodes an A-law WAV to PCM16', () => {
    const path = join(directory, 'alaw.wav');
    const alaw = encodeG711('PCMA', Int16Array.of(1000, -1000, 0));
    const wav = new WaveFile();
    wav.fromScratch(1, 8000, '8a', alaw);
    writeFileSync(path, wav.toBuffer());
    expect(Array.from(loadPrompt(path).samples)).toEqual(Array.from(decodeG711('PCMA', alaw)));
  });

  it('refuses other rates and channel counts, saying how to fix it', () => {
    const path = join(directory, 'wideband.wav');
    const wav = new WaveFile();
    wav.fromScratch(1, 16000, '16', new Int16Array(100));
    writeFileSync(path, wav.toBuffer());
    expect(() => loadPrompt(path)).toThrow(`Prompt ${path} is 16000 Hz, 1 channel(s); it must be 8000 Hz mono`);
    expect(() => loadPrompt(join(directory, 'none.wav'))).toThrow(`Cannot load prompt ${join(directory, 'none.wav')}: ENOENT`);
  });
});
