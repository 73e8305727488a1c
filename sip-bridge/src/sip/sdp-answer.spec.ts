import { parse } from 'sdp-transform';
import { offerSdp } from '../testing/dialog-frames';
import { INVITE_SDP, crlf } from '../testing/sip-frames';
import { answerDirection, buildAnswer, negotiateOffer } from './sdp-answer';

const local = { address: '10.0.0.20', port: 30000 };

describe('negotiateOffer', () => {
  it('takes the offer\'s first G.711 payload type and its telephone-event type', () => {
    const result = negotiateOffer(INVITE_SDP);
    expect(result).toMatchObject({
      acceptable: true,
      audio: { codec: 'PCMA', payloadType: 8, telephoneEventPayloadType: 101, remote: { address: '10.0.0.10', port: 16384 }, ptime: 20, onHold: false },
    });
  });

  it('prefers PCMU when the offer lists it first, and works without rtpmap for static types', () => {
    const result = negotiateOffer(offerSdp({ payloads: '18 0 8', rtpmaps: ['a=rtpmap:18 G729/8000'] }));
    expect(result).toMatchObject({ acceptable: true, audio: { codec: 'PCMU', payloadType: 0, telephoneEventPayloadType: undefined } });
  });

  it('keeps a non-default telephone-event payload type (SIPp and Asterisk use 96 or 101)', () => {
    const result = negotiateOffer(offerSdp({ payloads: '0 96', rtpmaps: ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:96 telephone-event/8000'] }));
    expect(result).toMatchObject({ acceptable: true, audio: { telephoneEventPayloadType: 96 } });
  });

  it('ignores telephone-event at 48 kHz and G.711 declared at another rate', () => {
    const result = negotiateOffer(
      offerSdp({ payloads: '97 0 98', rtpmaps: ['a=rtpmap:97 PCMA/16000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:98 telephone-event/48000'] }),
    );
    expect(result).toMatchObject({ acceptable: true, audio: { codec: 'PCMU', payloadType: 0, telephoneEventPayloadType: undefined } });
  });

  it('refuses offers without G.711 (→ 488), without audio, or that are not SDP', () => {
    expect(negotiateOffer(offerSdp({ payloads: '18 9', rtpmaps: ['a=rtpmap:18 G729/8000', 'a=rtpmap:9 G722/8000'] }))).toEqual({
      acceptable: false,
      reason: 'SDP offer has no PCMU or PCMA audio stream',
    });
    expect(negotiateOffer(crlf('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'c=IN IP4 1.2.3.4', 't=0 0', 'm=video 5000 RTP/AVP 96', ''))).toMatchObject({ acceptable: false });
    expect(negotiateOffer('hello')).toMatchObject({ acceptable: false });
    expect(negotiateOffer(offerSdp({ payloads: '0 8' }).replace('RTP/AVP', 'RTP/SAVP'))).toMatchObject({ acceptable: false });
  });

  it('detects hold: sendonly, inactive, or c=0.0.0.0', () => {
    expect(negotiateOffer(offerSdp({ direction: 'sendonly' }))).toMatchObject({ audio: { onHold: true, offeredDirection: 'sendonly' } });
    expect(negotiateOffer(offerSdp({ direction: 'inactive' }))).toMatchObject({ audio: { onHold: true } });
    expect(negotiateOffer(offerSdp({ address: '0.0.0.0' }))).toMatchObject({ audio: { onHold: true, offeredDirection: 'sendrecv' } });
    expect(negotiateOffer(offerSdp({ direction: 'recvonly' }))).toMatchObject({ audio: { onHold: false } });
  });
});

describe('buildAnswer', () => {
  it('answers with the chosen codec and telephone-event on our address, mirroring the direction', () => {
    const result = negotiateOffer(offerSdp({ direction: 'sendonly' }));
    if (!result.acceptable) throw new Error(result.reason);
    const answer = parse(buildAnswer(result.offer, result.audio, { local, sessionId: 77, sessionVersion: 3 }));
    expect(answer.origin).toMatchObject({ username: 'jiesu', sessionId: 77, sessionVersion: 3, address: '10.0.0.20' });
    expect(answer.connection).toEqual({ version: 4, ip: '10.0.0.20' });
    expect(answer.media).toHaveLength(1);
    expect(answer.media[0]).toMatchObject({ type: 'audio', port: 30000, protocol: 'RTP/AVP', payloads: '8 101', direction: 'recvonly', ptime: 20 });
    expect(answer.media[0].fmtp).toEqual([{ payload: 101, config: '0-16' }]);
  });

  it('refuses the other m-lines with port 0, keeping their places (RFC 3264 §6)', () => {
    const offer = crlf(
      'v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 'c=IN IP4 1.2.3.4', 't=0 0',
      'm=video 5002 RTP/AVP 96', 'a=rtpmap:96 H264/90000',
      'm=audio 5000 RTP/AVP 0', '',
    );
    const result = negotiateOffer(offer);
    if (!result.acceptable) throw new Error(result.reason);
    const answer = parse(buildAnswer(result.offer, result.audio, { local, sessionId: 1, sessionVersion: 1 }));
    expect(answer.media.map((m) => [m.type, m.port])).toEqual([
      ['video', 0],
      ['audio', 30000],
    ]);
  });

  it('mirrors directions per RFC 3264 §6.1', () => {
    expect(['sendrecv', 'sendonly', 'recvonly', 'inactive'].map((d) => answerDirection(d as 'sendrecv'))).toEqual([
      'sendrecv',
      'recvonly',
      'sendonly',
      'inactive',
    ]);
  });
});
