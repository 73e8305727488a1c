import { parse as parseSdp } from 'sdp-transform';
import { callerRequest, inviteFrame, offerSdp, type CallerParams } from '../testing/dialog-frames';
import { crlf } from '../testing/sip-frames';
import { UdpPeer } from '../testing/udp-peer';
import { type UasHarness, startUasHarness } from '../testing/uas-harness';
import { getCSeq, parseSipMessage, type SipMessage, type SipRequest, type SipResponse } from './message';
import { getTag } from './name-addr';

const LOCAL_RTP = { address: '127.0.0.1', port: 40000 };

describe('UserAgentServer over UDP (raw frames)', () => {
  let h: UasHarness;
  let peer: UdpPeer;
  let caller: CallerParams;
  let pings = 0;

  beforeEach(async () => {
    h = await startUasHarness();
    peer = await UdpPeer.open();
    caller = { peerPort: peer.port, callId: `call-${Math.random().toString(16).slice(2)}@127.0.0.1` };
  });

  afterEach(async () => {
    await h.close();
    await peer.close();
  });

  const send = (frame: string | Buffer) => peer.send(frame, h.udp.address().port);
  const next = async (): Promise<SipMessage> => parseSipMessage(await peer.nextDatagram());
  async function nextResponse(): Promise<SipResponse> {
    const message = await next();
    if (message.kind !== 'response') throw new Error(`Expected a response, got ${message.method}`);
    return message;
  }
  async function nextRequest(): Promise<SipRequest> {
    const message = await next();
    if (message.kind !== 'request') throw new Error(`Expected a request, got ${message.status}`);
    return message;
  }

  /**
   * Loopback UDP keeps order: an OPTIONS answered means everything the UAS sent before it has
   * arrived, so "nothing else was sent" needs no sleep.
   */
  async function expectNothingElseSent(): Promise<void> {
    pings++;
    await send(callerRequest('OPTIONS', { ...caller, callId: `ping-${pings}` }, { branch: `z9hG4bKping${pings}`, cseq: 1 }));
    const response = await nextResponse();
    expect(response.headers.get('Call-ID')).toBe(`ping-${pings}`);
  }

  /** INVITE → 100, application rings → 180; returns the To tag of the dialog. */
  async function offerAndRing(branch = 'z9hG4bKinv1'): Promise<string> {
    h.uas.once('callOffered', (call) => call.ring());
    await send(inviteFrame(caller, { branch, cseq: 1 }));
    expect((await nextResponse()).status).toBe(100);
    const ringing = await nextResponse();
    expect(ringing.status).toBe(180);
    const tag = getTag(ringing.headers.get('To') ?? '');
    expect(tag).toBeDefined();
    return tag ?? '';
  }

  async function answeredCall(): Promise<{ toTag: string; ok: SipResponse }> {
    const toTag = await offerAndRing();
    h.calls[0].answer(LOCAL_RTP);
    const ok = await nextResponse();
    expect(ok.status).toBe(200);
    await send(callerRequest('ACK', caller, { branch: 'z9hG4bKack1', cseq: 1, toTag }));
    await expectNothingElseSent();
    return { toTag, ok };
  }

  it('answers an INVITE with 100, 180 and a 200 whose SDP answers PCMA with telephone-event', async () => {
    const toTag = await offerAndRing();
    expect(h.events).toEqual([{ event: 'callOffered', callId: caller.callId }]);
    expect(h.calls[0].audio).toMatchObject({ codec: 'PCMA', payloadType: 8, telephoneEventPayloadType: 101, remote: { address: '127.0.0.1', port: 16384 } });

    h.calls[0].answer(LOCAL_RTP);
    const ok = await nextResponse();

    expect(ok.status).toBe(200);
    expect(getTag(ok.headers.get('To') ?? '')).toBe(toTag);
    expect(ok.headers.get('Content-Type')).toBe('application/sdp');
    expect(ok.headers.get('Contact')).toBe(`<sip:127.0.0.1:${h.udp.address().port}>`);
    const answer = parseSdp(ok.body.toString('utf8'));
    expect(answer.connection?.ip).toBe('127.0.0.1');
    expect(answer.media[0]).toMatchObject({ type: 'audio', port: 40000, payloads: '8 101', direction: 'sendrecv' });
    expect(answer.media[0].rtp).toEqual([
      { payload: 8, codec: 'PCMA', rate: 8000 },
      { payload: 101, codec: 'telephone-event', rate: 8000 },
    ]);

    await send(callerRequest('ACK', caller, { branch: 'z9hG4bKack1', cseq: 1, toTag }));
    await expectNothingElseSent();
    expect(h.events.map((e) => e.event)).toEqual(['callOffered', 'callAnswered']);
    expect(h.calls[0].state).toBe('confirmed');

    await send(callerRequest('BYE', caller, { branch: 'z9hG4bKbye1', cseq: 2, toTag }));
    const byeOk = await nextResponse();
    expect(byeOk.status).toBe(200);
    expect(getCSeq(byeOk)).toEqual({ sequence: 2, method: 'BYE' });
    expect(h.events.at(-1)).toEqual({ event: 'callEnded', callId: caller.callId, reason: 'bye', initiator: 'caller' });
  });

  it('absorbs a retransmitted INVITE: the same 180 while ringing, the same 200 once answered', async () => {
    const toTag = await offerAndRing();
    await send(inviteFrame(caller, { branch: 'z9hG4bKinv1', cseq: 1 }));
    const again = await nextResponse();
    expect(again.status).toBe(180);
    expect(getTag(again.headers.get('To') ?? '')).toBe(toTag);

    h.calls[0].answer(LOCAL_RTP);
    const ok = await nextResponse();
    await send(inviteFrame(caller, { branch: 'z9hG4bKinv1', cseq: 1 }));
    const okAgain = await nextResponse();
    expect(okAgain.status).toBe(200);
    expect(okAgain.body.equals(ok.body)).toBe(true);
    expect(h.events.filter((e) => e.event === 'callOffered')).toHaveLength(1);
  });

  it('retransmits the 200 with T1 doubling until the ACK arrives', async () => {
    const toTag = await offerAndRing();
    h.calls[0].answer(LOCAL_RTP);
    expect((await nextResponse()).status).toBe(200);

    h.clock.advance(499);
    await expectNothingElseSent();
    h.clock.advance(1); // T1 = 500 ms
    expect((await nextResponse()).status).toBe(200);
    h.clock.advance(999);
    await expectNothingElseSent();
    h.clock.advance(1); // 2·T1 later
    expect((await nextResponse()).status).toBe(200);

    await send(callerRequest('ACK', caller, { branch: 'z9hG4bKack1', cseq: 1, toTag }));
    await expectNothingElseSent();
    h.clock.advance(60_000);
    await expectNothingElseSent();
    expect(h.events.map((e) => e.event)).toEqual(['callOffered', 'callAnswered']);
  });

  it('gives up after 64·T1 without an ACK: BYE to the caller, call ended by timeout', async () => {
    await offerAndRing();
    h.calls[0].answer(LOCAL_RTP);
    expect((await nextResponse()).status).toBe(200);

    // Retransmissions at 0.5, 1.5, 3.5, 7.5 s, then every T2 = 4 s: 11.5 … 31.5 s → 10 in all.
    h.clock.advance(31_999);
    for (let i = 0; i < 10; i++) expect((await nextResponse()).status).toBe(200);
    await expectNothingElseSent();
    h.clock.advance(1);

    const bye = await nextRequest();
    expect(bye.method).toBe('BYE');
    expect(bye.requestUri).toBe(`sip:13800138000@127.0.0.1:${peer.port}`);
    expect(bye.headers.get('Call-ID')).toBe(caller.callId);
    expect(getTag(bye.headers.get('To') ?? '')).toBe('caller-tag');
    expect(h.events.at(-1)).toEqual({ event: 'callEnded', callId: caller.callId, reason: 'timeout', initiator: 'bridge' });
  });

  it('answers a retransmitted BYE with the same 200 and ends the call once', async () => {
    const { toTag } = await answeredCall();
    const bye = callerRequest('BYE', caller, { branch: 'z9hG4bKbye9', cseq: 2, toTag });
    await send(bye);
    expect((await nextResponse()).status).toBe(200);
    await send(bye);
    expect((await nextResponse()).status).toBe(200);
    expect(h.events.filter((e) => e.event === 'callEnded')).toHaveLength(1);

    // A new BYE (new branch) for the finished dialog: 481.
    await send(callerRequest('BYE', caller, { branch: 'z9hG4bKbye10', cseq: 3, toTag }));
    expect((await nextResponse()).status).toBe(481);
  });

  it('CANCEL while ringing: 200 to the CANCEL, 487 to the INVITE, and the ACK for the 487 stops its retransmission', async () => {
    await offerAndRing('z9hG4bKinvC');
    await send(callerRequest('CANCEL', caller, { branch: 'z9hG4bKinvC', cseq: 1 }));

    const cancelOk = await nextResponse();
    expect(cancelOk.status).toBe(200);
    expect(getCSeq(cancelOk).method).toBe('CANCEL');
    const terminated = await nextResponse();
    expect(terminated.status).toBe(487);
    expect(getCSeq(terminated)).toEqual({ sequence: 1, method: 'INVITE' });
    expect(h.events.at(-1)).toEqual({ event: 'callEnded', callId: caller.callId, reason: 'cancel', initiator: 'caller' });

    h.clock.advance(500); // timer G: the 487 again while no ACK came
    expect((await nextResponse()).status).toBe(487);

    const toTag = getTag(terminated.headers.get('To') ?? '');
    await send(callerRequest('ACK', caller, { branch: 'z9hG4bKinvC', cseq: 1, toTag }));
    await expectNothingElseSent();
    h.clock.advance(40_000);
    await expectNothingElseSent();
  });

  it('answers a CANCEL that matches no INVITE with 481', async () => {
    await send(callerRequest('CANCEL', caller, { branch: 'z9hG4bKnothing', cseq: 1 }));
    expect((await nextResponse()).status).toBe(481);
  });

  it('re-INVITE puts the call on hold and back, with a new answer each time', async () => {
    const { toTag, ok } = await answeredCall();
    const firstVersion = parseSdp(ok.body.toString('utf8')).origin.sessionVersion;

    await send(inviteFrame(caller, { branch: 'z9hG4bKhold', cseq: 2, toTag, sdp: offerSdp({ direction: 'sendonly' }) }));
    const holdOk = await nextResponse();
    expect(holdOk.status).toBe(200);
    const holdAnswer = parseSdp(holdOk.body.toString('utf8'));
    expect(holdAnswer.media[0].direction).toBe('recvonly');
    expect(holdAnswer.origin.sessionVersion).toBe(firstVersion + 1);
    await send(callerRequest('ACK', caller, { branch: 'z9hG4bKack2', cseq: 2, toTag }));
    await expectNothingElseSent();
    expect(h.events.at(-1)).toEqual({ event: 'callHold', callId: caller.callId, onHold: true });
    expect(h.calls[0].onHold).toBe(true);

    await send(inviteFrame(caller, { branch: 'z9hG4bKunhold', cseq: 3, toTag, sdp: offerSdp() }));
    const unholdOk = await nextResponse();
    expect(parseSdp(unholdOk.body.toString('utf8')).media[0].direction).toBe('sendrecv');
    await send(callerRequest('ACK', caller, { branch: 'z9hG4bKack3', cseq: 3, toTag }));
    await expectNothingElseSent();
    expect(h.events.at(-1)).toEqual({ event: 'callHold', callId: caller.callId, onHold: false });
    h.clock.advance(40_000); // no 200 retransmissions after the ACKs, no timeout BYE
    await expectNothingElseSent();
    expect(h.calls[0].state).toBe('confirmed');
  });

  it('treats c=0.0.0.0 in a re-INVITE as hold (RFC 2543 style)', async () => {
    const { toTag } = await answeredCall();
    await send(inviteFrame(caller, { branch: 'z9hG4bKhold0', cseq: 2, toTag, sdp: offerSdp({ address: '0.0.0.0' }) }));
    expect((await nextResponse()).status).toBe(200);
    expect(h.events.at(-1)).toEqual({ event: 'callHold', callId: caller.callId, onHold: true });
  });

  it('refuses a re-INVITE without an acceptable codec with 488 and keeps the call', async () => {
    const { toTag } = await answeredCall();
    const g729 = offerSdp({ payloads: '18', rtpmaps: ['a=rtpmap:18 G729/8000'] });
    await send(inviteFrame(caller, { branch: 'z9hG4bKg729', cseq: 2, toTag, sdp: g729 }));
    expect((await nextResponse()).status).toBe(488);
    expect(h.calls[0].state).toBe('confirmed');
    expect(h.calls[0].audio.codec).toBe('PCMA');
  });

  it('answers OPTIONS with 200 listing the methods and accepting SDP', async () => {
    await send(callerRequest('OPTIONS', caller, { branch: 'z9hG4bKopt', cseq: 7 }));
    const response = await nextResponse();
    expect(response.status).toBe(200);
    expect(response.headers.getAll('Allow')).toEqual(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'INFO', 'REGISTER']);
    expect(response.headers.get('Accept')).toBe('application/sdp');
  });

  it('answers INFO in a dialog with 200 and hands content type and body to the application', async () => {
    const { toTag } = await answeredCall();
    const body = crlf('Signal=5', 'Duration=160', '');
    await send(callerRequest('INFO', caller, { branch: 'z9hG4bKinfo', cseq: 2, toTag, body, contentType: 'application/dtmf-relay' }));
    expect((await nextResponse()).status).toBe(200);
    expect(h.events.at(-1)).toEqual({ event: 'infoReceived', callId: caller.callId, contentType: 'application/dtmf-relay', body });
  });

  it('answers unknown methods with 501 and in-dialog requests for unknown dialogs with 481', async () => {
    await send(callerRequest('PUBLISH', caller, { branch: 'z9hG4bKpub', cseq: 1 }));
    const notImplemented = await nextResponse();
    expect(notImplemented.status).toBe(501);
    expect(notImplemented.headers.getAll('Allow')).toContain('INVITE');

    await send(callerRequest('BYE', caller, { branch: 'z9hG4bKnob', cseq: 2, toTag: 'nobody' }));
    expect((await nextResponse()).status).toBe(481);
    await send(callerRequest('INFO', caller, { branch: 'z9hG4bKnoi', cseq: 3 }));
    expect((await nextResponse()).status).toBe(481);
  });

  it('answers an INVITE offering only G.729 with 488 and no call', async () => {
    const g729 = offerSdp({ payloads: '18', rtpmaps: ['a=rtpmap:18 G729/8000'] });
    await send(inviteFrame(caller, { branch: 'z9hG4bK729', cseq: 1, sdp: g729 }));
    expect((await nextResponse()).status).toBe(100);
    const refused = await nextResponse();
    expect(refused.status).toBe(488);
    expect(refused.reason).toBe('Not Acceptable Here');
    expect(refused.headers.get('Warning')).toMatch(/^304 jiesu/);
    expect(h.events).toEqual([]);
  });

  it('answers an INVITE without SDP offer with 488', async () => {
    await send(inviteFrame(caller, { branch: 'z9hG4bKnosdp', cseq: 1, sdp: null }));
    expect((await nextResponse()).status).toBe(100);
    expect((await nextResponse()).status).toBe(488);
  });

  it('rejects with 486 Busy Here when the application says the queue is full', async () => {
    h.uas.once('callOffered', (call) => call.reject(486));
    await send(inviteFrame(caller, { branch: 'z9hG4bKbusy', cseq: 1 }));
    expect((await nextResponse()).status).toBe(100);
    const busy = await nextResponse();
    expect(busy).toMatchObject({ status: 486, reason: 'Busy Here' });
    expect(h.events.at(-1)).toEqual({ event: 'callEnded', callId: caller.callId, reason: 'rejected', initiator: 'bridge' });
    await send(callerRequest('ACK', caller, { branch: 'z9hG4bKbusy', cseq: 1, toTag: getTag(busy.headers.get('To') ?? '') }));
    await expectNothingElseSent();
    h.clock.advance(10_000);
    await expectNothingElseSent();
  });

  it('answers 500 and ends the call with error when the application throws while taking it', async () => {
    h.uas.prependOnceListener('callOffered', () => {
      throw new Error('queue store unavailable');
    });
    await send(inviteFrame(caller, { branch: 'z9hG4bKthrow', cseq: 1 }));
    expect((await nextResponse()).status).toBe(100);
    expect((await nextResponse()).status).toBe(500);
    expect(h.events.at(-1)).toEqual({ event: 'callEnded', callId: caller.callId, reason: 'error', initiator: 'bridge' });
    expect(h.logger.records.at(-1)).toMatchObject({ level: 'error', message: 'Listener for callOffered failed' });
    await expectNothingElseSent();
  });

  it('matches a CANCEL to its INVITE even when the CANCEL carries a To tag', async () => {
    const toTag = await offerAndRing('z9hG4bKinvT');
    await send(callerRequest('CANCEL', caller, { branch: 'z9hG4bKinvT', cseq: 1, toTag }));
    expect((await nextResponse()).status).toBe(200);
    expect((await nextResponse()).status).toBe(487);
  });

  it('hangs up an answered call with a BYE in the dialog and stops retransmitting it on the 200', async () => {
    const { toTag } = await answeredCall();
    h.calls[0].hangup();
    const bye = await nextRequest();
    expect(bye.method).toBe('BYE');
    expect(getTag(bye.headers.get('From') ?? '')).toBe(toTag);
    expect(getCSeq(bye).method).toBe('BYE');
    expect(h.events.at(-1)).toEqual({ event: 'callEnded', callId: caller.callId, reason: 'bye', initiator: 'bridge' });

    h.clock.advance(500); // timer E
    const retransmitted = await nextRequest();
    expect(retransmitted.headers.get('Via')).toBe(bye.headers.get('Via'));
    const response = crlf(
      'SIP/2.0 200 OK',
      ...bye.headers.getAll('Via').map((via) => `Via: ${via}`),
      `From: ${bye.headers.get('From')}`,
      `To: ${bye.headers.get('To')}`,
      `Call-ID: ${bye.headers.get('Call-ID')}`,
      `CSeq: ${bye.headers.get('CSeq')}`,
      'Content-Length: 0',
      '',
      '',
    );
    await send(response);
    await expectNothingElseSent();
    h.clock.advance(10_000);
    await expectNothingElseSent();
    expect(h.uas.transactions.clientTransactionCount).toBe(0);
  });

  it('answers an out-of-order CSeq in a dialog with 500', async () => {
    const { toTag } = await answeredCall();
    await send(callerRequest('INFO', caller, { branch: 'z9hG4bKi5', cseq: 5, toTag, body: 'x', contentType: 'text/plain' }));
    expect((await nextResponse()).status).toBe(200);
    await send(callerRequest('INFO', caller, { branch: 'z9hG4bKi4', cseq: 4, toTag, body: 'y', contentType: 'text/plain' }));
    expect((await nextResponse()).status).toBe(500);
  });

  describe('malformed requests', () => {
    const remote = () => ({ address: '127.0.0.1', port: peer.port });
    const malformedInvite = (cseqLine: string) =>
      crlf(
        'INVITE sip:12345@127.0.0.1 SIP/2.0',
        `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKbad;rport`,
        'From: <sip:1@127.0.0.1>;tag=a',
        'To: <sip:12345@127.0.0.1>',
        'Call-ID: bad-1',
        cseqLine,
        'Content-Length: 0',
        '',
        '',
      );

    it('answers a bad CSeq with 400, copying what it could read, and keeps serving', async () => {
      const frame = malformedInvite('CSeq: one INVITE');
      expect(() => parseSipMessage(frame)).toThrow(/Malformed CSeq/);

      expect(h.uas.answerMalformed(Buffer.from(frame), 'Malformed CSeq "one INVITE"', remote(), h.udpBinding)).toBe(true);
      // Our parser cannot read "one INVITE" back either, so the 400 is checked as raw text.
      const raw = (await peer.nextDatagram()).toString('utf8');
      expect(raw).toMatch(/^SIP\/2\.0 400 Bad Request\r\n/);
      expect(raw).toContain('CSeq: one INVITE\r\n');
      expect(raw).toMatch(/\r\nTo: <sip:12345@127\.0\.0\.1>;tag=[0-9a-f]+\r\n/);
      await expectNothingElseSent();
    });

    it('sends a 400 that names the problem (checked as raw text: its CSeq is the bad one)', async () => {
      h.uas.answerMalformed(Buffer.from(malformedInvite('CSeq: 1 BYE')), 'CSeq method BYE does not match request method INVITE', remote(), h.udpBinding);
      const raw = (await peer.nextDatagram()).toString('utf8');
      expect(raw).toMatch(/^SIP\/2\.0 400 Bad Request\r\n/);
      expect(raw).toContain(`Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKbad;rport=${peer.port};received=127.0.0.1`);
      expect(raw).toContain('Call-ID: bad-1\r\n');
      expect(raw).toContain('CSeq: 1 BYE\r\n');
      expect(raw).toContain('Warning: 399 jiesu "CSeq method BYE does not match request method INVITE"');
      await expectNothingElseSent();
    });

    it('answers a truncated request (Content-Length beyond the datagram) with 400', async () => {
      const truncated = inviteFrame(caller, { branch: 'z9hG4bKtrunc', cseq: 1 }).slice(0, -40);
      expect(() => parseSipMessage(truncated)).toThrow(/exceeds body length/);
      expect(h.uas.answerMalformed(Buffer.from(truncated), 'truncated', remote(), h.udpBinding)).toBe(true);
      const response = await nextResponse();
      expect(response.status).toBe(400);
      expect(response.headers.get('Call-ID')).toBe(caller.callId);
    });

    it('drops what cannot be answered: no Via, binary junk, a malformed response, an ACK', () => {
      const noVia = crlf('OPTIONS sip:a@b SIP/2.0', 'From: <sip:x@y>;tag=1', 'To: <sip:a@b>', 'Call-ID: c', 'CSeq: 1 OPTIONS', '', '');
      expect(h.uas.answerMalformed(Buffer.from(noVia), 'x', remote(), h.udpBinding)).toBe(false);
      expect(h.uas.answerMalformed(Buffer.from([0xff, 0x00, 0x3a, 0x0d, 0x0a, 0x0d, 0x0a]), 'x', remote(), h.udpBinding)).toBe(false);
      expect(h.uas.answerMalformed(Buffer.from('SIP/2.0 200 OK\r\nVia: nonsense\r\n\r\n'), 'x', remote(), h.udpBinding)).toBe(false);
      const ack = malformedInvite('CSeq: x ACK').replace(/^INVITE/, 'ACK');
      expect(h.uas.answerMalformed(Buffer.from(ack), 'x', remote(), h.udpBinding)).toBe(false);
    });

    it('keeps serving after garbage datagrams reach the transport', async () => {
      await send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
      await send('INVITE sip:x SIP/2.0\r\n\r\n');
      await send(crlf('OPTIONS sip:a@b SIP/2.0', 'Call-ID: c', '', ''));
      await expectNothingElseSent();
      const toTag = await offerAndRing('z9hG4bKafter');
      expect(toTag).not.toBe('');
    });
  });
});
