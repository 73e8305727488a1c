import { COMPACT_OPTIONS, INVITE, INVITE_SDP, OK_200, OK_200_SDP, OPTIONS, crlf } from '../testing/sip-frames';
import { SipHeaders } from './headers';
import { type SipMessage, SipParseError, type SipRequest, getCSeq, getCallId, parseSipMessage, serializeSipMessage } from './message';

function parseRequest(frame: string | Buffer): SipRequest {
  const message = parseSipMessage(frame);
  if (message.kind !== 'request') throw new Error(`expected a request, got ${message.status}`);
  return message;
}

function captureError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected an Error to be thrown');
}

/** A valid OPTIONS with some lines replaced, for the error cases. */
function optionsWith(overrides: Record<string, string | null>, body = ''): string {
  const lines: Record<string, string> = {
    Via: 'SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bKerr',
    From: '<sip:pbx@10.0.0.10>;tag=1',
    To: '<sip:bridge@10.0.0.20>',
    'Call-ID': 'err-1@10.0.0.10',
    CSeq: '1 OPTIONS',
    'Content-Length': String(Buffer.byteLength(body)),
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) delete lines[name];
    else lines[name] = value;
  }
  return crlf('OPTIONS sip:bridge@10.0.0.20 SIP/2.0', ...Object.entries(lines).map(([n, v]) => `${n}: ${v}`), '', body);
}

