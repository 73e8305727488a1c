import { once } from 'node:events';
import { parse as parseSdp } from 'sdp-transform';
import { getCSeq, parseSipMessage, type SipMessage, type SipResponse } from '../sip/message';
import { getTag } from '../sip/name-addr';
import { callerRequest, inviteFrame, type CallerParams } from '../testing/dialog-frames';
import { crlf } from '../testing/sip-frames';
import { TcpPeer } from '../testing/tcp-peer';
import { type UasHarness, startUasHarness } from '../testing/uas-harness';
import { TcpTransport } from './tcp-transport';

describe('TcpTransport framing', () => {
  let sut: TcpTransport;
  let peer: TcpPeer;
  const received: SipMessage[] = [];

  beforeEach(async () => {
    received.length = 0;
    sut = await TcpTransport.create({ host: '127.0.0.1', port: 0, maxHeaderBytes: 2048, maxBodyBytes: 1024 });
    sut.on('message', (message) => received.push(message));
    sut.on('error', () => undefined);
    peer = await TcpPeer.connect(sut.address().port);
  });

  afterEach(async () => {
    peer.close();
    await sut.close();
  });

  const options = (callId: string, port = 5060) =>
    callerRequest('OPTIONS', { peerPort: port, callId, transport: 'TCP' }, { branch: `z9hG4bK${callId}`, cseq: 1 });

  async function waitForMessages(count: number): Promise<void> {
    while (received.length < count) await once(sut, 'message', { signal: AbortSignal.timeout(2000) });
  }

  it('splits two messages that arrive in one chunk, with a CRLF keep-alive between them', async () => {
    await peer.send(`${options('one')}\r\n\r\n${inviteFrame({ peerPort: 5060, callId: 'two', transport: 'TCP' }, { branch: 'z9hG4bKtwo', cseq: 1 })}`);
    await waitForMessages(2);
    expect(received.map((m) => m.headers.get('Call-ID'))).toEqual(['one', 'two']);
    expect(received[1].body.toString('utf8')).toContain('m=audio 16384 RTP/AVP 8 0 101');
  });

  it('joins one message that arrives in three chunks, splitting inside the headers and inside the body', async () => {
    const frame = Buffer.from(inviteFrame({ peerPort: 5060, callId: 'chunked', transport: 'TCP' }, { branch: 'z9hG4bKc', cseq: 1 }));
    await peer.send(frame.subarray(0, 40));
    await peer.send(frame.subarray(40, frame.length - 30));
    expect(received).toHaveLength(0);
    await peer.send(frame.subarray(frame.length - 30));
    await waitForMessages(1);
    expect(received[0].headers.get('Call-ID')).toBe('chunked');
    expect(received[0].body.length).toBe(Number(received[0].headers.get('Content-Length')));
  });

  it('stamps received/rport from the connection on requests', async () => {
    await peer.send(options('stamp', 5999));
    await waitForMessages(1);
    expect(received[0].headers.get('Via')).toBe(`SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bKstamp;rport=${peer.port};received=127.0.0.1`);
  });

  it('answers a well-framed but malformed request with 400 and keeps the connection', async () => {
    await peer.send(options('bad').replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE'));
    const raw = (await peer.nextMessage()).toString('utf8');
    expect(raw).toMatch(/^SIP\/2\.0 400 Bad Request\r\n/);
    expect(raw).toContain('Call-ID: bad\r\n');
    await peer.send(options('good'));
    await waitForMessages(1);
    expect(peer.closed).toBe(false);
  });

  it('answers a request without Content-Length with 400, then closes (the stream cannot be framed)', async () => {
    await peer.send(options('nolength').replace('Content-Length: 0\r\n', ''));
    const response = parseSipMessage(await peer.nextMessage()) as SipResponse;
    expect(response.status).toBe(400);
    expect(response.headers.get('Warning')).toBe('399 jiesu "Content-Length is required on a stream transport"');
    await peer.whenClosed();
  });

  it('answers a huge header section with 400, then closes', async () => {
    await peer.send(options('huge').replace('Max-Forwards: 70', `Max-Forwards: 70\r\nX-Padding: ${'a'.repeat(3000)}`));
    const response = parseSipMessage(await peer.nextMessage()) as SipResponse;
    expect(response.status).toBe(400);
    await peer.whenClosed();
    expect(received).toHaveLength(0);
  });

  it('answers a body beyond the limit with 413, then closes', async () => {
    await peer.send(options('big').replace('Content-Length: 0', 'Content-Length: 5000'));
    const response = parseSipMessage(await peer.nextMessage()) as SipResponse;
    expect(response).toMatchObject({ status: 413, reason: 'Request Entity Too Large' });
    await peer.whenClosed();
  });

  it('closes a stream of binary junk without answering', async () => {
    await peer.send(Buffer.alloc(3000, 0xa7));
    await peer.whenClosed();
    expect(received).toHaveLength(0);
  });

  it('sends to a peer it has no connection with by opening one', async () => {
    const other = await TcpTransport.create({ host: '127.0.0.1', port: 0 });
    try {
      const arrived = once(other, 'message', { signal: AbortSignal.timeout(2000) });
      await sut.send(parseSipMessage(options('outbound')), '127.0.0.1', other.address().port);
      const [message] = (await arrived) as [SipMessage];
      expect(message.headers.get('Call-ID')).toBe('outbound');
      expect(sut.connectionCount).toBe(2);
    } finally {
      await other.close();
    }
  });
});

describe('UserAgentServer over TCP', () => {
  let h: UasHarness;
  let peer: TcpPeer;
  let caller: CallerParams;

  beforeEach(async () => {
    h = await startUasHarness();
    peer = await TcpPeer.connect(h.tcp.address().port);
    caller = { peerPort: peer.port, callId: 'tcp-call@127.0.0.1', transport: 'TCP' };
  });

  afterEach(async () => {
    peer.close();
    await h.close();
  });

  const next = async () => parseSipMessage(await peer.nextMessage());

  it('runs a whole call on one connection and sends our BYE on it, without transaction-level retransmissions', async () => {
    h.uas.once('callOffered', (call) => call.ring());
    await peer.send(inviteFrame(caller, { branch: 'z9hG4bKt1', cseq: 1 }));
    expect((await next()) as SipResponse).toMatchObject({ status: 100 });
    const ringing = (await next()) as SipResponse;
    expect(ringing.status).toBe(180);
    const toTag = getTag(ringing.headers.get('To') ?? '') ?? '';

    h.calls[0].answer({ address: '127.0.0.1', port: 40002 });
    const ok = (await next()) as SipResponse;
    expect(ok.status).toBe(200);
    expect(ok.headers.get('Contact')).toBe(`<sip:127.0.0.1:${h.tcp.address().port};transport=tcp>`);
    expect(parseSdp(ok.body.toString('utf8')).media[0].port).toBe(40002);

    // The UAS core retransmits its 2xx on TCP too (a proxy may forward it over UDP, §13.3.1.4).
    h.clock.advance(500);
    expect(((await next()) as SipResponse).status).toBe(200);
    await peer.send(callerRequest('ACK', caller, { branch: 'z9hG4bKt1ack', cseq: 1, toTag }));
    await peer.send(callerRequest('OPTIONS', caller, { branch: 'z9hG4bKt1opt', cseq: 2, toTag }));
    expect(getCSeq(await next()).method).toBe('OPTIONS');
    expect(h.events.map((e) => e.event)).toEqual(['callOffered', 'callAnswered']);

    h.calls[0].hangup();
    const bye = await next();
    expect(bye).toMatchObject({ kind: 'request', method: 'BYE' });
    expect(bye.headers.get('Via')).toMatch(/^SIP\/2\.0\/TCP 127\.0\.0\.1:\d+;branch=z9hG4bK/);
    h.clock.advance(5000); // and no BYE retransmissions either
    await peer.send(callerRequest('OPTIONS', caller, { branch: 'z9hG4bKt1opt2', cseq: 3 }));
    expect(getCSeq(await next()).method).toBe('OPTIONS');
  });

  it('answers CANCEL over TCP with 200 and 487', async () => {
    h.uas.once('callOffered', (call) => call.ring());
    await peer.send(inviteFrame(caller, { branch: 'z9hG4bKt2', cseq: 1 }));
    await next();
    await next();
    await peer.send(callerRequest('CANCEL', caller, { branch: 'z9hG4bKt2', cseq: 1 }));
    expect(((await next()) as SipResponse).status).toBe(200);
    expect(((await next()) as SipResponse).status).toBe(487);
    expect(h.events.at(-1)).toMatchObject({ event: 'callEnded', reason: 'cancel' });
  });

  it('keeps serving after a garbage connection is closed', async () => {
    const junk = await TcpPeer.connect(h.tcp.address().port);
    await junk.send(Buffer.alloc(20_000, 0x41));
    await junk.whenClosed();
    await peer.send(crlf(callerRequest('OPTIONS', caller, { branch: 'z9hG4bKok', cseq: 9 })));
    expect(((await next()) as SipResponse).status).toBe(200);
  });
});
