import { EventEmitter } from 'node:events';
import { FakeScheduler } from '../testing/fake-scheduler';
import { readPcapFile } from '../testing/pcap-reader';
import { sippPcap } from '../testing/sipp-pcaps';
import { type DtmfDigitEnd, type DtmfDigitEvent, type DtmfReceiverEvents, DtmfReceiver, collectSurveyDigit, parseSipInfoDtmf, parseTelephoneEvent } from './dtmf';
import { type RtpPacket, parseRtpPacket } from './rtp-packet';

function telephoneEvent(event: number, options: { timestamp: number; duration: number; end?: boolean; marker?: boolean; sequenceNumber?: number }): RtpPacket {
  const payload = Buffer.alloc(4);
  payload[0] = event;
  payload[1] = (options.end ? 0x80 : 0) | 10;
  payload.writeUInt16BE(options.duration, 2);
  return { marker: options.marker ?? false, payloadType: 101, sequenceNumber: options.sequenceNumber ?? 1, timestamp: options.timestamp, ssrc: 42, csrcs: [], payload };
}

function listen(sut: DtmfReceiver) {
  const digits: DtmfDigitEvent[] = [];
  const ends: DtmfDigitEnd[] = [];
  sut.on('digit', (digit) => digits.push(digit));
  sut.on('digitEnd', (end) => ends.push(end));
  return { digits, ends };
}

describe('parseTelephoneEvent', () => {
  it('reads event, end bit, volume and duration (RFC 4733 §2.3)', () => {
    expect(parseTelephoneEvent(Buffer.from('018a08c0', 'hex'))).toEqual({ event: 1, end: true, volume: 10, duration: 2240 });
    expect(parseTelephoneEvent(Buffer.from('0b0a00', 'hex'))).toBeUndefined();
  });
});

describe('DtmfReceiver', () => {
  it('counts a start, its repeats and three end packets (same timestamp) as ONE key press', () => {
    const sut = new DtmfReceiver({ payloadType: 101 });
    const { digits, ends } = listen(sut);
    sut.receiveRtp(telephoneEvent(5, { timestamp: 1000, duration: 0, marker: true }));
    for (const duration of [160, 320, 480]) sut.receiveRtp(telephoneEvent(5, { timestamp: 1000, duration }));
    for (let copy = 0; copy < 3; copy += 1) sut.receiveRtp(telephoneEvent(5, { timestamp: 1000, duration: 800, end: true }));
    expect(digits).toEqual([{ digit: '5', source: 'rtp' }]);
    expect(ends).toEqual([{ digit: '5', source: 'rtp', durationMs: 100 }]);
  });

  it('reports the same key pressed twice (two timestamps) twice, and a key whose start packets were lost', () => {
    const sut = new DtmfReceiver({ payloadType: 101 });
    const { digits, ends } = listen(sut);
    sut.receiveRtp(telephoneEvent(11, { timestamp: 1000, duration: 0, marker: true }));
    sut.receiveRtp(telephoneEvent(11, { timestamp: 1000, duration: 640, end: true }));
    sut.receiveRtp(telephoneEvent(11, { timestamp: 3000, duration: 400, end: true }));
    expect(digits.map((digit) => digit.digit)).toEqual(['#', '#']);
    expect(ends.map((end) => end.durationMs)).toEqual([80, 50]);
  });

  it('ignores other payload types, unknown events (16 = flash) and short payloads', () => {
    const sut = new DtmfReceiver({ payloadType: 96 });
    const { digits } = listen(sut);
    sut.receiveRtp(telephoneEvent(1, { timestamp: 1, duration: 0 })); // PT 101, not the negotiated 96
    sut.receiveRtp({ ...telephoneEvent(16, { timestamp: 2, duration: 0 }), payloadType: 96 });
    sut.receiveRtp({ ...telephoneEvent(1, { timestamp: 3, duration: 0 }), payloadType: 96, payload: Buffer.from([1, 2]) });
    expect(digits).toEqual([]);
  });

  it('emits INFO digits the same way', () => {
    const sut = new DtmfReceiver({ payloadType: 101 });
    const { digits, ends } = listen(sut);
    expect(sut.receiveSipInfo('application/dtmf-relay', 'Signal=3\r\nDuration=160\r\n')).toEqual({ digit: '3', source: 'sip-info', durationMs: 160 });
    expect(sut.receiveSipInfo('text/plain', 'hello')).toBeUndefined();
    expect(digits).toEqual([{ digit: '3', source: 'sip-info' }]);
    expect(ends).toHaveLength(1);
  });
});

