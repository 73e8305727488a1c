import { EventEmitter } from 'node:events';
import type { RtpPacket } from './rtp-packet';
import { type MediaScheduler, systemScheduler } from './scheduler';

/** A key of the telephone keypad (RFC 4733 events 0–15). */
export type DtmfDigit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';
const DIGITS_BY_EVENT: readonly DtmfDigit[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D'];

/** The 4-byte telephone-event payload (RFC 4733 §2.3). */
export interface TelephoneEventPayload {
  event: number;
  end: boolean;
  /** Power level in −dBm0 (0..63). */
  volume: number;
  /** Duration so far, in timestamp units (1/8000 s for an 8 kHz clock). */
  duration: number;
}

export function parseTelephoneEvent(payload: Buffer): TelephoneEventPayload | undefined {
  if (payload.length < 4) return undefined;
  return { event: payload[0], end: (payload[1] & 0x80) !== 0, volume: payload[1] & 0x3f, duration: payload.readUInt16BE(2) };
}

export function digitForEvent(event: number): DtmfDigit | undefined {
  return DIGITS_BY_EVENT[event];
}

/** A key press heard on the call, from RTP or from SIP INFO. */
export interface DtmfDigitEvent {
  digit: DtmfDigit;
  source: 'rtp' | 'sip-info';
}

export interface DtmfDigitEnd extends DtmfDigitEvent {
  durationMs: number;
}

export type DtmfReceiverEvents = {
  /** Once per key press, as soon as its first packet (or INFO) arrives: barge-in reacts at once. */
  digit: [DtmfDigitEvent];
  /** Once per key press when it ends, with how long the key was held. */
  digitEnd: [DtmfDigitEnd];
};

/** Something that reports key presses (DtmfReceiver or a test double). */
export interface DtmfDigitSource {
  on(event: 'digit', listener: (digit: DtmfDigitEvent) => void): unknown;
  off(event: 'digit', listener: (digit: DtmfDigitEvent) => void): unknown;
}

export interface DtmfReceiverOptions {
  /** The telephone-event payload type negotiated in the SDP (commonly 101). */
  payloadType: number;
  /** Clock rate of that payload type from the SDP rtpmap (telephone-event/8000). */
  clockRate?: number;
}

/** How many recent key presses are remembered to recognise their repeats and end packets. */
const REMEMBERED_EVENTS = 16;

/**
 * Turns RFC 4733 telephone-event packets into key presses. One key press is one event, identified by
 * SSRC + RTP timestamp: its start packet (marker bit), the updates that repeat it while the key is held
 * and the three end packets all carry the same timestamp and count once, whichever of them arrives first
 * (the start may be lost). INFO digits (`receiveSipInfo`) come out of the same events.
 */
export class DtmfReceiver extends EventEmitter<DtmfReceiverEvents> implements DtmfDigitSource {
  private readonly payloadType: number;
  private readonly clockRate: number;
  private readonly events = new Map<string, { digit: DtmfDigit; ended: boolean }>();

  constructor(options: DtmfReceiverOptions) {
    super();
    this.payloadType = options.payloadType;
    this.clockRate = options.clockRate ?? 8000;
  }

  /** Any RTP packet of the caller's stream: those not of the telephone-event type are ignored. */
  receiveRtp(packet: RtpPacket): void {
    if (packet.payloadType !== this.payloadType) return;
    const payload = parseTelephoneEvent(packet.payload);
    const digit = payload && digitForEvent(payload.event);
    if (!payload || !digit) return;
    const key = `${packet.ssrc}:${packet.timestamp}`;
    let seen = this.events.get(key);
    if (!seen) {
      seen = { digit, ended: false };
      this.events.set(key, seen);
      if (this.events.size > REMEMBERED_EVENTS) {
        const [oldest] = this.events.keys();
        this.events.delete(oldest);
      }
      this.emit('digit', { digit, source: 'rtp' });
    }
    if (payload.end && !seen.ended) {
      seen.ended = true;
      this.emit('digitEnd', { digit, source: 'rtp', durationMs: Math.round((payload.duration * 1000) / this.clockRate) });
    }
  }

  /** A SIP INFO request's body (the fallback when the peer does not send telephone-event). */
  receiveSipInfo(contentType: string, body: string): DtmfDigitEnd | undefined {
    const parsed = parseSipInfoDtmf(contentType, body);
    if (!parsed) return undefined;
    this.emit('digit', { digit: parsed.digit, source: 'sip-info' });
    this.emit('digitEnd', parsed);
    return parsed;
  }
}

/** INFO bodies without a Duration: the common default of 250 ms. */
const DEFAULT_INFO_DURATION_MS = 250;

/**
 * Parses the DTMF of a SIP INFO body: `application/dtmf-relay` ("Signal=5\r\nDuration=160", Duration in ms;
 * some phones send Signal=10/11 for * and #) or `application/dtmf` (the bare key, e.g. "5").
 * Returns undefined for other content types and for bodies that name no key.
 */
export function parseSipInfoDtmf(contentType: string, body: string): DtmfDigitEnd | undefined {
  const type = contentType.split(';')[0].trim().toLowerCase();
  let signal: string | undefined;
  let durationMs = DEFAULT_INFO_DURATION_MS;
  if (type === 'application/dtmf-relay') {
    for (const line of body.split(/\r?\n/)) {
      const match = /^\s*([A-Za-z-]+)\s*=\s*(\S*)\s*$/.exec(line);
      if (!match) continue;
      const name = match[1].toLowerCase();
      if (name === 'signal') signal = match[2];
      else if (name === 'duration' && /^\d+$/.test(match[2])) durationMs = Number(match[2]);
    }
  } else if (type === 'application/dtmf') {
    signal = body.trim();
  } else {
    return undefined;
  }
  const digit = signal === undefined ? undefined : digitForSignal(signal);
  return digit ? { digit, source: 'sip-info', durationMs } : undefined;
}

function digitForSignal(signal: string): DtmfDigit | undefined {
  const upper = signal.toUpperCase();
  if (upper === '10') return '*';
  if (upper === '11') return '#';
  return DIGITS_BY_EVENT.find((digit) => digit === upper);
}

export interface CollectSurveyDigitOptions<Accepted extends DtmfDigit> {
  digits: DtmfDigitSource;
  /** Keys that answer; any other key is ignored and the wait goes on. */
  accept: readonly Accepted[];
  timeoutMs: number;
  scheduler?: MediaScheduler;
  /** Aborted when the caller hangs up: resolves null at once. */
  signal?: AbortSignal;
}

/**
 * Waits for the post-call satisfaction survey's key (1 满意 satisfied, 2 基本满意 basically satisfied,
 * 3 不满意 dissatisfied): the first accepted key, or null on timeout or hang-up.
 */
export function collectSurveyDigit<Accepted extends DtmfDigit>(options: CollectSurveyDigitOptions<Accepted>): Promise<Accepted | null> {
  const scheduler = options.scheduler ?? systemScheduler;
  return new Promise((resolve) => {
    if (options.signal?.aborted) return resolve(null);
    const finish = (result: Accepted | null) => {
      options.digits.off('digit', onDigit);
      options.signal?.removeEventListener('abort', onAbort);
      cancelTimeout();
      resolve(result);
    };
    const onDigit = ({ digit }: DtmfDigitEvent) => {
      const accepted = options.accept.find((candidate) => candidate === digit);
      if (accepted !== undefined) finish(accepted);
    };
    const onAbort = () => finish(null);
    const cancelTimeout = scheduler.at(scheduler.now() + options.timeoutMs, () => finish(null));
    options.digits.on('digit', onDigit);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
