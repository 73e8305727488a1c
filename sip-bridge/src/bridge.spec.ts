import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SipBridge, startSipBridge } from './bridge';
import { loadConfig } from './config';
import { getCallId, parseSipMessage } from './sip/message';
import { FakeCtiBackend } from './testing/fake-cti-backend';
import { RecordingLogger } from './testing/recording-logger';
import { crlf, requestFrame } from './testing/sip-frames';
import { TcpPeer } from './testing/tcp-peer';
import { UdpPeer } from './testing/udp-peer';

describe('startSipBridge', () => {
  let logger: RecordingLogger;
  let sut: SipBridge;
  let peer: UdpPeer;
  let backend: FakeCtiBackend;
  let spoolDir: string;

  beforeEach(async () => {
    logger = new RecordingLogger();
    spoolDir = await mkdtemp(join(tmpdir(), 'bridge-'));
    backend = await FakeCtiBackend.start();
    const config = loadConfig({ SIP_PORT: '0', BACKEND_URL: backend.url, CTI_TOKEN: backend.token, SPOOL_DIR: spoolDir, RTP_PORT_MIN: '42000', RTP_PORT_MAX: '42998' });
    sut = await startSipBridge({ config }, logger);
    peer = await UdpPeer.open();
  });

  afterEach(async () => {
    await sut.close();
    await peer.close();
    await backend.down();
    await rm(spoolDir, { recursive: true, force: true });
  });

  const send = (method: string, callId: string) =>
    peer.send(requestFrame({ method, viaHost: '127.0.0.1', viaPort: peer.port, branch: `z9hG4bK${callId}`, callId, rport: true }), sut.address().port);

  async function nextResponse() {
    const message = parseSipMessage(await peer.nextDatagram());
    if (message.kind !== 'response') throw new Error('expected a response');
    return message;
  }

  it('answers OPTIONS with 200 OK and the methods it allows', async () => {
    await send('OPTIONS', 'ping-1');

    const response = await nextResponse();

    expect(response).toMatchObject({ status: 200, reason: 'OK' });
    expect(response.headers.getAll('Allow').join(', ')).toBe('INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REGISTER');
  });

  it('answers an unknown method with 501', async () => {
    await send('SUBSCRIBE', 'sub-1');

    expect(await nextResponse()).toMatchObject({ status: 501 });
  });

  it('answers a malformed but answerable datagram with 400, drops garbage, and keeps serving', async () => {
    await peer.send('\u0000\u0001binary junk', sut.address().port);
    await peer.send(
      crlf('OPTIONS sip:bridge@127.0.0.1 SIP/2.0', `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKbad`, 'From: <sip:a@b>;tag=1', 'To: <sip:bridge@127.0.0.1>', 'Call-ID: bad-1', 'CSeq: 1 BYE', 'Content-Length: 0', '', ''),
      sut.address().port,
    );
    // Checked as raw text: the 400 copies the bad CSeq as it came.
    expect((await peer.nextDatagram()).toString('utf8')).toMatch(/^SIP\/2\.0 400 Bad Request\r\n[\s\S]*Call-ID: bad-1\r\n/);

    await send('OPTIONS', 'after-garbage');
    expect(getCallId(await nextResponse())).toBe('after-garbage');
    expect(logger.records.map((record) => record.message)).toEqual(expect.arrayContaining(['Dropped malformed SIP datagram', 'Answered malformed SIP datagram with 400']));
  });

  it('also listens on TCP, on the same port', async () => {
    expect(sut.tcpAddress().port).toBe(sut.address().port);
    const tcp = await TcpPeer.connect(sut.tcpAddress().port);
    try {
      await tcp.send(requestFrame({ method: 'OPTIONS', viaHost: '127.0.0.1', viaPort: 5060, branch: 'z9hG4bKtcp1', callId: 'tcp-1' }));
      const response = parseSipMessage(await tcp.nextMessage());
      expect(response).toMatchObject({ kind: 'response', status: 200 });
    } finally {
      tcp.close();
    }
  });
});
