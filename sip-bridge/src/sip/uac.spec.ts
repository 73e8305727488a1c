import { offerSdp } from '../testing/dialog-frames';
import { crlf } from '../testing/sip-frames';
import { UdpPeer } from '../testing/udp-peer';
import { type UasHarness, startUasHarness } from '../testing/uas-harness';
import { type SipRequest, getCSeq, parseSipMessage, serializeSipMessage } from './message';
import { getTag } from './name-addr';
import { buildResponse } from './responses';
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
});
