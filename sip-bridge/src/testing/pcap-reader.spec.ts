import { parseRtpPacket } from '../media/rtp-packet';
import { parsePcap, readPcapFile } from './pcap-reader';
import { sippPcap } from './sipp-pcaps';

/** A pcap file header (little-endian, microseconds) for the given link type. */
function pcapHeader(linkType: number): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(linkType, 20);
  return header;
}

function pcapRecord(seconds: number, microseconds: number, frame: Buffer): Buffer {
  const record = Buffer.alloc(16);
  record.writeUInt32LE(seconds, 0);
  record.writeUInt32LE(microseconds, 4);
  record.writeUInt32LE(frame.length, 8);
  record.writeUInt32LE(frame.length, 12);
  return Buffer.concat([record, frame]);
}

function ipv4Udp(payload: Buffer, options: { protocol?: number; flags?: number } = {}): Buffer {
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip.writeUInt16BE(options.flags ?? 0, 6);
  ip[9] = options.protocol ?? 17;
  Buffer.from([10, 0, 0, 1]).copy(ip, 12);
  Buffer.from([10, 0, 0, 2]).copy(ip, 16);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(4000, 0);
  udp.writeUInt16BE(5000, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([ip, udp, payload]);
}

describe('parsePcap', () => {
  it('reads UDP out of Linux cooked (SLL) frames and skips TCP and fragments', () => {
    const sll = (ip: Buffer) => Buffer.concat([Buffer.from('00000304000600000000000000000800', 'hex'), ip]);
    const file = Buffer.concat([
      pcapHeader(113),
      pcapRecord(10, 500, sll(ipv4Udp(Buffer.from('hello')))),
      pcapRecord(10, 600, sll(ipv4Udp(Buffer.from('tcp'), { protocol: 6 }))),
      pcapRecord(10, 700, sll(ipv4Udp(Buffer.from('frag'), { flags: 0x2000 }))),
    ]);
    const capture = parsePcap(file);
    expect(capture.linkType).toBe(113);
    expect(capture.skippedFrames).toBe(2);
    expect(capture.datagrams).toEqual([
      {
        capturedAtMs: 10000.5,
        sourceAddress: '10.0.0.1',
        sourcePort: 4000,
        destinationAddress: '10.0.0.2',
        destinationPort: 5000,
        payload: Buffer.from('hello'),
      },
    ]);
  });

  it('reads Ethernet with a VLAN tag and ignores the frame padding after the IP packet', () => {
    const ethernet = Buffer.concat([
      Buffer.alloc(12),
      Buffer.from('8100000a0800', 'hex'),
      ipv4Udp(Buffer.from('x')),
      Buffer.alloc(17), // minimum-frame padding
    ]);
    const capture = parsePcap(Buffer.concat([pcapHeader(1), pcapRecord(1, 0, ethernet)]));
    expect(capture.datagrams.map((datagram) => datagram.payload.toString())).toEqual(['x']);
  });

  it('refuses what it cannot read, naming the file', () => {
    expect(() => parsePcap(Buffer.alloc(10), 'tiny.pcap')).toThrow('tiny.pcap: 10 bytes is too short');
    expect(() => parsePcap(Buffer.alloc(24), 'ng.pcap')).toThrow('ng.pcap: not a classic pcap file (magic 0x0');
    expect(() => parsePcap(pcapHeader(105), 'wifi.pcap')).not.toThrow();
    expect(() => parsePcap(Buffer.concat([pcapHeader(105), pcapRecord(0, 0, Buffer.alloc(30))]))).toThrow('Unsupported pcap link type 105');
    const truncated = Buffer.concat([pcapHeader(1), pcapRecord(0, 0, Buffer.alloc(30))]).subarray(0, 50);
    expect(() => parsePcap(truncated, 'cut.pcap')).toThrow('cut.pcap: record at byte 24 runs past the end');
  });
});

const dtmfPath = sippPcap('dtmf_2833_1.pcap');
const g711aPath = sippPcap('g711a.pcap');

(dtmfPath && g711aPath ? describe : describe.skip)("SIPp's captures", () => {
  it('dtmf_2833_1.pcap: 10 telephone-event packets (PT 101) from 49176 to 10000', () => {
    const capture = readPcapFile(dtmfPath ?? '');
    expect(capture.linkType).toBe(1);
    expect(capture.datagrams).toHaveLength(10);
    const packets = capture.datagrams.map((datagram) => parseRtpPacket(datagram.payload));
    expect(new Set(packets.map((packet) => packet.payloadType))).toEqual(new Set([101]));
    expect(capture.datagrams[0]).toMatchObject({ sourcePort: 49176, destinationPort: 10000 });
    expect(packets[0]).toMatchObject({ marker: true, sequenceNumber: 7984, timestamp: 13280 });
  });

  it('g711a.pcap: 236 PCMA packets of 240 samples, timestamps 240..56640, about 30 ms apart', () => {
    const capture = readPcapFile(g711aPath ?? '');
    const packets = capture.datagrams.map((datagram) => parseRtpPacket(datagram.payload));
    expect(packets).toHaveLength(236);
    expect(packets.every((packet) => packet.payloadType === 8 && packet.payload.length === 240)).toBe(true);
    expect(packets[0].timestamp).toBe(240);
    expect(packets[235].timestamp).toBe(56640);
    expect(packets[235].sequenceNumber - packets[0].sequenceNumber).toBe(235);
    const spanMs = capture.datagrams[235].capturedAtMs - capture.datagrams[0].capturedAtMs;
    expect(spanMs).toBeGreaterThan(235 * 30 - 200);
    expect(spanMs).toBeLessThan(235 * 30 + 200);
  });
});
