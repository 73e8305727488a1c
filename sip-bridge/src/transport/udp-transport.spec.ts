import { once } from 'node:events';
import { SipParseError, type SipRequest, getCallId, getCSeq, parseSipMessage } from '../sip/message';
import { buildResponse, responseDestination } from '../sip/responses';
import { parseVia } from '../sip/via';
import { requestFrame } from '../testing/sip-frames';
import { UdpPeer } from '../testing/udp-peer';
import { UdpTransport } from './udp-transport';

const timeout = () => ({ signal: AbortSignal.timeout(2000) });

describe('UdpTransport over loopback', () => {
  let sut: UdpTransport;
  let peer: UdpPeer;

  beforeEach(async () => {
    sut = await UdpTransport.create({ host: '127.0.0.1', port: 0 });
    peer = await UdpPeer.open();
  });

  afterEach(async () => {
    await sut.close();
    await peer.close();
  });

  /** The simplest responder: what main wires up, minus the logging. */
  function answerWith200(): void {
    sut.on('message', (message) => {
      if (message.kind !== 'request') return;
      const response = buildResponse(message, 200);
      const { address, port } = responseDestination(response);
      void sut.send(response, address, port);
    });
  }

  async function expectOptionsAnswered(callId: string, branch: string, cseq = 1): Promise<void> {
    await peer.send(requestFrame({ viaHost: '127.0.0.1', viaPort: peer.port, branch, callId, cseq, rport: true }), sut.address().port);
    const response = parseSipMessage(await peer.nextDatagram());
    expect(response).toMatchObject({ kind: 'response', status: 200, reason: 'OK' });
    expect(getCallId(response)).toBe(callId);
    expect(getCSeq(response)).toEqual({ sequence: cseq, method: 'OPTIONS' });
    expect(parseVia(response.headers.get('Via') ?? '').params.get('branch')).toBe(branch);
  }

  it('binds to an ephemeral port', () => {
    expect(sut.address()).toEqual({ address: '127.0.0.1', port: expect.any(Number) });
    expect(sut.address().port).toBeGreaterThan(0);
  });

  it('answers an OPTIONS with a 200 OK carrying its Call-ID, CSeq and Via branch', async () => {
    answerWith200();

    await expectOptionsAnswered('loopback-1@127.0.0.1', 'z9hG4bKloop1', 17);
  });

  it('emits the parsed request with the sender, rport and received filled in', async () => {
    const received = once(sut, 'message', timeout());

    await peer.send(requestFrame({ viaHost: '127.0.0.1', viaPort: 5999, branch: 'z9hG4bKr', callId: 'r-1', rport: true }), sut.address().port);

    const [message, remote] = (await received) as [SipRequest, { address: string; port: number }];
    expect(remote).toEqual({ address: '127.0.0.1', port: peer.port, family: 'IPv4' });
    expect(message.headers.get('Via')).toBe(`SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKr;rport=${peer.port};received=127.0.0.1`);
  });

  it('sends the response to the source address when sent-by is a host name', async () => {
    answerWith200();

    await peer.send(requestFrame({ viaHost: 'pbx.example.cn', viaPort: peer.port, branch: 'z9hG4bKn', callId: 'n-1' }), sut.address().port);

    const response = parseSipMessage(await peer.nextDatagram());
    expect(response.headers.get('Via')).toBe(`SIP/2.0/UDP pbx.example.cn:${peer.port};branch=z9hG4bKn;received=127.0.0.1`);
  });

  it('reports a garbage datagram as an error event and keeps working', async () => {
    answerWith200();
    const reported = once(sut, 'error', timeout());

    await peer.send(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x0d, 0x0a]), sut.address().port);

    const [error, remote] = await reported;
    expect(error).toBeInstanceOf(SipParseError);
    expect(error.message).toMatch(/^Malformed start line: /);
    expect(remote).toEqual({ address: '127.0.0.1', port: peer.port, family: 'IPv4' });
    await expectOptionsAnswered('after-garbage-1', 'z9hG4bKafter');
  });

  it('reports a request it cannot correlate', async () => {
    const reported = once(sut, 'error', timeout());

    const frame = requestFrame({ viaHost: '127.0.0.1', viaPort: peer.port, branch: 'z9hG4bKx', callId: 'x' });
    await peer.send(frame.replace(/Call-ID: x\r\n/, ''), sut.address().port);

    const [error] = await reported;
    expect(error.message).toBe('Cannot correlate SIP message without Call-ID and CSeq');
  });

  it('drops garbage silently when nobody listens for errors, instead of throwing', async () => {
    answerWith200();

    await peer.send('not sip at all', sut.address().port);

    await expectOptionsAnswered('no-listener-1', 'z9hG4bKquiet');
  });

  it('ignores CRLF keep-alives', async () => {
    answerWith200();
    const errors: Error[] = [];
    sut.on('error', (error) => errors.push(error));

    await peer.send('\r\n\r\n', sut.address().port);
    await expectOptionsAnswered('after-keepalive-1', 'z9hG4bKka');

    expect(errors).toEqual([]);
  });

  it('survives a message listener that throws, reporting it', async () => {
    answerWith200();
    sut.on('message', () => {
      throw new Error('listener bug');
    });
    const reported = once(sut, 'error', timeout());

    await expectOptionsAnswered('throwing-listener-1', 'z9hG4bKbug');

    const [error] = await reported;
    expect(error.message).toBe('SIP message listener failed: listener bug');
    await expectOptionsAnswered('throwing-listener-2', 'z9hG4bKbug2');
  });

  it('refuses to send once closed, and closes only once', async () => {
    const response = buildResponse(
      parseSipMessage(requestFrame({ viaHost: '127.0.0.1', branch: 'z9hG4bKc', callId: 'c' })) as SipRequest,
      200,
    );
    await sut.close();
    await sut.close();

    await expect(sut.send(response, '127.0.0.1', peer.port)).rejects.toThrow('Cannot send SIP message: transport is closed');
  });
});

describe('UdpTransport.create', () => {
  it('refuses a host that is not an IP address', async () => {
    await expect(UdpTransport.create({ host: 'localhost', port: 0 })).rejects.toThrow(
      'Cannot listen for SIP on "localhost": not an IP address',
    );
  });

  it('says which address it could not bind', async () => {
    const first = await UdpTransport.create({ host: '127.0.0.1', port: 0 });
    const { port } = first.address();
    try {
      await expect(UdpTransport.create({ host: '127.0.0.1', port })).rejects.toThrow(
        `Cannot listen for SIP on udp 127.0.0.1:${port}: bind EADDRINUSE`,
      );
    } finally {
      await first.close();
    }
  });
});
