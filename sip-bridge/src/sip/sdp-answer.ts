import { type MediaDescription, type SessionDescription, parse, write } from 'sdp-transform';

/** G.711 as 12345 audio is carried: μ-law (PT 0) or A-law (PT 8), 8 kHz. */
export type G711Codec = 'PCMU' | 'PCMA';
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface RtpEndpoint {
  address: string;
  port: number;
}

/** What an offer and our answer agree on; helper F's media code consumes this. */
export interface NegotiatedAudio {
  codec: G711Codec;
  payloadType: number;
  /** RFC 4733 DTMF events at 8 kHz, with the payload type the offer chose; absent if not offered. */
  telephoneEventPayloadType: number | undefined;
  /** Where the caller wants our RTP. Address 0.0.0.0 (RFC 2543 hold) is kept as given. */
  remote: RtpEndpoint;
  ptime: number | undefined;
  /** The offer's direction, from the offerer's point of view. */
  offeredDirection: MediaDirection;
  /** sendonly, inactive or c=0.0.0.0: the caller put us on hold (RFC 3264 §8.4, RFC 2543). */
  onHold: boolean;
  /** Index of the chosen m-line; other m-lines are refused with port 0 in the answer. */
  mediaIndex: number;
}

export type OfferNegotiation =
  | { acceptable: true; audio: NegotiatedAudio; offer: SessionDescription }
  | { acceptable: false; reason: string };

const STATIC_G711: ReadonlyMap<number, G711Codec> = new Map([
  [0, 'PCMU'],
  [8, 'PCMA'],
]);

/**
 * Chooses the codec for an SDP offer (RFC 3264 §6): the first payload type of the first audio
 * m-line, in the offer's preference order, that is PCMU or PCMA at 8 kHz, plus telephone-event if
 * offered. No acceptable codec → `acceptable: false`, which the UAS answers with 488.
 */
export function negotiateOffer(offerText: string): OfferNegotiation {
  try {
    return negotiate(offerText);
  } catch (error) {
    // A hostile or broken SDP body must cost a 488, never the call handling.
    return { acceptable: false, reason: `Unusable SDP offer: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function negotiate(offerText: string): OfferNegotiation {
  let offer: SessionDescription;
  try {
    offer = parse(offerText);
  } catch (error) {
    return { acceptable: false, reason: `Unreadable SDP offer: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!Array.isArray(offer.media) || offer.media.length === 0) return { acceptable: false, reason: 'SDP offer has no m-line' };

  for (const [mediaIndex, media] of offer.media.entries()) {
    if (media.type !== 'audio' || media.port === 0 || !/^RTP\/AVP$/i.test(media.protocol)) continue;
    // sdp-transform gives a lone payload type as a number.
    const payloadTypes = String(media.payloads ?? '').split(/\s+/).filter((pt) => /^\d+$/.test(pt)).map(Number);
    const rtpMaps = media.rtp ?? [];
    const codecOf = (pt: number): G711Codec | undefined => {
      const mapped = rtpMaps.find((entry) => entry.payload === pt);
      if (mapped === undefined) return STATIC_G711.get(pt);
      const name = mapped.codec.toUpperCase();
      return (name === 'PCMU' || name === 'PCMA') && (mapped.rate ?? 8000) === 8000 ? name : undefined;
    };
    const chosen = payloadTypes.find((pt) => codecOf(pt) !== undefined);
    if (chosen === undefined) continue;
    const telephoneEvent = rtpMaps.find(
      (entry) => entry.codec.toLowerCase() === 'telephone-event' && (entry.rate ?? 8000) === 8000 && payloadTypes.includes(entry.payload),
    );
    const connection = media.connection ?? offer.connection;
    if (connection === undefined) return { acceptable: false, reason: 'SDP offer has no c= line for its audio' };
    const offeredDirection = media.direction ?? offer.direction ?? 'sendrecv';
    const onHold = offeredDirection === 'sendonly' || offeredDirection === 'inactive' || connection.ip === '0.0.0.0';
    return {
      acceptable: true,
      offer,
      audio: {
        codec: codecOf(chosen) as G711Codec,
        payloadType: chosen,
        telephoneEventPayloadType: telephoneEvent?.payload,
        remote: { address: connection.ip, port: media.port },
        ptime: media.ptime,
        offeredDirection,
        onHold,
        mediaIndex,
      },
    };
  }
  return { acceptable: false, reason: 'SDP offer has no PCMU or PCMA audio stream' };
}

export interface AnswerOptions {
  local: RtpEndpoint;
  /** o= session id, constant for the call. */
  sessionId: number;
  /** o= version; must grow with each new answer in the dialog (RFC 3264 §8). */
  sessionVersion: number;
}

/** Our answer: the chosen codec (+ telephone-event) on our RTP address, the mirror of the offered direction. */
export function buildAnswer(offer: SessionDescription, audio: NegotiatedAudio, options: AnswerOptions): string {
  const ipVer = options.local.address.includes(':') ? 6 : 4;
  const payloadTypes = [audio.payloadType, ...(audio.telephoneEventPayloadType === undefined ? [] : [audio.telephoneEventPayloadType])];
  const media: MediaDescription[] = offer.media.map((offered, index) => {
    if (index !== audio.mediaIndex) {
      // Refused streams keep their place with port 0 (RFC 3264 §6).
      const firstFormat = String(offered.payloads ?? '0').split(/\s+/)[0] ?? '0';
      return { type: offered.type, port: 0, protocol: offered.protocol, payloads: firstFormat, rtp: [], fmtp: [] };
    }
    const rtp: MediaDescription['rtp'] = [{ payload: audio.payloadType, codec: audio.codec, rate: 8000 }];
    const fmtp: MediaDescription['fmtp'] = [];
    if (audio.telephoneEventPayloadType !== undefined) {
      rtp.push({ payload: audio.telephoneEventPayloadType, codec: 'telephone-event', rate: 8000 });
      fmtp.push({ payload: audio.telephoneEventPayloadType, config: '0-16' });
    }
    return {
      type: 'audio',
      port: options.local.port,
      protocol: offered.protocol,
      payloads: payloadTypes.join(' '),
      rtp,
      fmtp,
      ptime: 20,
      direction: answerDirection(audio.offeredDirection),
    };
  });
  return write({
    version: 0,
    origin: { username: 'jiesu', sessionId: options.sessionId, sessionVersion: options.sessionVersion, netType: 'IN', ipVer, address: options.local.address },
    name: 'jiesu',
    connection: { version: ipVer, ip: options.local.address },
    timing: { start: 0, stop: 0 },
    media,
  });
}

/** RFC 3264 §6.1: sendonly ↔ recvonly, inactive stays inactive. */
export function answerDirection(offered: MediaDirection): MediaDirection {
  if (offered === 'sendonly') return 'recvonly';
  if (offered === 'recvonly') return 'sendonly';
  return offered;
}