const dtmfPath = sippPcap('dtmf_2833_1.pcap');

(dtmfPath ? describe : describe.skip)("DtmfReceiver on SIPp's dtmf_2833_1.pcap", () => {
  it('hears exactly one "1", held 280 ms (duration 2240 at 8 kHz)', () => {
    const sut = new DtmfReceiver({ payloadType: 101 });
    const { digits, ends } = listen(sut);
    for (const datagram of readPcapFile(dtmfPath ?? '').datagrams) sut.receiveRtp(parseRtpPacket(datagram.payload));
    expect(digits).toEqual([{ digit: '1', source: 'rtp' }]);
    expect(ends).toEqual([{ digit: '1', source: 'rtp', durationMs: 280 }]);
  });
});

describe('parseSipInfoDtmf', () => {
  it.each([
    ['application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n', '5', 160],
    ['Application/DTMF-Relay; charset=utf-8', 'signal = *\nduration= 90', '*', 90],
    ['application/dtmf-relay', 'Signal=10\r\nDuration=100', '*', 100],
    ['application/dtmf-relay', 'Signal=11', '#', 250],
    ['application/dtmf-relay', 'Signal=d\r\nDuration=x', 'D', 250],
    ['application/dtmf', '9\r\n', '9', 250],
  ])('%s %j → %s (%d ms)', (contentType, body, digit, durationMs) => {
    expect(parseSipInfoDtmf(contentType, body)).toEqual({ digit, source: 'sip-info', durationMs });
  });

  it.each([
    ['application/dtmf-relay', 'Duration=160'],
    ['application/dtmf-relay', 'Signal=12'],
    ['application/dtmf-relay', 'Signal=55'],
    ['application/dtmf', ''],
    ['application/sdp', 'v=0'],
  ])('%s %j → nothing', (contentType, body) => {
    expect(parseSipInfoDtmf(contentType, body)).toBeUndefined();
  });
});

describe('collectSurveyDigit', () => {
  const digits = () => new EventEmitter<Pick<DtmfReceiverEvents, 'digit'>>();

  it('resolves the first accepted key, ignoring others', async () => {
    const source = digits();
    const scheduler = new FakeScheduler();
    const result = collectSurveyDigit({ digits: source, accept: ['1', '2', '3'], timeoutMs: 10_000, scheduler });
    source.emit('digit', { digit: '9', source: 'rtp' });
    source.emit('digit', { digit: '2', source: 'rtp' });
    source.emit('digit', { digit: '3', source: 'rtp' });
    await expect(result).resolves.toBe('2');
    expect(source.listenerCount('digit')).toBe(0);
    expect(scheduler.pendingTimers).toBe(0);
  });

  it('resolves null when the time is up', async () => {
    const source = digits();
    const scheduler = new FakeScheduler();
    const result = collectSurveyDigit({ digits: source, accept: ['1', '2', '3'], timeoutMs: 8000, scheduler });
    scheduler.advanceTo(7999);
    source.emit('digit', { digit: '#', source: 'rtp' });
    scheduler.advanceTo(8000);
    source.emit('digit', { digit: '1', source: 'rtp' });
    await expect(result).resolves.toBeNull();
    expect(source.listenerCount('digit')).toBe(0);
  });

  it('resolves null at once when the caller hangs up', async () => {
    const source = digits();
    const hangUp = new AbortController();
    const scheduler = new FakeScheduler();
    const result = collectSurveyDigit({ digits: source, accept: ['1', '2', '3'], timeoutMs: 8000, scheduler, signal: hangUp.signal });
    hangUp.abort();
    await expect(result).resolves.toBeNull();
    expect(scheduler.pendingTimers).toBe(0);
  });
});
