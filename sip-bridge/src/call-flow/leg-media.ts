import { decodeG711, encodeG711 } from '../media/g711';
import type { RtpPacket } from '../media/rtp-packet';
import type { G711Codec, NegotiatedAudio } from '../sip/sdp-answer';

/** What one leg's SDP agreed on, as far as relaying goes. */
export interface LegCodec {
  codec: G711Codec;
  payloadType: number;
  telephoneEventPayloadType: number | undefined;
}

export function legCodecOf(audio: NegotiatedAudio): LegCodec {
  return { codec: audio.codec, payloadType: audio.payloadType, telephoneEventPayloadType: audio.telephoneEventPayloadType };
}

/**
 * One packet from one leg rewritten for the other (the B2BUA's media relay): audio keeps its payload when both
 * legs use the same codec and is transcoded PCMU⇄PCMA through PCM16 when they differ; telephone-event keeps
 * its payload with the other leg's payload type (dropped when that leg did not negotiate it); anything else
 * (comfort noise, unknown types) is dropped. Sequence numbers, timestamps and SSRC pass through: both legs
 * run at 8 kHz with the same packetisation.
 */
export function relayPacket(packet: RtpPacket, from: LegCodec, to: LegCodec): RtpPacket | undefined {
  if (packet.payloadType === from.payloadType) {
    const payload = from.codec === to.codec ? packet.payload : Buffer.from(encodeG711(to.codec, decodeG711(from.codec, packet.payload)));
    return { ...packet, payloadType: to.payloadType, payload };
  }
  if (from.telephoneEventPayloadType !== undefined && packet.payloadType === from.telephoneEventPayloadType && to.telephoneEventPayloadType !== undefined) {
    return { ...packet, payloadType: to.telephoneEventPayloadType };
  }
  return undefined;
}

export interface AgentOfferOptions {
  /** Our RTP address and port for the agent leg. */
  address: string;
  port: number;
  /** The caller's codec first, so the agent's phone can pick it and no transcoding is needed. */
  preferredCodec: G711Codec;
  sessionId: number;
  sessionVersion: number;
  direction?: 'sendrecv' | 'sendonly';
}

/** The telephone-event payload type we offer to agents' phones. */
export const AGENT_TELEPHONE_EVENT_PAYLOAD_TYPE = 101;

/** The SDP offer in the INVITE (and hold re-INVITEs) to an agent's phone: PCMU and PCMA, telephone-event, 20 ms. */
export function agentOfferSdp(options: AgentOfferOptions): string {
  const family = options.address.includes(':') ? 'IP6' : 'IP4';
  const codecs: G711Codec[] = options.preferredCodec === 'PCMA' ? ['PCMA', 'PCMU'] : ['PCMU', 'PCMA'];
  const payloadTypes = codecs.map((codec) => (codec === 'PCMA' ? 8 : 0));
  return [
    'v=0',
    `o=jiesu ${options.sessionId} ${options.sessionVersion} IN ${family} ${options.address}`,
    's=jiesu',
    `c=IN ${family} ${options.address}`,
    't=0 0',
    `m=audio ${options.port} RTP/AVP ${[...payloadTypes, AGENT_TELEPHONE_EVENT_PAYLOAD_TYPE].join(' ')}`,
    ...codecs.map((codec, index) => `a=rtpmap:${payloadTypes[index]} ${codec}/8000`),
    `a=rtpmap:${AGENT_TELEPHONE_EVENT_PAYLOAD_TYPE} telephone-event/8000`,
    `a=fmtp:${AGENT_TELEPHONE_EVENT_PAYLOAD_TYPE} 0-16`,
    'a=ptime:20',
    `a=${options.direction ?? 'sendrecv'}`,
    '',
  ].join('\r\n');
}
