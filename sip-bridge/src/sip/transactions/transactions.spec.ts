import { FakeClock } from '../../testing/fake-clock';
import { callerRequest, inviteFrame } from '../../testing/dialog-frames';
import { crlf } from '../../testing/sip-frames';
import { type SipRequest, type SipResponse, getCSeq, parseSipMessage } from '../message';
import { buildResponse } from '../responses';
import { DEFAULT_TIMERS } from './clock';
import { InviteClientTransaction, NonInviteClientTransaction, buildNon2xxAck } from './client-transaction';
import { InviteServerTransaction, NonInviteServerTransaction } from './server-transaction';
import { cancelledInviteKey, clientTransactionKey, serverTransactionKey } from './transaction-key';

const caller = { peerPort: 5062, callId: 'tx-1@127.0.0.1' };
const request = (frame: string) => parseSipMessage(frame) as SipRequest;
const invite = () => request(inviteFrame(caller, { branch: 'z9hG4bKtx1', cseq: 7 }));

/** Records when (fake ms since start) each message went out. */
function recorder(clock: FakeClock) {
  const start = clock.now();
  const sent: { at: number; status?: number; method?: string }[] = [];
  return {
    sent,
    times: () => sent.map((entry) => entry.at),
    response: (response: SipResponse) => sent.push({ at: clock.now() - start, status: response.status }),
    request: (outgoing: SipRequest) => sent.push({ at: clock.now() - start, method: outgoing.method }),
  };
}

describe('transaction keys (RFC 3261 §17.2.3)', () => {
  it('matches the ACK of a non-2xx to its INVITE, keeps CANCEL apart but able to find the INVITE', () => {
    const ack = request(callerRequest('ACK', caller, { branch: 'z9hG4bKtx1', cseq: 7, toTag: 'x' }));
    const cancel = request(callerRequest('CANCEL', caller, { branch: 'z9hG4bKtx1', cseq: 7 }));
    expect(serverTransactionKey(ack)).toBe(serverTransactionKey(invite()));
    expect(serverTransactionKey(cancel)).not.toBe(serverTransactionKey(invite()));
    expect(cancelledInviteKey(cancel)).toBe(serverTransactionKey(invite()));
  });

  it('falls back to Call-ID, CSeq, From tag, Request-URI and Via for RFC 2543 branches', () => {
    const old = (cseq: number, method = 'INVITE', toTag?: string) =>
      request(callerRequest(method, caller, { branch: 'oldstyle1', cseq, toTag, ...(method === 'INVITE' ? { body: 'v=0\r\n' } : {}) }));
    expect(serverTransactionKey(old(1))).toBe(serverTransactionKey(old(1)));
    expect(serverTransactionKey(old(1, 'ACK', 'tag'))).toBe(serverTransactionKey(old(1)));
    expect(serverTransactionKey(old(2))).not.toBe(serverTransactionKey(old(1)));
    expect(serverTransactionKey(old(1))).toMatch(/^2543\|/);
  });

  it('matches responses to client transactions by branch and CSeq method', () => {
    const response = buildResponse(invite(), 180);
    expect(clientTransactionKey(response)).toBe('z9hG4bKtx1|INVITE');
  });
});

