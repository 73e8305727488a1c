import { parse as parseSdp } from 'sdp-transform';
import { offerSdp } from '../testing/dialog-frames';
import { crlf } from '../testing/sip-frames';
import { UdpPeer } from '../testing/udp-peer';
import { type UasHarness, startUasHarness } from '../testing/uas-harness';
import { type SipMessage, type SipRequest, type SipResponse, getCSeq, parseSipMessage, serializeSipMessage } from './message';
import { getTag } from './name-addr';
import { buildResponse } from './responses';
import type { NegotiatedAudio } from './sdp-answer';
import type { OutboundCall } from './uac';
import { parseVia } from './via';

const ANSWER_SDP = crlf('v=0', 'o=phone 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 42000 RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', '');

describe('inviteAgent against a fake agent phone (UDP)', () => {
  let h: UasHarness;
  let phone: UdpPeer;

  beforeEach(async () => {
    h = await startUasHarness();
    phone = await UdpPeer.open();
  });

  afterEach(async () => {
    await h.close();
    await phone.close();
  });

  function callAgent(): OutboundCall {
    return h.uas.inviteAgent(h.udpBinding, {
      contactUri: `sip:1001@127.0.0.1:${phone.port}`,
      destination: { address: '127.0.0.1', port: phone.port },
      from: '"13800138000" <sip:13800138000@127.0.0.1>',
      sdpOffer: offerSdp({ payloads: '8 101', port: 30000 }),
      ringTimeoutMs: 15_000,
    });
  }

  async function phoneReceives(): Promise<SipRequest> {
    const message = parseSipMessage(await phone.nextDatagram());
    if (message.kind !== 'request') throw new Error(`phone expected a request, got ${message.status}`);
    return message;
  }

  async function phoneAnswers(request: SipRequest, status: number, options: { body?: string; toTag?: string } = {}): Promise<void> {
    const response = buildResponse(request, status, {
      toTag: options.toTag ?? 'phone-tag',
      headers: options.body === undefined ? [] : [['Contact', `<sip:1001@127.0.0.1:${phone.port}>`], ['Content-Type', 'application/sdp']],
    });
    if (options.body !== undefined) response.body = Buffer.from(options.body);
    await phone.send(serializeSipMessage(response), h.udp.address().port);
  }

  it('INVITEs the contact, reports progress, ACKs the 2xx (again for a retransmission) and settles as answered', async () => {
    const call = callAgent();
    const progress: number[] = [];
    call.on('progress', (response) => progress.push(response.status));

    const invite = await phoneReceives();
    expect(invite.method).toBe('INVITE');
    expect(invite.requestUri).toBe(`sip:1001@127.0.0.1:${phone.port}`);
    expect(invite.body.toString('utf8')).toContain('m=audio 30000 RTP/AVP 8 101');
    await phoneAnswers(invite, 180);
    await phoneAnswers(invite, 200, { body: ANSWER_SDP });

    const outcome = await call.outcome;
    expect(outcome).toMatchObject({ kind: 'answered', answerSdp: ANSWER_SDP });
    expect(progress).toEqual([180]);
    const ack = await phoneReceives();
    expect(ack.method).toBe('ACK');
    expect(getCSeq(ack)).toEqual({ sequence: getCSeq(invite).sequence, method: 'ACK' });
    expect(getTag(ack.headers.get('To') ?? '')).toBe('phone-tag');
    // A 2xx ACK is a new transaction: new branch (RFC 3261 §13.2.2.4).
    expect(parseVia(ack.headers.get('Via') ?? '').params.get('branch')).not.toBe(parseVia(invite.headers.get('Via') ?? '').params.get('branch'));

    await phoneAnswers(invite, 200, { body: ANSWER_SDP });
    expect((await phoneReceives()).method).toBe('ACK');
  });

  it('answers the agent phone\'s BYE with 200 and reports the leg ended by the agent', async () => {
    const call = callAgent();
    const invite = await phoneReceives();
    await phoneAnswers(invite, 200, { body: ANSWER_SDP });
    await call.outcome;
    await phoneReceives(); // ACK
    const ended = new Promise((resolve) => call.once('ended', resolve));

    const bye = crlf(
      `BYE sip:127.0.0.1:${h.udp.address().port} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${phone.port};branch=z9hG4bKphonebye;rport`,
      `From: ${invite.headers.get('To')};tag=phone-tag`,
      `To: ${invite.headers.get('From')}`,
      `Call-ID: ${invite.headers.get('Call-ID')}`,
      'CSeq: 1 BYE',
      'Content-Length: 0',
      '',
      '',
    );
    await phone.send(bye, h.udp.address().port);
    const response = parseSipMessage(await phone.nextDatagram());
    expect(response).toMatchObject({ kind: 'response', status: 200 });
    await expect(ended).resolves.toBe('agent');
  });

  it('settles as rejected on 486, with the ACK on the INVITE\'s branch', async () => {
    const call = callAgent();
    const invite = await phoneReceives();
    await phoneAnswers(invite, 486);
    expect(await call.outcome).toEqual({ kind: 'rejected', status: 486, reason: 'Busy Here' });
    const ack = await phoneReceives();
    expect(ack.method).toBe('ACK');
    expect(ack.headers.get('Via')).toBe(invite.headers.get('Via'));
  });

  it('CANCELs after the ring timeout and settles as noAnswer on the 487', async () => {
    const call = callAgent();
    const invite = await phoneReceives();
    await phoneAnswers(invite, 180);
    await new Promise<void>((resolve) => call.once('progress', () => resolve()));
    h.clock.advance(15_000);

    const cancel = await phoneReceives();
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.headers.get('Via')).toBe(invite.headers.get('Via'));
    expect(getCSeq(cancel)).toEqual({ sequence: getCSeq(invite).sequence, method: 'CANCEL' });
    await phoneAnswers(cancel, 200);
    await phoneAnswers(invite, 487);
    expect(await call.outcome).toEqual({ kind: 'noAnswer' });
    expect((await phoneReceives()).method).toBe('ACK');
  });

  it('settles as unreachable when nothing answers (timer B)', async () => {
    const call = callAgent();
    await phoneReceives();
    h.clock.advance(32_000);
    expect(await call.outcome).toEqual({ kind: 'unreachable' });
  });

  it('hangs up an answered leg with a BYE in its dialog', async () => {
    const call = callAgent();
    const invite = await phoneReceives();
    await phoneAnswers(invite, 200, { body: ANSWER_SDP });
    await call.outcome;
    await phoneReceives(); // ACK
    call.hangup();
    const bye = await phoneReceives();
    expect(bye.method).toBe('BYE');
    expect(bye.requestUri).toBe(`sip:1001@127.0.0.1:${phone.port}`);
    expect(getCSeq(bye).sequence).toBe(getCSeq(invite).sequence + 1);
  });

  describe("re-INVITEs from the agent's phone (hold, resume, a new address)", () => {
    /** Our offer in the INVITE: o= session 4242 version 1, RTP on 127.0.0.1:30000. */
    const OUR_OFFER = crlf('v=0', 'o=jiesu 4242 1 IN IP4 127.0.0.1', 's=jiesu', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 30000 RTP/AVP 8 0 101', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=ptime:20', 'a=sendrecv', '');
    let pings = 0;

    const phoneOffer = (options: { direction?: string; port?: number; payloads?: string; rtpmaps?: string[]; address?: string } = {}) =>
      offerSdp({ port: options.port ?? 42000, direction: options.direction, payloads: options.payloads, rtpmaps: options.rtpmaps, address: options.address });

    async function answeredLeg(): Promise<{ call: OutboundCall; invite: SipRequest; updates: NegotiatedAudio[] }> {
      const call = h.uas.inviteAgent(h.udpBinding, {
        contactUri: `sip:1001@127.0.0.1:${phone.port}`,
        destination: { address: '127.0.0.1', port: phone.port },
        from: '"13800138000" <sip:13800138000@127.0.0.1>',
        sdpOffer: OUR_OFFER,
      });
      const updates: NegotiatedAudio[] = [];
      call.on('sessionUpdated', (audio) => updates.push(audio));
      const invite = await phoneReceives();
      await phoneAnswers(invite, 200, { body: ANSWER_SDP });
      await call.outcome;
      expect((await phoneReceives()).method).toBe('ACK');
      return { call, invite, updates };
    }

    /** A request the phone sends in the leg's dialog (From = its To with its tag, To = our From). */
    function phoneRequest(method: string, invite: SipRequest, options: { cseq: number; branch: string; sdp?: string; contentType?: string }): string {
      const body = options.sdp ?? '';
      return crlf(
        `${method} sip:127.0.0.1:${h.udp.address().port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${phone.port};branch=${options.branch};rport`,
        'Max-Forwards: 70',
        `From: ${invite.headers.get('To')};tag=phone-tag`,
        `To: ${invite.headers.get('From')}`,
        `Call-ID: ${invite.headers.get('Call-ID')}`,
        `CSeq: ${options.cseq} ${method}`,
        `Contact: <sip:1001@127.0.0.1:${phone.port}>`,
        ...(body === '' ? [] : [`Content-Type: ${options.contentType ?? 'application/sdp'}`]),
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        body,
      );
    }

    const sendToBridge = (frame: string) => phone.send(frame, h.udp.address().port);

    async function phoneNext(): Promise<SipMessage> {
      return parseSipMessage(await phone.nextDatagram());
    }

    /** The re-INVITE's 100 Trying, then its final response. */
    async function finalResponse(): Promise<SipResponse> {
      for (;;) {
        const message = await phoneNext();
        if (message.kind !== 'response') throw new Error(`phone expected a response, got ${message.method}`);
        if (message.status >= 200) return message;
        expect(message.status).toBe(100);
      }
    }

    /** Loopback UDP keeps order: the answer to an OPTIONS sent now proves nothing else was sent before it. */
    async function expectNothingElseSent(): Promise<void> {
      pings += 1;
      await sendToBridge(
        crlf(
          `OPTIONS sip:127.0.0.1:${h.udp.address().port} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${phone.port};branch=z9hG4bKping${pings};rport`,
          'Max-Forwards: 70',
          'From: <sip:1001@127.0.0.1>;tag=ping',
          `To: <sip:127.0.0.1:${h.udp.address().port}>`,
          `Call-ID: ping-${pings}`,
          'CSeq: 1 OPTIONS',
          'Content-Length: 0',
          '',
          '',
        ),
      );
      const response = await phoneNext();
      expect(response).toMatchObject({ kind: 'response', status: 200 });
      expect(response.headers.get('Call-ID')).toBe(`ping-${pings}`);
    }

    it('hold: 200 with a recvonly answer on our RTP port (o= version + 1), the new address reported, the ACK absorbed; resume: sendrecv', async () => {
      const { call, invite, updates } = await answeredLeg();
      expect(call.onHold).toBe(false);

      await sendToBridge(phoneRequest('INVITE', invite, { cseq: 2, branch: 'z9hG4bKhold', sdp: phoneOffer({ direction: 'sendonly', port: 42002 }) }));
      const holdOk = await finalResponse();
      expect(holdOk.status).toBe(200);
      expect(getCSeq(holdOk)).toEqual({ sequence: 2, method: 'INVITE' });
      expect(getTag(holdOk.headers.get('To') ?? '')).toBe(getTag(invite.headers.get('From') ?? ''));
      expect(holdOk.headers.get('Contact')).toBe(`<sip:127.0.0.1:${h.udp.address().port}>`);
      const holdAnswer = parseSdp(holdOk.body.toString('utf8'));
      expect(holdAnswer.origin).toMatchObject({ sessionId: 4242, sessionVersion: 2 });
      expect(holdAnswer.media[0]).toMatchObject({ port: 30000, payloads: '8 101', direction: 'recvonly' });
      expect(updates).toHaveLength(1);
      expect(updates[0]).toMatchObject({ onHold: true, codec: 'PCMA', remote: { address: '127.0.0.1', port: 42002 } });
      expect(call.onHold).toBe(true);

      await sendToBridge(phoneRequest('ACK', invite, { cseq: 2, branch: 'z9hG4bKholdack' }));
      await expectNothingElseSent();
      h.clock.advance(40_000); // no 200 retransmissions after the ACK, and no BYE
      await expectNothingElseSent();

      await sendToBridge(phoneRequest('INVITE', invite, { cseq: 3, branch: 'z9hG4bKresume', sdp: phoneOffer({ port: 42002 }) }));
      const resumeOk = await finalResponse();
      expect(resumeOk.status).toBe(200);
      const resumeAnswer = parseSdp(resumeOk.body.toString('utf8'));
      expect(resumeAnswer.origin.sessionVersion).toBe(3);
      expect(resumeAnswer.media[0]).toMatchObject({ port: 30000, direction: 'sendrecv' });
      await sendToBridge(phoneRequest('ACK', invite, { cseq: 3, branch: 'z9hG4bKresumeack' }));
      await expectNothingElseSent();
      expect(updates.map((audio) => audio.onHold)).toEqual([true, false]);
      expect(call.onHold).toBe(false);
      h.clock.advance(40_000);
      await expectNothingElseSent();
    });

    it('answers inactive with inactive, and retransmits the 200 (T1 doubling) until the ACK', async () => {
      const { invite } = await answeredLeg();
      await sendToBridge(phoneRequest('INVITE', invite, { cseq: 2, branch: 'z9hG4bKinactive', sdp: phoneOffer({ direction: 'inactive' }) }));
      const ok = await finalResponse();
      expect(parseSdp(ok.body.toString('utf8')).media[0].direction).toBe('inactive');

      h.clock.advance(499);
      await expectNothingElseSent();
      h.clock.advance(1); // T1
      const again = await phoneNext();
      expect(again).toMatchObject({ kind: 'response', status: 200 });
      expect(again.body.equals(ok.body)).toBe(true);
      h.clock.advance(1000); // 2·T1 later
      expect(await phoneNext()).toMatchObject({ kind: 'response', status: 200 });

      await sendToBridge(phoneRequest('ACK', invite, { cseq: 2, branch: 'z9hG4bKinactiveack' }));
      await expectNothingElseSent();
      h.clock.advance(60_000);
      await expectNothingElseSent();
    });

    it('without an ACK within 64·T1 the leg is hung up with a BYE (ended by the bridge)', async () => {
      const { call, invite } = await answeredLeg();
      const ended = new Promise((resolve) => call.once('ended', resolve));
      await sendToBridge(phoneRequest('INVITE', invite, { cseq: 2, branch: 'z9hG4bKnoack', sdp: phoneOffer({ direction: 'sendonly' }) }));
      expect((await finalResponse()).status).toBe(200);

      h.clock.advance(32_000);
      let bye: SipMessage;
      do bye = await phoneNext();
      while (bye.kind === 'response');
      expect(bye).toMatchObject({ kind: 'request', method: 'BYE' });
      expect(bye.headers.get('Call-ID')).toBe(invite.headers.get('Call-ID'));
      await expect(ended).resolves.toBe('bridge');
      expect(h.logger.records.some((record) => record.level === 'warn' && /No ACK from the agent's phone/.test(record.message))).toBe(true);
    });

    it('answers a re-INVITE overlapping one that awaits its ACK with 500 and Retry-After, and one crossing ours with 491', async () => {
      const { call, invite } = await answeredLeg();
      await sendToBridge(phoneRequest('INVITE', invite, { cseq: 2, branch: 'z9hG4bKfirst', sdp: phoneOffer({ direction: 'sendonly' }) }));
      expect((await finalResponse()).status).toBe(200);

      await sendToBridge(phoneRequest('INVITE', invite, { cseq: 3, branch: 'z9hG4bKsecond', sdp: phoneOffer() }));
      const overlapping = await phoneNext();
      expect(overlapping).toMatchObject({ kind: 'response', status: 500 });
      expect(overlapping.headers.get('Retry-After')).toBe('1');
      expect(call.onHold).toBe(true);

      await sendToBridge(phoneRequest('ACK', invite, { cseq: 2, branch: 'z9hG4bKfirstack' }));
      // CSeq ordering as for the caller: a lower one than the last is out of order.
      await sendToBridge(phoneRequest('INVITE', invite, { cseq: 2, branch: 'z9hG4bKold', sdp: phoneOffer() }));
      expect(await phoneNext()).toMatchObject({ kind: 'response', status: 500, reason: 'CSeq Out of Order' });

      // Glare: our own re-INVITE (the caller's hold relayed) is waiting for the phone's answer.
      call.reinvite(OUR_OFFER.replace('o=jiesu 4242 1', `o=jiesu 4242 ${call.nextSdpVersion()}`).replace('a=sendrecv', 'a=sendonly'));
      const ours = await phoneReceives();
      expect(ours.method).toBe('INVITE');
      expect(call.reinviteInProgress).toBe('outgoing');
      await sendToBridge(phoneRequest('INVITE', invite, { cseq: 4, branch: 'z9hG4bKglare', sdp: phoneOffer() }));
      expect(await phoneNext()).toMatchObject({ kind: 'response', status: 491 });

      await phoneAnswers(ours, 200, { body: ANSWER_SDP });
      expect((await phoneReceives()).method).toBe('ACK');
      expect(call.reinviteInProgress).toBeUndefined();
      await sendToBridge(phoneRequest('INVITE', invite, { cseq: 5, branch: 'z9hG4bKafter', sdp: phoneOffer() }));
      expect((await finalResponse()).status).toBe(200);
      expect(call.onHold).toBe(false);
    });

    it('refuses a G.729-only re-offer with 488 and a Warning, keeping the session; the ACK for the 488 is absorbed', async () => {
      const { call, invite, updates } = await answeredLeg();
      const before = call.remoteAudio;
      await sendToBridge(phoneRequest('INVITE', invite, { cseq: 2, branch: 'z9hG4bKg729', sdp: phoneOffer({ payloads: '18', rtpmaps: ['a=rtpmap:18 G729/8000'], port: 42010 }) }));
      const refused = await finalResponse();
      expect(refused).toMatchObject({ status: 488, reason: 'Not Acceptable Here' });
      expect(refused.headers.get('Warning')).toMatch(/^304 jiesu "SDP offer has no PCMU or PCMA audio stream"/);
      expect(updates).toEqual([]);
      expect(call.remoteAudio).toEqual(before);

      // The ACK of a non-2xx final response belongs to its transaction (same branch): absorbed, the 488 stops.
      await sendToBridge(phoneRequest('ACK', invite, { cseq: 2, branch: 'z9hG4bKg729' }));
      await expectNothingElseSent();
      h.clock.advance(40_000);
      await expectNothingElseSent();

      await sendToBridge(phoneRequest('INVITE', invite, { cseq: 3, branch: 'z9hG4bKpcmu', sdp: phoneOffer({ payloads: '0', rtpmaps: ['a=rtpmap:0 PCMU/8000'] }) }));
      const ok = await finalResponse();
      expect(ok.status).toBe(200);
      expect(parseSdp(ok.body.toString('utf8')).media[0]).toMatchObject({ payloads: 0, port: 30000 }); // sdp-transform: a lone payload type is a number
      expect(updates[0]).toMatchObject({ codec: 'PCMU', telephoneEventPayloadType: undefined });
    });

    it('refuses a re-INVITE without SDP (offer in the ACK) with 488 and a Warning that says so', async () => {
      const { call, invite } = await answeredLeg();
      await sendToBridge(phoneRequest('INVITE', invite, { cseq: 2, branch: 'z9hG4bKnosdp' }));
      const refused = await finalResponse();
      expect(refused.status).toBe(488);
      expect(refused.headers.get('Warning')).toBe('304 jiesu "A re-INVITE without an SDP offer is not supported (offer in the ACK)"');
      expect(call.onHold).toBe(false);
    });
  });
});
