import { alaw, mulaw } from 'alawmulaw';

/** The two G.711 codecs telephone networks carry: μ-law (North America, Japan) and A-law (China, Europe). */
export type G711Codec = 'PCMU' | 'PCMA';

/** G.711's static RTP payload types (RFC 3551 table 4); no SDP rtpmap is needed for them. */
export const G711_PAYLOAD_TYPES: Readonly<Record<G711Codec, number>> = { PCMU: 0, PCMA: 8 };

/** G.711 runs at 8000 samples per second, one byte per sample. */
export const G711_SAMPLE_RATE = 8000;

export function codecForStaticPayloadType(payloadType: number): G711Codec | undefined {
  if (payloadType === G711_PAYLOAD_TYPES.PCMU) return 'PCMU';
  if (payloadType === G711_PAYLOAD_TYPES.PCMA) return 'PCMA';
  return undefined;
}

/**
 * G.711 through lookup tables built once from alawmulaw's per-sample functions (the same values): decoding is one
 * read of a 256-entry table per byte, encoding one of a 64 K-entry table per sample. Every packet a call sends or
 * records passes through here, a hundred times a second per call.
 */
const decodeTables: Record<G711Codec, Int16Array> = {
  PCMA: Int16Array.from({ length: 256 }, (_, byte) => alaw.decodeSample(byte)),
  PCMU: Int16Array.from({ length: 256 }, (_, byte) => mulaw.decodeSample(byte)),
};
const encodeTables: Partial<Record<G711Codec, Uint8Array>> = {};

/** Indexed by the sample's 16 bits as unsigned (sample & 0xffff); built on first use (64 KiB each). */
function encodeTable(codec: G711Codec): Uint8Array {
  let table = encodeTables[codec];
  if (table === undefined) {
    const encodeSample = codec === 'PCMA' ? alaw.encodeSample : mulaw.encodeSample;
    table = new Uint8Array(0x10000);
    for (let bits = 0; bits < 0x10000; bits += 1) table[bits] = encodeSample((bits << 16) >> 16);
    encodeTables[codec] = table;
  }
  return table;
}

/** G.711 bytes → 16-bit linear PCM, one sample per byte. */
export function decodeG711(codec: G711Codec, payload: Uint8Array): Int16Array {
  const table = decodeTables[codec];
  const samples = new Int16Array(payload.length);
  for (let index = 0; index < payload.length; index += 1) samples[index] = table[payload[index]];
  return samples;
}

/** 16-bit linear PCM → G.711 bytes, one byte per sample. */
export function encodeG711(codec: G711Codec, samples: Int16Array): Uint8Array {
  const table = encodeTable(codec);
  const encoded = new Uint8Array(samples.length);
  for (let index = 0; index < samples.length; index += 1) encoded[index] = table[samples[index] & 0xffff];
  return encoded;
}

/** The byte that decodes to (near) zero: what a G.711 stream carries during silence. */
export function g711SilenceByte(codec: G711Codec): number {
  return codec === 'PCMA' ? 0xd5 : 0xff;
}
