import { MediaTimeline } from './media-timeline';

const packet = (timestamp: number, ssrc = 1) => ({ ssrc, timestamp });

describe('MediaTimeline', () => {
  it('anchors the first packet at its arrival and the next ones by RTP timestamp, whatever their arrival jitter', () => {
    const sut = new MediaTimeline();
    expect(sut.place(packet(1000), 50, 160)).toEqual({ position: 400, reanchored: true });
    expect(sut.place(packet(1160), 95, 160).position).toBe(560);
    expect(sut.place(packet(1320), 96, 160).position).toBe(720);
    expect(sut.end).toBe(880);
  });

  it('leaves a gap for lost packets and silence-suppressed talkspurts (timestamps and clock agree)', () => {
    const sut = new MediaTimeline();
    sut.place(packet(0), 0, 160);
    // 500 ms without packets, then a new talkspurt: 4000 samples later.
    expect(sut.place(packet(4160), 520, 160)).toEqual({ position: 4160, reanchored: false });
  });

  it('follows the timestamp across its 32-bit wrap', () => {
    const sut = new MediaTimeline();
    sut.place(packet(0xffffff60), 0, 160);
    expect(sut.place(packet(0), 20, 160).position).toBe(160);
  });

  it('re-anchors on the clock when the timestamp jumps far ahead of it (a sender restarting its timestamps)', () => {
    const sut = new MediaTimeline({ maxTimestampJumpMs: 1000 });
    sut.place(packet(0), 0, 160);
    sut.place(packet(160), 20, 160);
    // Timestamp jumps by an hour, 20 ms later.
    expect(sut.place(packet(160 + 8000 * 3600), 40, 160)).toEqual({ position: 320, reanchored: true });
    expect(sut.place(packet(160 + 8000 * 3600 + 160), 60, 160)).toEqual({ position: 480, reanchored: false });
    expect(sut.reanchorCount).toBe(1);
  });

  it('re-anchors when the timestamp goes backwards', () => {
    const sut = new MediaTimeline();
    sut.place(packet(100_000), 0, 160);
    expect(sut.place(packet(50), 20, 160)).toEqual({ position: 160, reanchored: true });
  });

  it('re-anchors when the clock ran far ahead of the timestamps (resumed after hold with the old timestamps)', () => {
    const sut = new MediaTimeline();
    sut.place(packet(0), 0, 160);
    expect(sut.place(packet(160), 10_000, 160)).toEqual({ position: 80_000, reanchored: true });
  });

  it('starts a new SSRC at its arrival but never before audio already placed', () => {
    const sut = new MediaTimeline();
    sut.place(packet(0, 1), 0, 160);
    sut.place(packet(160, 1), 20, 160);
    expect(sut.place(packet(777, 2), 30, 160)).toEqual({ position: 320, reanchored: true });
    expect(sut.place(packet(937, 2), 50, 160).position).toBe(480);
    expect(sut.place(packet(999, 3), 1000, 160)).toEqual({ position: 8000, reanchored: true });
  });
});
