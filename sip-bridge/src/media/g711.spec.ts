import { alaw, mulaw } from 'alawmulaw';
import { codecForStaticPayloadType, decodeG711, encodeG711, g711SilenceByte } from './g711';

describe('G.711', () => {
  it('maps the static payload types 0 and 8 and nothing else', () => {
    expect(codecForStaticPayloadType(0)).toBe('PCMU');
    expect(codecForStaticPayloadType(8)).toBe('PCMA');
    expect(codecForStaticPayloadType(18)).toBeUndefined();
    expect(codecForStaticPayloadType(101)).toBeUndefined();
  });

  it('decodes the silence bytes to (near) zero: A-law 0xD5 → 8, μ-law 0xFF → 0 (ITU-T G.711 tables)', () => {
    expect(Array.from(decodeG711('PCMA', Uint8Array.of(g711SilenceByte('PCMA'))))).toEqual([8]);
    expect(Array.from(decodeG711('PCMU', Uint8Array.of(g711SilenceByte('PCMU'))))).toEqual([0]);
  });

  it('encodes zero to the silence bytes', () => {
    expect(Array.from(encodeG711('PCMA', Int16Array.of(0)))).toEqual([0xd5]);
    expect(Array.from(encodeG711('PCMU', Int16Array.of(0)))).toEqual([0xff]);
  });

  it('round-trips within the quantisation step of the segment (1000 → 1008 in A-law, 1000 → 988 in μ-law)', () => {
    expect(Array.from(decodeG711('PCMA', encodeG711('PCMA', Int16Array.of(1000, -1000))))).toEqual([1008, -1008]);
    expect(Array.from(decodeG711('PCMU', encodeG711('PCMU', Int16Array.of(1000, -1000))))).toEqual([988, -988]);
  });

  it('keeps full scale: ±32767 survives with the largest step of the top segment', () => {
    const [high, low] = decodeG711('PCMA', encodeG711('PCMA', Int16Array.of(32767, -32768)));
    expect(high).toBe(32256);
    expect(low).toBe(-32256);
  });

  it.each([
    ['PCMA', alaw],
    ['PCMU', mulaw],
  ] as const)('%s: the lookup tables give exactly what alawmulaw computes, for every byte and every 16-bit sample', (codec, reference) => {
    const bytes = Uint8Array.from({ length: 256 }, (_, byte) => byte);
    expect(Array.from(decodeG711(codec, bytes))).toEqual(Array.from(Int16Array.from(bytes, (byte) => reference.decodeSample(byte)))); // −0 is a 0 sample
    const samples = Int16Array.from({ length: 0x10000 }, (_, index) => index - 0x8000);
    expect(Array.from(encodeG711(codec, samples))).toEqual(Array.from(Uint8Array.from(samples, (sample) => reference.encodeSample(sample)))); // as alawmulaw's encode() stores them
  });
});