describe('INVITE server transaction', () => {
  it('retransmits a final non-2xx on timer G (T1 doubling, capped at T2) and gives up on timer H', () => {
    const clock = new FakeClock();
    const log = recorder(clock);
    const onAckTimeout = jest.fn();
    const onTerminated = jest.fn();
    const sut = new InviteServerTransaction(invite(), { clock, timers: DEFAULT_TIMERS, reliable: false, transmit: log.response, onTerminated, onAckTimeout });

    sut.respond(buildResponse(sut.request, 486));
    clock.advance(64 * 500);

    // 0, then +0.5, +1, +2, +4 (capped at T2), +4 … until 32 s.
    expect(log.times()).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(sut.state).toBe('terminated');
    expect(onAckTimeout).toHaveBeenCalledTimes(1);
    expect(onTerminated).toHaveBeenCalledTimes(1);
  });

  it('stops on the ACK, absorbs it for timer I (T4), and resends the last response to a retransmitted INVITE before', () => {
    const clock = new FakeClock();
    const log = recorder(clock);
    const onTerminated = jest.fn();
    const sut = new InviteServerTransaction(invite(), { clock, timers: DEFAULT_TIMERS, reliable: false, transmit: log.response, onTerminated });

    sut.respond(buildResponse(sut.request, 180));
    sut.receiveRetransmission();
    sut.respond(buildResponse(sut.request, 603));
    clock.advance(600);
    sut.receiveAck();
    expect(sut.state).toBe('confirmed');
    clock.advance(4999);
    expect(sut.state).toBe('confirmed');
    clock.advance(1);

    expect(log.sent).toEqual([
      { at: 0, status: 180 },
      { at: 0, status: 180 },
      { at: 0, status: 603 },
      { at: 500, status: 603 },
    ]);
    expect(sut.state).toBe('terminated');
    expect(onTerminated).toHaveBeenCalledTimes(1);
  });

  it('does not retransmit over TCP and ends at once after the ACK', () => {
    const clock = new FakeClock();
    const log = recorder(clock);
    const sut = new InviteServerTransaction(invite(), { clock, timers: DEFAULT_TIMERS, reliable: true, transmit: log.response, onTerminated: () => undefined });
    sut.respond(buildResponse(sut.request, 487));
    clock.advance(10_000);
    sut.receiveAck();
    clock.advance(0);
    expect(log.times()).toEqual([0]);
    expect(sut.state).toBe('terminated');
  });

  it('after a 2xx waits in Accepted for timer L, accepting the core\'s 2xx retransmissions', () => {
    const clock = new FakeClock();
    const log = recorder(clock);
    const sut = new InviteServerTransaction(invite(), { clock, timers: DEFAULT_TIMERS, reliable: false, transmit: log.response, onTerminated: () => undefined });
    const ok = buildResponse(sut.request, 200);
    sut.respond(ok);
    expect(sut.state).toBe('accepted');
    clock.advance(500);
    sut.respond(ok);
    expect(() => sut.respond(buildResponse(sut.request, 486))).toThrow(/state accepted/);
    clock.advance(31_500);
    expect(sut.state).toBe('terminated');
    expect(log.times()).toEqual([0, 500]);
  });
});

describe('non-INVITE server transaction', () => {
  it('absorbs retransmissions while trying, resends the final response, and lingers for timer J (64·T1)', () => {
    const clock = new FakeClock();
    const log = recorder(clock);
    const bye = request(callerRequest('BYE', caller, { branch: 'z9hG4bKb', cseq: 8, toTag: 't' }));
    const sut = new NonInviteServerTransaction(bye, { clock, timers: DEFAULT_TIMERS, reliable: false, transmit: log.response, onTerminated: () => undefined });
    sut.receiveRetransmission();
    sut.respond(buildResponse(bye, 200));
    clock.advance(1000);
    sut.receiveRetransmission();
    clock.advance(30_999);
    expect(sut.state).toBe('completed');
    clock.advance(1);
    expect(sut.state).toBe('terminated');
    expect(log.sent).toEqual([
      { at: 0, status: 200 },
      { at: 1000, status: 200 },
    ]);
  });
});

