import { type SipBridge, startSipBridge } from './bridge';
import { getCallId, parseSipMessage } from './sip/message';
import { crlf, requestFrame } from './testing/sip-frames';
import { RecordingLogger } from './testing/recording-logger';
import { UdpPeer } from './testing/udp-peer';

describe('startSipBridge', () => {
  let logger: RecordingLogger;
  let sut: SipBridge;
  let peer: UdpPeer;

  beforeEach(async () => {
    logger = new RecordingLogger();
    sut = await startSipBridge({ host: '127.0.0.1', port: 0 }, logger);
    peer = await UdpPeer.open();
  });

  afterEach(async () => {
    await sut.close();
    await peer.close();
  });

  const send = (method: string, callId: string) =>
    peer.send(
      requestFrame({ method, viaHost: '127.0.0.1', viaPort: peer.port, branch: `z9hG4bK${callId}`, callId, rport: true }),
      sut.address().port,
    );

  async function nextResponse() {
    const message = parseSipMessage(await peer.nextDatagram());
    if (message.kind !== 'response') throw new Error('expected a response');
    return message;
  }

  it('answers OPTIONS with 200 OK and logs one line', async () => {
    await send('OPTIONS', 'ping-1');

    const response = await nextResponse();

    expect(response).toMatchObject({ status: 200, reason: 'OK' });
    expect(response.headers.get('Allow')).toBe('OPTIONS');
    expect(logger.records).toEqual([
      {
        level: 'info',
        message: 'Answered SIP request',
        fields: { remote: `127.0.0.1:${peer.port}`, to: `127.0.0.1:${peer.port}`, callId: 'ping-1', cseq: 1, method: 'OPTIONS', status: 200 },
      },
    ]);
  });

  it('answers INVITE with 501 Not Implemented, To tagged', async () => {
    await send('INVITE', 'call-1');

    const response = await nextResponse();

    expect(response).toMatchObject({ status: 501, reason: 'Not Implemented' });
    expect(response.headers.get('To')).toMatch(/^<sip:bridge@127\.0\.0\.1>;tag=[0-9a-f]+$/);
  });

  it('absorbs ACK without answering', async () => {
    await send('ACK', 'call-2');
    await send('OPTIONS', 'after-ack');

    // Loopback keeps order: had the ACK been answered, that answer would come first.
    expect(getCallId(await nextResponse())).toBe('after-ack');
    expect(logger.records.map((r) => r.message)).toEqual(['Absorbed SIP request', 'Answered SIP request']);
  });

  it('ignores responses, as it has no client transactions yet', async () => {
    const stray = crlf(
      'SIP/2.0 200 OK',
      `Via: SIP/2.0/UDP 127.0.0.1:${sut.address().port};branch=z9hG4bKstray`,
      'From: <sip:bridge@127.0.0.1>;tag=1',
      'To: <sip:pbx@127.0.0.1>;tag=2',
      'Call-ID: stray-1',
      'CSeq: 9 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    );
    await peer.send(stray, sut.address().port);
    await send('OPTIONS', 'after-stray');

    expect(getCallId(await nextResponse())).toBe('after-stray');
    expect(logger.records[0]).toMatchObject({ level: 'info', message: 'Ignored SIP response', fields: { status: 200, callId: 'stray-1' } });
  });

  it('logs a malformed datagram and keeps answering', async () => {
    await peer.send('garbage', sut.address().port);
    await send('OPTIONS', 'after-garbage');

    expect(getCallId(await nextResponse())).toBe('after-garbage');
    expect(logger.records[0]).toEqual({
      level: 'warn',
      message: 'Dropped malformed SIP datagram',
      fields: { remote: `127.0.0.1:${peer.port}`, error: 'Malformed start line: "garbage"' },
    });
  });
});
