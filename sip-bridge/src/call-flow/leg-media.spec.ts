import { parse } from 'sdp-transform';
import { decodeG711, encodeG711 } from '../media/g711';
import type { RtpPacket } from '../media/rtp-packet';
import { negotiateOffer } from '../sip/sdp-answer';
import { agentOfferSdp, relayPacket } from './leg-media';

const packet = (payloadType: number, payload: Buffer): RtpPacket => ({ marker: true, payloadType, sequenceNumber: 65535, timestamp: 4_000_000_000, ssrc: 0x1234, csrcs: [], payload });

describe('relayPacket', () => {
  const pcma = { codec: 'PCMA' as const, payloadType: 8, telephoneEventPayloadType: 101 };
  const pcmu = { codec: 'PCMU' as const, payloadType: 0, telephoneEventPayloadType: 96 };
  const pcmaDynamic = { codec: 'PCMA' as const, payloadType: 110, telephoneEventPayloadType: undefined };
  const samples = Int16Array.from([0, 1000, -1000, 32000, -32000, 5, -5, 123]);

  it('passes the payload through when both legs use the same codec, with the other leg’s payload type', () => {
    const audio = Buffer.from(encodeG711('PCMA', samples));

    expect(relayPacket(packet(8, audio), pcma, pcmaDynamic)).toEqual({ ...packet(110, audio) });
  });

  it('transcodes PCMA → PCMU through PCM16 and keeps sequence, timestamp, SSRC and marker', () => {
    const audio = Buffer.from(encodeG711('PCMA', samples));

    const relayed = relayPacket(packet(8, audio), pcma, pcmu);

    expect(relayed).toMatchObject({ payloadType: 0, sequenceNumber: 65535, timestamp: 4_000_000_000, ssrc: 0x1234, marker: true });
    expect(Buffer.from(relayed?.payload ?? [])).toEqual(Buffer.from(encodeG711('PCMU', decodeG711('PCMA', audio))));
    expect(relayed?.payload.length).toBe(audio.length);
  });

  it('maps telephone-event to the other leg’s payload type, drops it when that leg has none, and drops other payloads', () => {
    const event = Buffer.from([1, 0x8a, 0x03, 0x20]);

    expect(relayPacket(packet(101, event), pcma, pcmu)).toEqual(packet(96, event));
    expect(relayPacket(packet(101, event), pcma, pcmaDynamic)).toBeUndefined();
    expect(relayPacket(packet(13, Buffer.from([40])), pcma, pcmu)).toBeUndefined();
  });
});

describe('agentOfferSdp', () => {
  it('offers the caller’s codec first, the other G.711 and telephone-event, in a form our own negotiation accepts', () => {
    const sdp = agentOfferSdp({ address: '10.0.0.20', port: 40002, preferredCodec: 'PCMA', sessionId: 77, sessionVersion: 2, direction: 'sendonly' });

    const parsed = parse(sdp);
    expect(parsed.origin).toMatchObject({ sessionId: 77, sessionVersion: 2, address: '10.0.0.20' });
    expect(parsed.media[0]).toMatchObject({ type: 'audio', port: 40002, protocol: 'RTP/AVP', payloads: '8 0 101', direction: 'sendonly', ptime: 20 });
    const negotiation = negotiateOffer(sdp);
    expect(negotiation).toMatchObject({ acceptable: true, audio: { codec: 'PCMA', payloadType: 8, telephoneEventPayloadType: 101, onHold: true } });
  });

  it('writes IP6 for an IPv6 address and puts PCMU first for a μ-law caller', () => {
    const sdp = agentOfferSdp({ address: '2001:db8::20', port: 40004, preferredCodec: 'PCMU', sessionId: 1, sessionVersion: 1 });

    expect(sdp).toContain('c=IN IP6 2001:db8::20\r\n');
    expect(sdp).toContain('m=audio 40004 RTP/AVP 0 8 101\r\n');
    expect(sdp).toContain('a=sendrecv\r\n');
  });
});