describe('INVITE client transaction', () => {
  const agentInvite = () => request(inviteFrame(caller, { branch: 'z9hG4bKout', cseq: 3 }));

  it('retransmits on timer A and times out on timer B (64·T1) without any response', () => {
    const clock = new FakeClock();
    const log = recorder(clock);
    const onTimeout = jest.fn();
    const sut = new InviteClientTransaction(agentInvite(), {
      clock, timers: DEFAULT_TIMERS, reliable: false, transmit: log.request, onResponse: () => undefined, onTimeout, onTerminated: () => undefined,
    });
    sut.start();
    clock.advance(32_000);
    // A: 0.5, 1, 2, 4, 8, 16 s intervals (not capped for INVITE) → sent at 0, .5, 1.5, 3.5, 7.5, 15.5, 31.5 s.
    expect(log.times()).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(onTimeout).toHaveBeenCalledTimes(1);
    expect(sut.state).toBe('terminated');
  });

  it('stops retransmitting on a provisional, ACKs a non-2xx itself (and its retransmission) per §17.1.1.3', () => {
    const clock = new FakeClock();
    const log = recorder(clock);
    const sentRequests: SipRequest[] = [];
    const responses: number[] = [];
    const outgoing = agentInvite();
    const sut = new InviteClientTransaction(outgoing, {
      clock,
      timers: DEFAULT_TIMERS,
      reliable: false,
      transmit: (r) => {
        sentRequests.push(r);
        log.request(r);
      },
      onResponse: (r) => responses.push(r.status),
      onTimeout: () => undefined,
      onTerminated: () => undefined,
    });
    sut.start();
    sut.receiveResponse(buildResponse(outgoing, 180, { toTag: 'agent' }));
    clock.advance(10_000);
    const busy = buildResponse(outgoing, 486, { toTag: 'agent' });
    sut.receiveResponse(busy);
    sut.receiveResponse(busy);

    expect(responses).toEqual([180, 486]);
    expect(sentRequests.map((r) => r.method)).toEqual(['INVITE', 'ACK', 'ACK']);
    const ack = sentRequests[1];
    expect(ack.requestUri).toBe(outgoing.requestUri);
    expect(ack.headers.get('Via')).toBe(outgoing.headers.get('Via'));
    expect(ack.headers.get('To')).toBe('<sip:12345@127.0.0.1>;tag=agent');
    expect(getCSeq(ack)).toEqual({ sequence: 3, method: 'ACK' });
    expect(buildNon2xxAck(outgoing, busy).headers.get('Call-ID')).toBe(caller.callId);
    clock.advance(32_000); // timer D
    expect(sut.state).toBe('terminated');
  });

  it('passes a 2xx and its retransmissions to the TU, which sends the ACK', () => {
    const clock = new FakeClock();
    const responses: number[] = [];
    const outgoing = agentInvite();
    const sut = new InviteClientTransaction(outgoing, {
      clock, timers: DEFAULT_TIMERS, reliable: false, transmit: () => undefined, onResponse: (r) => responses.push(r.status), onTimeout: () => undefined, onTerminated: () => undefined,
    });
    sut.start();
    const ok = buildResponse(outgoing, 200, { toTag: 'agent' });
    sut.receiveResponse(ok);
    sut.receiveResponse(ok);
    expect(responses).toEqual([200, 200]);
    expect(sut.state).toBe('accepted');
  });
});

describe('non-INVITE client transaction', () => {
  it('retransmits on timer E capped at T2, and times out on timer F', () => {
    const clock = new FakeClock();
    const log = recorder(clock);
    const onTimeout = jest.fn();
    const bye = request(callerRequest('BYE', caller, { branch: 'z9hG4bKbye', cseq: 9, toTag: 't' }));
    const sut = new NonInviteClientTransaction(bye, {
      clock, timers: DEFAULT_TIMERS, reliable: false, transmit: log.request, onResponse: () => undefined, onTimeout, onTerminated: () => undefined,
    });
    sut.start();
    clock.advance(32_000);
    expect(log.times()).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('retransmits every T2 after a provisional and stops on the final response (timer K = T4)', () => {
    const clock = new FakeClock();
    const log = recorder(clock);
    const bye = request(callerRequest('BYE', caller, { branch: 'z9hG4bKbye', cseq: 9, toTag: 't' }));
    const statuses: number[] = [];
    const sut = new NonInviteClientTransaction(bye, {
      clock, timers: DEFAULT_TIMERS, reliable: false, transmit: log.request, onResponse: (r) => statuses.push(r.status), onTimeout: () => undefined, onTerminated: () => undefined,
    });
    sut.start();
    sut.receiveResponse(buildResponse(bye, 100));
    clock.advance(5000);
    sut.receiveResponse(buildResponse(bye, 200));
    sut.receiveResponse(buildResponse(bye, 200));
    clock.advance(5000);
    expect(log.times()).toEqual([0, 500, 4500]);
    expect(statuses).toEqual([100, 200]);
    expect(sut.state).toBe('terminated');
  });

  it('sends once over TCP', () => {
    const clock = new FakeClock();
    const log = recorder(clock);
    const options = request(crlf(callerRequest('OPTIONS', caller, { branch: 'z9hG4bKo', cseq: 1 })));
    const sut = new NonInviteClientTransaction(options, {
      clock, timers: DEFAULT_TIMERS, reliable: true, transmit: log.request, onResponse: () => undefined, onTimeout: () => undefined, onTerminated: () => undefined,
    });
    sut.start();
    clock.advance(31_999);
    expect(log.times()).toEqual([0]);
  });
});
