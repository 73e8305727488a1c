import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SipBridge, startSipBridge } from './bridge';
import { loadConfig } from './config';
import { getCallId, parseSipMessage } from './sip/message';
import { FakeCtiBackend } from './testing/fake-cti-backend';
import { RecordingLogger } from './testing/recording-logger';
import { crlf, requestFrame } from './testing/sip-frames';
import { TcpPeer } from './testing/tcp-peer';
import { TcpTransport } from './transport/tcp-transport';
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

  it('refuses a configured port whose TCP twin is taken, naming it, and gives its UDP port back', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const otherSpool = await mkdtemp(join(tmpdir(), 'bridge-'));
    try {
      const config = loadConfig({ SIP_PORT: String(port), BACKEND_URL: backend.url, CTI_TOKEN: backend.token, SPOOL_DIR: otherSpool, RTP_PORT_MIN: '43000', RTP_PORT_MAX: '43998' });
      await expect(startSipBridge({ config }, logger)).rejects.toThrow(`Cannot listen for SIP on tcp 127.0.0.1:${port}: listen EADDRINUSE`);
      const udp = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(port, '127.0.0.1', resolve);
      });
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
      await rm(otherSpool, { recursive: true, force: true });
    }
  });

  it('with port 0, chooses again when the TCP twin of the system\'s UDP port is taken', async () => {
    const create = TcpTransport.create.bind(TcpTransport);
    const refused: number[] = [];
    const spy = jest.spyOn(TcpTransport, 'create').mockImplementation(async (options) => {
      if (refused.length === 0) {
        refused.push(options.port);
        throw new Error(`Cannot listen for SIP on tcp ${options.host}:${options.port}: listen EADDRINUSE`, { cause: Object.assign(new Error('taken'), { code: 'EADDRINUSE' }) });
      }
      return create(options);
    });
    const otherSpool = await mkdtemp(join(tmpdir(), 'bridge-'));
    try {
      const config = loadConfig({ SIP_PORT: '0', BACKEND_URL: backend.url, CTI_TOKEN: backend.token, SPOOL_DIR: otherSpool, RTP_PORT_MIN: '43000', RTP_PORT_MAX: '43998' });
      const second = await startSipBridge({ config }, logger);
      try {
        expect(spy).toHaveBeenCalledTimes(2);
        expect(second.tcpAddress().port).toBe(second.address().port);
        expect(refused).toHaveLength(1);
      } finally {
        await second.close();
      }
    } finally {
      spy.mockRestore();
      await rm(otherSpool, { recursive: true, force: true });
    }
  });
});
