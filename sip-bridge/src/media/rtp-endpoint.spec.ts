import { createSocket } from 'node:dgram';
import { UdpPeer } from '../testing/udp-peer';
import { type RtpRemote, RtpEndpoint, RtpPortAllocator } from './rtp-endpoint';
import { type RtpPacket, parseRtpPacket, serializeRtpPacket } from './rtp-packet';

function rtp(sequenceNumber: number): RtpPacket {
  return { marker: false, payloadType: 0, sequenceNumber, timestamp: sequenceNumber * 160, ssrc: 9, csrcs: [], payload: Buffer.alloc(160, 0xff) };
}

function nextPacket(endpoint: RtpEndpoint): Promise<[RtpPacket, RtpRemote]> {
  return new Promise((resolve) => endpoint.once('packet', (packet, from) => resolve([packet, from])));
}

describe('RtpPortAllocator', () => {
  it('hands out even ports round-robin and reuses released ones last', () => {
    const sut = new RtpPortAllocator({ min: 10001, max: 10008 });
    expect([sut.allocate(), sut.allocate(), sut.allocate()]).toEqual([10002, 10004, 10006]);
    sut.release(10002);
    expect(sut.allocate()).toBe(10008);
    expect(sut.allocate()).toBe(10002);
    expect(() => sut.allocate()).toThrow('No free RTP port in 10002-10008: all 4 are in use');
    sut.release(10006);
    expect(sut.allocate()).toBe(10006);
    expect(sut.allocatedCount).toBe(4);
  });

  it('refuses a range it cannot use', () => {
    expect(() => new RtpPortAllocator({ min: 20000, max: 10000 })).toThrow('RTP port range 20000-10000 is invalid');
    expect(() => new RtpPortAllocator({ min: 80, max: 100 })).toThrow('within 1024-65535');
    expect(() => new RtpPortAllocator({ min: 10001, max: 10001 })).toThrow('holds no even port');
  });
});

describe('RtpEndpoint', () => {
  let peer: UdpPeer;
  let other: UdpPeer;
  beforeEach(async () => {
    peer = await UdpPeer.open();
    other = await UdpPeer.open();
  });
  afterEach(async () => {
    await peer.close();
    await other.close();
  });

  it('learns the remote from the first packet (symmetric RTP), then ignores other sources and junk without throwing', async () => {
    const allocator = new RtpPortAllocator({ min: 40000, max: 40100 });
    const sut = await RtpEndpoint.open({ allocator, host: '127.0.0.1' });
    const invalid: string[] = [];
    sut.on('invalid', (error) => invalid.push(error.message));
    try {
      // The SDP said port 9 (wrong, as behind NAT); the packets come from the peer.
      sut.expectRemote({ address: '127.0.0.1', port: 9 });
      const first = nextPacket(sut);
      await peer.send(serializeRtpPacket(rtp(1)), sut.port);
      expect(await first).toEqual([rtp(1), { address: '127.0.0.1', port: peer.port }]);
      expect(sut.remote).toEqual({ address: '127.0.0.1', port: peer.port });

      await other.send(serializeRtpPacket(rtp(2)), sut.port); // foreign: dropped
      await peer.send(Buffer.from('garbage, not RTP at all'), sut.port); // junk: reported, dropped
      const third = nextPacket(sut);
      await peer.send(serializeRtpPacket(rtp(3)), sut.port);
      expect((await third)[0].sequenceNumber).toBe(3);
      expect(invalid).toEqual(['Not RTP version 2 (version field is 1)']);
      expect(sut.stats).toEqual({ received: 2, invalid: 1, foreign: 1, sent: 0 });

      // Sends go to the learned address.
      expect(sut.send(rtp(77))).toBe(true);
      expect(parseRtpPacket(await peer.nextDatagram()).sequenceNumber).toBe(77);
    } finally {
      await sut.close();
    }
    expect(allocator.allocatedCount).toBe(0);
    expect(sut.send(rtp(78))).toBe(false);
  });

  it('a new SDP (re-INVITE) re-opens learning; without a remote nothing is sent', async () => {
    const sut = await RtpEndpoint.open({ allocator: new RtpPortAllocator({ min: 40200, max: 40300 }), host: '127.0.0.1' });
    try {
      expect(sut.send(rtp(1))).toBe(false);
      sut.expectRemote({ address: '127.0.0.1', port: peer.port });
      const first = nextPacket(sut);
      await peer.send(serializeRtpPacket(rtp(1)), sut.port);
      await first;
      sut.expectRemote({ address: '127.0.0.1', port: other.port });
      const moved = nextPacket(sut);
      await other.send(serializeRtpPacket(rtp(2)), sut.port);
      expect((await moved)[1]).toEqual({ address: '127.0.0.1', port: other.port });
    } finally {
      await sut.close();
    }
  });

  it('skips a port another program holds', async () => {
    const squatter = createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(40400, '127.0.0.1', () => resolve()));
    const sut = await RtpEndpoint.open({ allocator: new RtpPortAllocator({ min: 40400, max: 40410 }), host: '127.0.0.1' });
    try {
      expect(sut.port).toBe(40402);
    } finally {
      await sut.close();
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it('refuses a host that is not an IP address', async () => {
    await expect(RtpEndpoint.open({ allocator: new RtpPortAllocator({ min: 40500, max: 40510 }), host: 'localhost' })).rejects.toThrow(
      'Cannot open RTP on "localhost": not an IP address',
    );
  });
});
