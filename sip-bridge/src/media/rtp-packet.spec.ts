import { RtpParseError, type RtpPacket, parseRtpPacket, serializeRtpPacket } from './rtp-packet';

/** The first packet of SIPp's g711a.pcap, byte for byte (header + 4 of its 240 payload bytes). */
const G711A_FIRST_HEADER = Buffer.from('8088e6fd000000f0dee0ee8f', 'hex');

describe('parseRtpPacket', () => {
  it('reads every field of the fixed header', () => {
    const packet = parseRtpPacket(Buffer.concat([G711A_FIRST_HEADER, Buffer.from('d5d5d5d5', 'hex')]));
    expect(packet).toEqual<RtpPacket>({
      marker: true,
      payloadType: 8,
      sequenceNumber: 59133,
      timestamp: 240,
      ssrc: 0xdee0ee8f,
      csrcs: [],
      payload: Buffer.from('d5d5d5d5', 'hex'),
    });
  });

  it('reads CSRCs, a header extension and strips padding', () => {
    const datagram = Buffer.from(
      [
        'b2', // V=2, P=1, X=1, CC=2
        '00', // M=0, PT=0
        'ffff', // sequence 65535
        'fffffff0', // timestamp
        '00000001', // SSRC
        '0000000a', '0000000b', // CSRCs
        'bede', '0001', '11223344', // one-word extension, profile 0xBEDE
        'aabb', // payload
        '000003', // 3 bytes of padding, the last one is the count
      ].join(''),
      'hex',
    );
    const packet = parseRtpPacket(datagram);
    expect(packet.sequenceNumber).toBe(65535);
    expect(packet.timestamp).toBe(0xfffffff0);
    expect(packet.csrcs).toEqual([10, 11]);
    expect(packet.extension).toEqual({ profile: 0xbede, data: Buffer.from('11223344', 'hex') });
    expect(packet.payload).toEqual(Buffer.from('aabb', 'hex'));
  });

  it.each([
    ['an empty datagram', '', /too short: 0 bytes/],
    ['11 bytes', '8000000100000000000000', /too short: 11 bytes/],
    ['version 1', '4000000100000000000000010000', /version field is 1/],
    ['a SIP keep-alive', Buffer.from('\r\n\r\n\r\n\r\n\r\n\r\n').toString('hex'), /version field is 0/],
    ['CSRC count past the end', '8f0000010000000000000001', /15 CSRC/],
    ['extension past the end', '900000010000000000000001bede0009', /extension of 9 words runs past/],
    ['padding longer than the packet', 'a000000100000000000000010000ff', /padding length 255/],
    ['zero padding count', 'a00000010000000000000001aa00', /padding length 0/],
    ['RTCP sender report', '80c8000600000001', /too short/],
    ['RTCP receiver report', '81c90007000000010000000000000000', /RTCP packet \(type 201\)/],
  ])('rejects %s with a RtpParseError', (_label, hex, message) => {
    const parse = () => parseRtpPacket(Buffer.from(hex, 'hex'));
    expect(parse).toThrow(RtpParseError);
    expect(parse).toThrow(message);
  });
});

describe('serializeRtpPacket', () => {
  it('writes what parse reads back, wrapping sequence and timestamp', () => {
    const packet: RtpPacket = {
      marker: true,
      payloadType: 101,
      sequenceNumber: 65535,
      timestamp: 0xffffffff,
      ssrc: 0x12345678,
      csrcs: [7],
      extension: { profile: 0x1000, data: Buffer.from('01020304', 'hex') },
      payload: Buffer.from('010a00a0', 'hex'),
    };
    const datagram = serializeRtpPacket(packet);
    expect(datagram.subarray(0, 2).toString('hex')).toBe('91e5');
    expect(datagram.length).toBe(12 + 4 + 8 + 4);
    expect(parseRtpPacket(datagram)).toEqual(packet);
  });

  it('refuses what RTP cannot carry', () => {
    const base: RtpPacket = { marker: false, payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, csrcs: [], payload: Buffer.alloc(0) };
    expect(() => serializeRtpPacket({ ...base, payloadType: 128 })).toThrow('payload type must be 0..127, not 128');
    expect(() => serializeRtpPacket({ ...base, csrcs: new Array<number>(16).fill(1) })).toThrow('at most 15 CSRCs');
    expect(() => serializeRtpPacket({ ...base, extension: { profile: 1, data: Buffer.alloc(3) } })).toThrow('whole 32-bit words');
  });
});
