import { readFileSync } from 'node:fs';

/** One UDP datagram out of a capture, with when it was captured. */
export interface CapturedUdpDatagram {
  /** Capture time in milliseconds since the Unix epoch (fractional: microsecond or nanosecond captures). */
  capturedAtMs: number;
  sourceAddress: string;
  sourcePort: number;
  destinationAddress: string;
  destinationPort: number;
  payload: Buffer;
}

export interface PcapCapture {
  linkType: number;
  datagrams: CapturedUdpDatagram[];
  /** Frames that were not IPv4/UDP (ARP, IPv6, TCP, fragments, truncated): counted, not returned. */
  skippedFrames: number;
}

/** Link-layer header types (tcpdump.org/linktypes.html) this reader understands. */
const LINKTYPE = { NULL: 0, ETHERNET: 1, RAW: 101, LINUX_SLL: 113, LINUX_SLL2: 276, IPV4: 228 } as const;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_VLAN = [0x8100, 0x88a8];
const IP_PROTOCOL_UDP = 17;

/** Reads a classic libpcap file (not pcapng): Ethernet or Linux cooked → IPv4 → UDP → payload. */
export function readPcapFile(path: string): PcapCapture {
  return parsePcap(readFileSync(path), path);
}

export function parsePcap(file: Buffer, name = 'pcap'): PcapCapture {
  if (file.length < 24) throw new Error(`${name}: ${file.length} bytes is too short for a pcap file header`);
  const magic = file.readUInt32LE(0);
  const format =
    magic === 0xa1b2c3d4 ? { littleEndian: true, nanoseconds: false }
    : magic === 0xd4c3b2a1 ? { littleEndian: false, nanoseconds: false }
    : magic === 0xa1b23c4d ? { littleEndian: true, nanoseconds: true }
    : magic === 0x4d3cb2a1 ? { littleEndian: false, nanoseconds: true }
    : undefined;
  if (!format)
    throw new Error(`${name}: not a classic pcap file (magic 0x${magic.toString(16)}; pcapng must be converted with editcap -F pcap)`);
  const u32 = (offset: number) => (format.littleEndian ? file.readUInt32LE(offset) : file.readUInt32BE(offset));
  const linkType = u32(20) & 0x0fffffff;

  const datagrams: CapturedUdpDatagram[] = [];
  let skippedFrames = 0;
  let offset = 24;
  while (offset + 16 <= file.length) {
    const seconds = u32(offset);
    const fraction = u32(offset + 4);
    const capturedLength = u32(offset + 8);
    const frameStart = offset + 16;
    const frameEnd = frameStart + capturedLength;
    if (frameEnd > file.length) throw new Error(`${name}: record at byte ${offset} runs past the end of the file`);
    const capturedAtMs = seconds * 1000 + (format.nanoseconds ? fraction / 1e6 : fraction / 1e3);
    const datagram = udpFromFrame(file.subarray(frameStart, frameEnd), linkType, capturedAtMs);
    if (datagram) datagrams.push(datagram);
    else skippedFrames += 1;
    offset = frameEnd;
  }
  return { linkType, datagrams, skippedFrames };
}

function udpFromFrame(frame: Buffer, linkType: number, capturedAtMs: number): CapturedUdpDatagram | undefined {
  const ipv4 = ipv4FromFrame(frame, linkType);
  return ipv4 ? udpFromIpv4(ipv4, capturedAtMs) : undefined;
}

function ipv4FromFrame(frame: Buffer, linkType: number): Buffer | undefined {
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      let typeOffset = 12;
      if (frame.length < typeOffset + 2) return undefined;
      // 802.1Q / 802.1ad tags: 4 bytes each before the real EtherType.
      while (ETHERTYPE_VLAN.includes(frame.readUInt16BE(typeOffset)) && frame.length >= typeOffset + 6) typeOffset += 4;
      return frame.readUInt16BE(typeOffset) === ETHERTYPE_IPV4 ? frame.subarray(typeOffset + 2) : undefined;
    }
    case LINKTYPE.LINUX_SLL:
      if (frame.length < 16) return undefined;
      return frame.readUInt16BE(14) === ETHERTYPE_IPV4 ? frame.subarray(16) : undefined;
    case LINKTYPE.LINUX_SLL2:
      if (frame.length < 20) return undefined;
      return frame.readUInt16BE(0) === ETHERTYPE_IPV4 ? frame.subarray(20) : undefined;
    case LINKTYPE.NULL:
      // BSD loopback: the address family in the capturing host's byte order; 2 = AF_INET everywhere.
      if (frame.length < 4) return undefined;
      return frame.readUInt32LE(0) === 2 || frame.readUInt32BE(0) === 2 ? frame.subarray(4) : undefined;
    case LINKTYPE.RAW:
    case LINKTYPE.IPV4:
      return frame.length > 0 && frame[0] >> 4 === 4 ? frame : undefined;
    default:
      throw new Error(`Unsupported pcap link type ${linkType} (supported: Ethernet, Linux cooked v1/v2, BSD loopback, raw IP)`);
  }
}

function udpFromIpv4(packet: Buffer, capturedAtMs: number): CapturedUdpDatagram | undefined {
  if (packet.length < 20 || packet[0] >> 4 !== 4) return undefined;
  const headerLength = (packet[0] & 0x0f) * 4;
  const totalLength = packet.readUInt16BE(2);
  const fragment = packet.readUInt16BE(6);
  const moreFragments = (fragment & 0x2000) !== 0;
  const fragmentOffset = fragment & 0x1fff;
  if (packet[9] !== IP_PROTOCOL_UDP || moreFragments || fragmentOffset !== 0) return undefined;
  // Ethernet pads short frames: trust the IP total length, not the frame's.
  const ipEnd = Math.min(packet.length, totalLength);
  if (headerLength < 20 || ipEnd < headerLength + 8) return undefined;
  const udp = packet.subarray(headerLength, ipEnd);
  const udpLength = udp.readUInt16BE(4);
  if (udpLength < 8 || udpLength > udp.length) return undefined;
  return {
    capturedAtMs,
    sourceAddress: ipv4Address(packet, 12),
    destinationAddress: ipv4Address(packet, 16),
    sourcePort: udp.readUInt16BE(0),
    destinationPort: udp.readUInt16BE(2),
    payload: Buffer.from(udp.subarray(8, udpLength)),
  };
}

function ipv4Address(packet: Buffer, offset: number): string {
  return `${packet[offset]}.${packet[offset + 1]}.${packet[offset + 2]}.${packet[offset + 3]}`;
}
