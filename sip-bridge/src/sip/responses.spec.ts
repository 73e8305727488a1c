import { INVITE, OPTIONS, crlf } from '../testing/sip-frames';
import { type SipRequest, parseSipMessage, serializeSipMessage } from './message';
import { getTag } from './name-addr';
import { buildResponse, responseDestination } from './responses';

function request(frame: string): SipRequest {
  const message = parseSipMessage(frame);
  if (message.kind !== 'request') throw new Error('expected a request');
  return message;
}

describe('buildResponse', () => {
  it('copies Via, From, Call-ID and CSeq, and tags To', () => {
    const options = request(OPTIONS);

    const sut = buildResponse(options, 200, { toTag: 'b4e1' });

    expect(sut).toMatchObject({ kind: 'response', status: 200, reason: 'OK' });
    expect(sut.body.length).toBe(0);
    expect(sut.headers.entries()).toEqual([
      { name: 'Via', value: 'SIP/2.0/UDP 10.0.0.10:5060;rport;branch=z9hG4bKPj1f0a9c2e' },
      { name: 'From', value: '<sip:asterisk@10.0.0.10>;tag=7d3e5b1a' },
      { name: 'To', value: '<sip:10.0.0.20>;tag=b4e1' },
      { name: 'Call-ID', value: '5a6c0d3b-4f8e-options' },
      { name: 'CSeq', value: '4711 OPTIONS' },
    ]);
  });

  it('copies every Via in order', () => {
    const twoHops = request(
      OPTIONS.replace('Via: ', 'Via: SIP/2.0/UDP proxy.example.cn;branch=z9hG4bKp1;received=10.0.0.5\r\nVia: '),
    );

    const sut = buildResponse(twoHops, 200);

    expect(sut.headers.getAll('Via')).toEqual([
      'SIP/2.0/UDP proxy.example.cn;branch=z9hG4bKp1;received=10.0.0.5',
      'SIP/2.0/UDP 10.0.0.10:5060;rport;branch=z9hG4bKPj1f0a9c2e',
    ]);
  });

  it('adds a random tag of at least 32 bits, different for each response', () => {
    const options = request(OPTIONS);

    const first = getTag(buildResponse(options, 200).headers.get('To') ?? '');
    const second = getTag(buildResponse(options, 200).headers.get('To') ?? '');

    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(second).not.toBe(first);
  });

  it('keeps a To tag the request already has (in-dialog requests)', () => {
    const inDialog = request(OPTIONS.replace('To: <sip:10.0.0.20>', 'To: <sip:10.0.0.20>;tag=existing'));

    expect(buildResponse(inDialog, 501, { toTag: 'new' }).headers.get('To')).toBe('<sip:10.0.0.20>;tag=existing');
  });

  it('does not tag To on 100 Trying', () => {
    expect(buildResponse(request(INVITE), 100).headers.get('To')).toBe('<sip:12345@10.0.0.20>');
  });

  it.each([
    [501, undefined, 'Not Implemented'],
    [481, undefined, 'Call/Transaction Does Not Exist'],
    [499, undefined, 'Client Error'],
    [299, undefined, 'Success'],
    [486, '坐席忙', '坐席忙'],
  ])('uses reason phrase for %i (%p) -> %s', (status, reason, expected) => {
    expect(buildResponse(request(INVITE), status, { reason }).reason).toBe(expected);
  });

  it('appends extra headers after the copied ones', () => {
    const sut = buildResponse(request(OPTIONS), 200, { headers: [['Allow', 'OPTIONS, INVITE'], ['Server', 'jiesu']] });

    expect(sut.headers.getAll('Allow')).toEqual(['OPTIONS', 'INVITE']);
    expect(sut.headers.entries().slice(-3).map((f) => f.name)).toEqual(['Allow', 'Allow', 'Server']);
  });

  it('serializes to a response the parser accepts, with Content-Length 0', () => {
    const wire = serializeSipMessage(buildResponse(request(INVITE), 501, { toTag: '1' })).toString();

    expect(wire).toBe(
      crlf(
        'SIP/2.0 501 Not Implemented',
        'Via: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK-524287-1---a1b2c3;rport',
        'From: "张三" <sip:13800138000@10.0.0.10>;tag=8f2a1c',
        'To: <sip:12345@10.0.0.20>;tag=1',
        'Call-ID: 3c26700e-7a1f-4b6c@10.0.0.10',
        'CSeq: 102 INVITE',
        'Content-Length: 0',
        '',
        '',
      ),
    );
    expect(parseSipMessage(wire)).toMatchObject({ kind: 'response', status: 501 });
  });

  it.each([99, 700, 200.5, NaN])('rejects status code %p', (status) => {
    expect(() => buildResponse(request(OPTIONS), status)).toThrow(new RangeError(`Invalid SIP status code ${status}`));
  });

  it('refuses to answer an ACK', () => {
    const ack = request(INVITE.replace('INVITE sip:', 'ACK sip:').replace('CSeq: 102 INVITE', 'CSeq: 102 ACK'));

    expect(() => buildResponse(ack, 200)).toThrow('ACK is never answered');
  });
});

describe('responseDestination', () => {
  it('routes by the top Via', () => {
    const options = request(OPTIONS.replace(';rport;', ';rport=40123;received=192.0.2.7;'));

    expect(responseDestination(buildResponse(options, 200))).toEqual({ address: '192.0.2.7', port: 40123 });
  });
});
