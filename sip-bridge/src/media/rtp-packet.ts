/** RTP data packets (RFC 3550 §5.1). Only version 2 exists in practice; anything else is junk. */

export const RTP_VERSION = 2;
const FIXED_HEADER_BYTES = 12;

/** A header extension (RFC 3550 §5.3.1): a 16-bit profile-defined value and whole 32-bit words of data. */
export interface RtpHeaderExtension {
  profile: number;
  data: Buffer;
}

export interface RtpPacket {
  marker: boolean;
  /** 0..127; 0 = PCMU, 8 = PCMA, dynamic 96..127 (telephone-event is usually 101). */
  payloadType: number;
  /** 16-bit, wraps at 65536. */
  sequenceNumber: number;
  /** 32-bit, in units of the payload's clock (8000 Hz for G.711 and telephone-event). */
  timestamp: number;
  /** 32-bit synchronisation source: identifies the sender's stream. */
  ssrc: number;
  csrcs: number[];
  extension?: RtpHeaderExtension;
  /** The payload without padding: padding is stripped on parse and never written on serialise. */
  payload: Buffer;
}

/** Thrown by `parseRtpPacket` for a datagram that is not an RTP packet; the message says why. */
export class RtpParseError extends Error {
  override readonly name = 'RtpParseError';
}

export function parseRtpPacket(datagram: Buffer): RtpPacket {
  if (datagram.length < FIXED_HEADER_BYTES)
    throw new RtpParseError(`RTP packet too short: ${datagram.length} bytes, the fixed header alone is ${FIXED_HEADER_BYTES}`);
  const first = datagram[0];
  const second = datagram[1];
  const version = first >> 6;
  if (version !== RTP_VERSION) throw new RtpParseError(`Not RTP version 2 (version field is ${version})`);
  const hasPadding = (first & 0x20) !== 0;
  const hasExtension = (first & 0x10) !== 0;
  const csrcCount = first & 0x0f;
  // RTCP shares the port range on rtcp-mux; its packet types 200..204 land in marker+payload type 72..76.
  const payloadType = second & 0x7f;
  if (payloadType >= 72 && payloadType <= 76) throw new RtpParseError(`RTCP packet (type ${second}) on the RTP port`);

  let offset = FIXED_HEADER_BYTES + csrcCount * 4;
  if (datagram.length < offset)
    throw new RtpParseError(`RTP packet too short for its ${csrcCount} CSRC(s): ${datagram.length} bytes`);
  const csrcs: number[] = [];
  for (let index = 0; index < csrcCount; index += 1) csrcs.push(datagram.readUInt32BE(FIXED_HEADER_BYTES + index * 4));

  let extension: RtpHeaderExtension | undefined;
  if (hasExtension) {
    if (datagram.length < offset + 4) throw new RtpParseError('RTP packet too short for its header extension');
    const profile = datagram.readUInt16BE(offset);
    const words = datagram.readUInt16BE(offset + 2);
    const dataStart = offset + 4;
    offset = dataStart + words * 4;
    if (datagram.length < offset)
      throw new RtpParseError(`RTP header extension of ${words} words runs past the end of the packet`);
    extension = { profile, data: Buffer.from(datagram.subarray(dataStart, offset)) };
  }

  let end = datagram.length;
  if (hasPadding) {
    const paddingBytes = datagram[datagram.length - 1];
    if (paddingBytes === 0 || end - paddingBytes < offset)
      throw new RtpParseError(`RTP padding length ${paddingBytes} is impossible for a ${datagram.length}-byte packet`);
    end -= paddingBytes;
  }

  return {
    marker: (second & 0x80) !== 0,
    payloadType,
    sequenceNumber: datagram.readUInt16BE(2),
    timestamp: datagram.readUInt32BE(4),
    ssrc: datagram.readUInt32BE(8),
    csrcs,
    ...(extension ? { extension } : {}),
    // A copy: the socket may reuse the datagram's memory once the handler returns.
    payload: Buffer.from(datagram.subarray(offset, end)),
  };
}

export function serializeRtpPacket(packet: RtpPacket): Buffer {
  if (packet.csrcs.length > 15) throw new RangeError(`An RTP packet carries at most 15 CSRCs, not ${packet.csrcs.length}`);
  if (!Number.isInteger(packet.payloadType) || packet.payloadType < 0 || packet.payloadType > 127)
    throw new RangeError(`RTP payload type must be 0..127, not ${packet.payloadType}`);
  const extension = packet.extension;
  if (extension && extension.data.length % 4 !== 0)
    throw new RangeError(`RTP header extension data must be whole 32-bit words, not ${extension.data.length} bytes`);
  const extensionBytes = extension ? 4 + extension.data.length : 0;
  const headerBytes = FIXED_HEADER_BYTES + packet.csrcs.length * 4 + extensionBytes;
  const datagram = Buffer.alloc(headerBytes + packet.payload.length);
  datagram[0] = (RTP_VERSION << 6) | (extension ? 0x10 : 0) | packet.csrcs.length;
  datagram[1] = (packet.marker ? 0x80 : 0) | packet.payloadType;
  datagram.writeUInt16BE(packet.sequenceNumber & 0xffff, 2);
  datagram.writeUInt32BE(packet.timestamp >>> 0, 4);
  datagram.writeUInt32BE(packet.ssrc >>> 0, 8);
  let offset = FIXED_HEADER_BYTES;
  for (const csrc of packet.csrcs) {
    datagram.writeUInt32BE(csrc >>> 0, offset);
    offset += 4;
  }
  if (extension) {
    datagram.writeUInt16BE(extension.profile, offset);
    datagram.writeUInt16BE(extension.data.length / 4, offset + 2);
    extension.data.copy(datagram, offset + 4);
    offset += extensionBytes;
  }
  packet.payload.copy(datagram, offset);
  return datagram;
}