describe('parseSipMessage', () => {
  describe('real frames', () => {
    it('parses an INVITE with its SDP body, counting Content-Length in bytes', () => {
      const sut = parseRequest(INVITE);

      expect(sut).toMatchObject({ kind: 'request', method: 'INVITE', requestUri: 'sip:12345@10.0.0.20:5060' });
      expect(sut.body.toString('utf8')).toBe(INVITE_SDP);
      expect(sut.body.length).toBe(Number(sut.headers.get('Content-Length')));
      expect(sut.body.length).toBeGreaterThan(INVITE_SDP.length); // 热线 is 6 bytes, 2 characters
      expect(sut.headers.get('From')).toBe('"张三" <sip:13800138000@10.0.0.10>;tag=8f2a1c');
      expect(sut.headers.getAll('Allow')).toEqual(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS']);
      expect(sut.headers.getAll('Supported')).toEqual(['replaces', 'timer']);
      expect(getCallId(sut)).toBe('3c26700e-7a1f-4b6c@10.0.0.10');
      expect(getCSeq(sut)).toEqual({ sequence: 102, method: 'INVITE' });
    });

    it('parses an Asterisk OPTIONS ping', () => {
      const sut = parseRequest(OPTIONS);

      expect(sut.method).toBe('OPTIONS');
      expect(sut.requestUri).toBe('sip:10.0.0.20:5060');
      expect(sut.headers.get('via')).toBe('SIP/2.0/UDP 10.0.0.10:5060;rport;branch=z9hG4bKPj1f0a9c2e');
      expect(sut.headers.get('CONTENT-LENGTH')).toBe('0');
      expect(sut.body.length).toBe(0);
      expect(getCSeq(sut)).toEqual({ sequence: 4711, method: 'OPTIONS' });
    });

    it('parses a 200 OK whose Via field holds two values', () => {
      const sut = parseSipMessage(OK_200);

      expect(sut).toMatchObject({ kind: 'response', status: 200, reason: 'OK' });
      expect(sut.headers.getAll('Via')).toEqual([
        'SIP/2.0/UDP proxy.hotline.example.cn;branch=z9hG4bK77ef4c2312983.1;received=10.0.0.5',
        'SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK-524287-1---a1b2c3;rport=5060',
      ]);
      expect(sut.headers.get('Record-Route')).toBe('<sip:proxy.hotline.example.cn;lr>');
      expect(sut.body.toString('utf8')).toBe(OK_200_SDP);
    });

    it('accepts a reason phrase with spaces, and none at all', () => {
      const frame = (statusLine: string) => OK_200.replace('SIP/2.0 200 OK', statusLine);

      expect(parseSipMessage(frame('SIP/2.0 481 Call/Transaction Does Not Exist'))).toMatchObject({
        status: 481,
        reason: 'Call/Transaction Does Not Exist',
      });
      expect(parseSipMessage(frame('SIP/2.0 200'))).toMatchObject({ status: 200, reason: '' });
    });
  });

  describe('headers', () => {
    it('expands compact header names', () => {
      const sut = parseRequest(COMPACT_OPTIONS);

      expect(sut.headers.entries().map((field) => field.name)).toEqual([
        'Via',
        'From',
        'To',
        'Call-ID',
        'CSeq',
        'Contact',
        'Supported',
        'Content-Type',
        'Content-Length',
      ]);
      expect(getCallId(sut)).toBe('compact-1@10.0.0.10');
      expect(sut.headers.get('Via')).toBe('SIP/2.0/UDP 10.0.0.10;branch=z9hG4bKcompact1');
      expect(sut.body.toString()).toBe('hello');
    });

    it('keeps every Via in order across folded lines, comma lists and repeated fields', () => {
      const frame = crlf(
        'OPTIONS sip:bridge@10.0.0.20 SIP/2.0',
        'Via: SIP/2.0/UDP proxy1.example.cn;branch=z9hG4bK1,',
        '  SIP/2.0/UDP 10.0.0.11:5070;branch=z9hG4bK2',
        'v : SIP/2.0/UDP 10.0.0.10;branch=z9hG4bK3',
        'From: <sip:pbx@10.0.0.10>;tag=1',
        'To: <sip:bridge@10.0.0.20>',
        'Call-ID: folded-1',
        'CSeq: 7 OPTIONS',
        'Subject: 投诉',
        '\t噪音扰民',
        '',
        '',
      );

      const sut = parseRequest(frame);

      expect(sut.headers.getAll('Via')).toEqual([
        'SIP/2.0/UDP proxy1.example.cn;branch=z9hG4bK1',
        'SIP/2.0/UDP 10.0.0.11:5070;branch=z9hG4bK2',
        'SIP/2.0/UDP 10.0.0.10;branch=z9hG4bK3',
      ]);
      expect(sut.headers.get('Subject')).toBe('投诉 噪音扰民');
    });

    it('splits list headers only at top-level commas and never splits single-valued ones', () => {
      const frame = optionsWith({
        Contact: '"Hotline, Main" <sip:main@10.0.0.10>, <sip:backup@10.0.0.11;x=a,b>',
        From: '"Doe, John" <sip:john@10.0.0.10>;tag=1',
        Date: 'Sat, 13 Nov 2010 23:29:00 GMT',
      });

      const sut = parseRequest(frame);

      expect(sut.headers.getAll('Contact')).toEqual(['"Hotline, Main" <sip:main@10.0.0.10>', '<sip:backup@10.0.0.11;x=a,b>']);
      expect(sut.headers.getAll('From')).toEqual(['"Doe, John" <sip:john@10.0.0.10>;tag=1']);
      expect(sut.headers.get('Date')).toBe('Sat, 13 Nov 2010 23:29:00 GMT');
    });
  });

  describe('framing', () => {
    it('tolerates bare LF line ends and line breaks before the start line', () => {
      const sut = parseRequest(`\r\n\r\n${OPTIONS.replace(/\r\n/g, '\n')}`);

      expect(getCallId(sut)).toBe('5a6c0d3b-4f8e-options');
      expect(sut.body.length).toBe(0);
    });

    it('takes the rest of the datagram as body when Content-Length is absent', () => {
      const sut = parseRequest(optionsWith({ 'Content-Length': null }, 'rest of datagram'));

      expect(sut.body.toString()).toBe('rest of datagram');
    });

    it('discards bytes beyond Content-Length, as RFC 3261 §18.3 asks for UDP', () => {
      const sut = parseRequest(optionsWith({ 'Content-Length': '4' }, 'bodytrailing junk'));

      expect(sut.body.toString()).toBe('body');
    });

    it('accepts a datagram that ends without the empty line', () => {
      const sut = parseRequest(optionsWith({ 'Content-Length': null }).replace(/\r\n\r\n$/, ''));

      expect(getCallId(sut)).toBe('err-1@10.0.0.10');
      expect(sut.body.length).toBe(0);
    });

    it('keeps a binary body byte for byte', () => {
      const binary = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x0d, 0x0a, 0x80, 0x7f]);
      const head = optionsWith({ 'Content-Type': 'application/isup', 'Content-Length': String(binary.length) });

      const sut = parseRequest(Buffer.concat([Buffer.from(head), binary]));

      expect(sut.body.equals(binary)).toBe(true);
    });
  });

  describe('errors', () => {
    it.each([
      ['Call-ID', { 'Call-ID': null }],
      ['CSeq', { CSeq: null }],
      ['both', { 'Call-ID': null, CSeq: null }],
      ['an empty Call-ID', { 'Call-ID': '' }],
    ])('cannot correlate a message without %s', (_case, overrides) => {
      expect(() => parseSipMessage(optionsWith(overrides))).toThrow(
        new SipParseError('Cannot correlate SIP message without Call-ID and CSeq'),
      );
    });

    it('rejects a Content-Length larger than the body', () => {
      const frame = optionsWith({ 'Content-Length': '120' }, 'x'.repeat(80));

      expect(() => parseSipMessage(frame)).toThrow('Content-Length 120 exceeds body length 80');
    });

    it.each([
      [{ 'Content-Length': 'abc' }, 'Invalid Content-Length "abc"'],
      [{ 'Content-Length': '-1' }, 'Invalid Content-Length "-1"'],
      [{ 'Content-Length': '12345678901' }, 'Invalid Content-Length "12345678901"'],
    ])('rejects a bad Content-Length %p', (overrides, error) => {
      expect(() => parseSipMessage(optionsWith(overrides))).toThrow(error);
    });

    it('rejects conflicting Content-Length fields', () => {
      const frame = optionsWith({}).replace('Content-Length: 0', 'Content-Length: 0\r\nl: 3');

      expect(() => parseSipMessage(frame)).toThrow('Conflicting Content-Length values: 0, 3');
    });

    it.each([
      ['', 'Empty SIP message'],
      ['\r\n\r\n', 'Empty SIP message'],
      ['hello world', 'Malformed start line: "hello world"'],
      ['GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'Malformed start line: "GET / HTTP/1.1"'],
      ['INVITE sip:a@b\r\n\r\n', 'Malformed start line: "INVITE sip:a@b"'],
      ['INVITE 12345 SIP/2.0\r\n\r\n', 'Malformed start line: "INVITE 12345 SIP/2.0"'],
      ['SIP/2.0 OK\r\n\r\n', 'Malformed start line: "SIP/2.0 OK"'],
      ['SIP/2.0 099 Too Low\r\n\r\n', 'Malformed start line: status code 099 is outside 100-699'],
      ['SIP/3.0 200 OK\r\n\r\n', 'Unsupported SIP version "SIP/3.0"'],
      ['OPTIONS sip:a@b SIP/1.0\r\n\r\n', 'Unsupported SIP version "SIP/1.0"'],
    ])('rejects garbage %p', (frame, error) => {
      expect(() => parseSipMessage(frame)).toThrow(new SipParseError(error));
    });

    it('rejects random bytes with a readable, truncated message', () => {
      const garbage = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256).filter((b) => b !== 10 && b !== 13));

      const error = captureError(() => parseSipMessage(garbage));

      expect(error.message).toMatch(/^Malformed start line: ".*…"$/); // cut short, on one line
      // eslint-disable-next-line no-control-regex -- the test looks for control bytes on purpose
      expect(error.message).not.toMatch(/[\x00-\x1f]/); // control bytes escaped
      expect(error.message.length).toBeLessThan(500);
    });

    it('names the header line it cannot read', () => {
      const frame = optionsWith({}).replace('To: ', 'To ');

      expect(() => parseSipMessage(frame)).toThrow('Malformed header line 4: "To <sip:bridge@10.0.0.20>"');
    });

    it('rejects a continuation line before any header', () => {
      const frame = OPTIONS.replace('\r\nVia:', '\r\n  folded\r\nVia:');

      expect(() => parseSipMessage(frame)).toThrow('Malformed header line 2: continuation before any header');
    });

    it.each([
      [{ CSeq: 'one OPTIONS' }, 'Malformed CSeq "one OPTIONS"'],
      [{ CSeq: '2147483648 OPTIONS' }, 'Malformed CSeq "2147483648 OPTIONS"'],
      [{ CSeq: '1 INVITE' }, 'CSeq method INVITE does not match request method OPTIONS'],
      [{ Via: null, To: null }, 'Missing required header(s): Via, To'],
      [{ Via: 'SIP/2.0/UDP' }, 'Malformed Via "SIP/2.0/UDP"'],
    ])('rejects %p', (overrides, error) => {
      expect(() => parseSipMessage(optionsWith(overrides))).toThrow(new SipParseError(error));
    });

    it('throws SipParseError so callers can tell bad input from bugs', () => {
      expect(() => parseSipMessage('garbage')).toThrow(SipParseError);
    });
  });
});

