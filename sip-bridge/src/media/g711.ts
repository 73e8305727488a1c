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

/** G.711 bytes → 16-bit linear PCM, one sample per byte. */
export function decodeG711(codec: G711Codec, payload: Uint8Array): Int16Array {
  return codec === 'PCMA' ? alaw.decode(payload) : mulaw.decode(payload);
}

/** 16-bit linear PCM → G.711 bytes, one byte per sample. */
export function encodeG711(codec: G711Codec, samples: Int16Array): Uint8Array {
  return codec === 'PCMA' ? alaw.encode(samples) : mulaw.encode(samples);
}

/** The byte that decodes to (near) zero: what a G.711 stream carries during silence. */
export function g711SilenceByte(codec: G711Codec): number {
  return codec === 'PCMA' ? 0xd5 : 0xff;
}
