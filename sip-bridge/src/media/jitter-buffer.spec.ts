import { JitterBuffer, type ReleasedPacket } from './jitter-buffer';
import type { RtpPacket } from './rtp-packet';

function rtp(sequenceNumber: number, ssrc = 0xabc): RtpPacket {
  return { marker: false, payloadType: 8, sequenceNumber, timestamp: sequenceNumber * 160, ssrc, csrcs: [], payload: Buffer.alloc(160, 0xd5) };
}

/** Pushes packets all at t=0 (no time-based release), then flushes; returns the released sequence numbers. */
function run(sut: JitterBuffer, sequence: number[], ssrc?: number): ReleasedPacket[] {
  const out: ReleasedPacket[] = [];
  for (const seq of sequence) out.push(...sut.push(rtp(seq, ssrc), 0));
  return out;
}

const seqs = (released: ReleasedPacket[]) => released.map((item) => item.packet.sequenceNumber);

describe('JitterBuffer', () => {
  it('passes an in-order stream straight through once the first packet is released', () => {
    const sut = new JitterBuffer({ depthPackets: 3, maxDelayMs: 1000 });
    // The first packet waits until depth packets are behind it (a predecessor could still arrive)…
    expect(seqs(run(sut, [10, 11, 12]))).toEqual([]);
    expect(seqs(run(sut, [13]))).toEqual([10, 11, 12, 13]);
    // …then every packet in order leaves as it arrives.
    expect(seqs(run(sut, [14]))).toEqual([14]);
    expect(seqs(run(sut, [15]))).toEqual([15]);
    expect(seqs(sut.flush())).toEqual([]);
    expect(sut.stats).toMatchObject({ received: 6, released: 6, lost: 0, duplicates: 0, late: 0 });
  });

  it('puts reordered packets back in order, including a first packet that arrives second', () => {
    const sut = new JitterBuffer({ depthPackets: 3, maxDelayMs: 1000 });
    const released = [...run(sut, [2, 1, 4, 3, 6, 5, 8, 7]), ...sut.flush()];
    expect(seqs(released)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(sut.stats).toMatchObject({ lost: 0, late: 0 });
  });

  it('drops duplicates, held or already released', () => {
    const sut = new JitterBuffer({ depthPackets: 2, maxDelayMs: 1000 });
    const released = [...run(sut, [1, 2, 2, 3, 4, 1, 5, 5]), ...sut.flush()];
    expect(seqs(released)).toEqual([1, 2, 3, 4, 5]);
    expect(sut.stats.duplicates).toBe(3);
  });

  it('declares a gap lost when depth packets wait behind it, and reports it on the next packet', () => {
    const sut = new JitterBuffer({ depthPackets: 2, maxDelayMs: 1000 });
    const released = [...run(sut, [1, 2, 3, 6, 7, 8, 9]), ...sut.flush()];
    expect(seqs(released)).toEqual([1, 2, 3, 6, 7, 8, 9]);
    expect(released.find((item) => item.packet.sequenceNumber === 6)?.lostBefore).toBe(2);
    expect(sut.stats.lost).toBe(2);
  });

  it('counts a packet that comes after its gap was given up as late and drops it', () => {
    const sut = new JitterBuffer({ depthPackets: 1, maxDelayMs: 1000 });
    const released = [...run(sut, [1, 2, 4, 5, 3, 6]), ...sut.flush()];
    expect(seqs(released)).toEqual([1, 2, 4, 5, 6]);
    expect(sut.stats).toMatchObject({ lost: 1, late: 1 });
  });

  it('releases a packet waiting behind a gap after maxDelayMs even below depth', () => {
    const sut = new JitterBuffer({ depthPackets: 10, maxDelayMs: 60 });
    expect(seqs(sut.push(rtp(1), 0))).toEqual([]);
    expect(seqs(sut.drain(59))).toEqual([]);
    expect(seqs(sut.drain(60))).toEqual([1]);
    expect(seqs(sut.push(rtp(3), 80))).toEqual([]);
    expect(seqs(sut.push(rtp(2), 90))).toEqual([2, 3]);
  });

  it('follows the 16-bit sequence wrap: 65534, 65535, 0, 1 in order, even when reordered across it', () => {
    const sut = new JitterBuffer({ depthPackets: 3, maxDelayMs: 1000 });
    const released = [...run(sut, [65533, 65535, 65534, 1, 0, 2, 3]), ...sut.flush()];
    expect(seqs(released)).toEqual([65533, 65534, 65535, 0, 1, 2, 3]);
    expect(sut.stats).toMatchObject({ lost: 0, late: 0, duplicates: 0 });
  });

  it('on a new SSRC flushes the old source, starts over, and drops stray late packets of the old one', () => {
    const sut = new JitterBuffer({ depthPackets: 2, maxDelayMs: 1000 });
    const released = [...run(sut, [100, 101, 102], 1), ...run(sut, [7, 8], 2), ...run(sut, [101], 1), ...run(sut, [9, 10], 2), ...sut.flush()];
    expect(released.map((item) => `${item.packet.ssrc}:${item.packet.sequenceNumber}`)).toEqual([
      '1:100', '1:101', '1:102', '2:7', '2:8', '2:9', '2:10',
    ]);
    expect(released.filter((item) => item.newSource).map((item) => item.packet.sequenceNumber)).toEqual([100, 7]);
    expect(sut.stats).toMatchObject({ sourceChanges: 1, late: 1, lost: 0 });
  });

  it('switches back to an earlier SSRC that continues (prompt, agent, prompt again)', () => {
    const sut = new JitterBuffer({ depthPackets: 0, maxDelayMs: 1000 });
    const released = [...run(sut, [10, 11], 1), ...run(sut, [500, 501], 2), ...run(sut, [12, 13], 1)];
    expect(released.map((item) => `${item.packet.ssrc}:${item.packet.sequenceNumber}:${item.newSource}`)).toEqual([
      '1:10:true', '1:11:false', '2:500:true', '2:501:false', '1:12:true', '1:13:false',
    ]);
  });

  it('takes a sequence restart with the same SSRC once a second packet confirms it; a single wild packet is dropped', () => {
    const sut = new JitterBuffer({ depthPackets: 0, maxDelayMs: 1000 });
    const released = run(sut, [1000, 1001, 40000, 1002, 9000, 9001, 9002]);
    expect(seqs(released)).toEqual([1000, 1001, 1002, 9000, 9001, 9002]);
    expect(released.filter((item) => item.newSource).map((item) => item.packet.sequenceNumber)).toEqual([1000, 9000]);
    expect(sut.stats).toMatchObject({ sourceChanges: 1, late: 1 });
  });

  it('holds at most depth + 1 packets whatever arrives (bounded memory)', () => {
    const sut = new JitterBuffer({ depthPackets: 4, maxDelayMs: 1_000_000 });
    let maxHeld = 0;
    for (let index = 0; index < 5000; index += 1) {
      // Every other packet missing, and the sequence running backwards in blocks: worst cases for a buffer.
      sut.push(rtp((index * 2 + (index % 7) * 3) % 65536), 0);
      maxHeld = Math.max(maxHeld, sut.heldCount);
    }
    expect(maxHeld).toBeLessThanOrEqual(5);
  });
});