describe('serializeSipMessage', () => {
  function expectSameMessage(actual: SipMessage, expected: SipMessage): void {
    const { headers: actualHeaders, ...actualRest } = actual;
    const { headers: expectedHeaders, ...expectedRest } = expected;
    expect(actualRest).toEqual(expectedRest);
    expect(actualHeaders.entries()).toEqual(expectedHeaders.entries());
  }

  it.each([
    ['INVITE with SDP', INVITE],
    ['OPTIONS', OPTIONS],
    ['200 OK', OK_200],
    ['compact OPTIONS', COMPACT_OPTIONS],
  ])('round-trips %s', (_name, frame) => {
    const parsed = parseSipMessage(frame);

    const sut = parseSipMessage(serializeSipMessage(parsed));

    expectSameMessage(sut, parsed);
  });

  it('writes canonical names, CRLF line ends and one line per value', () => {
    const sut = serializeSipMessage(parseSipMessage(COMPACT_OPTIONS)).toString('utf8');

    expect(sut).toBe(
      crlf(
        'OPTIONS sip:bridge@10.0.0.20 SIP/2.0',
        'Via: SIP/2.0/UDP 10.0.0.10;branch=z9hG4bKcompact1',
        'From: <sip:pbx@10.0.0.10>;tag=1928301774',
        'To: <sip:bridge@10.0.0.20>',
        'Call-ID: compact-1@10.0.0.10',
        'CSeq: 1 OPTIONS',
        'Contact: <sip:pbx@10.0.0.10>',
        'Supported: timer',
        'Content-Type: text/plain',
        'Content-Length: 5',
        '',
        'hello',
      ),
    );
  });

  it('computes Content-Length from the body bytes, whatever the headers say', () => {
    const message = parseRequest(INVITE);
    message.headers.set('Content-Length', '1');
    message.body = Buffer.from('s=投诉\r\n');

    const sut = serializeSipMessage(message).toString('utf8');

    expect(sut).toContain('\r\nContent-Length: 10\r\n\r\ns=投诉\r\n');
    expect(sut.match(/Content-Length/g)).toHaveLength(1);
  });

  it('writes a response status line', () => {
    const sut = serializeSipMessage({
      kind: 'response',
      status: 501,
      reason: 'Not Implemented',
      headers: new SipHeaders([['Call-ID', 'x']]),
      body: Buffer.alloc(0),
    });

    expect(sut.toString()).toBe('SIP/2.0 501 Not Implemented\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n');
  });

  it('refuses a header value that would inject lines', () => {
    const message = parseRequest(OPTIONS);
    message.headers.set('Subject', 'hi\r\nVia: SIP/2.0/UDP evil.example');

    expect(() => serializeSipMessage(message)).toThrow(/^Cannot serialize SIP message: line break inside "Subject: hi\\r\\nVia/);
  });
});
