import { INVITE, OPTIONS } from '../testing/sip-frames';
import { type SipRequest, parseSipMessage } from './message';
import { answerRequest } from './stateless-responder';

function request(frame: string): SipRequest {
  const message = parseSipMessage(frame);
  if (message.kind !== 'request') throw new Error('expected a request');
  return message;
}

function withMethod(method: string): SipRequest {
  return request(INVITE.replace('INVITE sip:', `${method} sip:`).replace('CSeq: 102 INVITE', `CSeq: 102 ${method}`));
}

describe('answerRequest', () => {
  it('answers OPTIONS with 200 OK and what it supports', () => {
    const sut = answerRequest(request(OPTIONS));

    expect(sut).toMatchObject({ status: 200, reason: 'OK' });
    expect(sut?.headers.getAll('Allow')).toEqual(['OPTIONS']);
    expect(sut?.headers.get('CSeq')).toBe('4711 OPTIONS');
  });

  it.each(['INVITE', 'BYE', 'CANCEL', 'REGISTER', 'INFO', 'SUBSCRIBE'])('answers %s with 501 Not Implemented', (method) => {
    const sut = answerRequest(method === 'INVITE' ? request(INVITE) : withMethod(method));

    expect(sut).toMatchObject({ status: 501, reason: 'Not Implemented' });
    expect(sut?.headers.get('CSeq')).toBe(`102 ${method}`);
  });

  it('never answers ACK', () => {
    expect(answerRequest(withMethod('ACK'))).toBeNull();
  });
});
