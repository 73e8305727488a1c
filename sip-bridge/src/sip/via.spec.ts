import { SipHeaders } from './headers';
import { formatVia, parseVia, responseDestination, stampReceived, stampTopVia } from './via';

describe('parseVia', () => {
  it('reads protocol, transport, sent-by and parameters', () => {
    const sut = parseVia('SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK776asdhds;rport;TTL=16');

    expect(sut).toEqual({
      protocol: 'SIP/2.0',
      transport: 'UDP',
      host: '10.0.0.10',
      port: 5060,
      params: new Map([
        ['branch', 'z9hG4bK776asdhds'],
        ['rport', null],
        ['ttl', '16'],
      ]),
    });
  });

  it('accepts linear white space around the slashes and a host without port', () => {
    expect(parseVia('SIP / 2.0 / udp pbx.example.cn ;branch=z9hG4bK1')).toMatchObject({
      protocol: 'SIP/2.0',
      transport: 'UDP',
      host: 'pbx.example.cn',
      port: undefined,
    });
  });

  it('reads a bracketed IPv6 sent-by', () => {
    expect(parseVia('SIP/2.0/UDP [2001:db8::9:1]:5070;branch=z9hG4bK1')).toMatchObject({ host: '2001:db8::9:1', port: 5070 });
  });

  it.each([
    ['', 'Malformed Via ""'],
    ['SIP/2.0/UDP', 'Malformed Via "SIP/2.0/UDP"'],
    ['SIP/2.0/UDP host:99999;branch=z9hG4bK1', 'Via port 99999 is out of range in "SIP/2.0/UDP host:99999;branch=z9hG4bK1"'],
    ['SIP/2.0/UDP ho$t;branch=z9hG4bK1', 'Malformed Via sent-by "ho$t"'],
    ['SIP/2.0/UDP host;rport=abc', 'Via rport "abc" is not a port number in "SIP/2.0/UDP host;rport=abc"'],
    ['SIP/2.0/UDP host;;branch=1', 'Malformed Via parameter in "SIP/2.0/UDP host;;branch=1"'],
  ])('rejects %p', (value, error) => {
    expect(() => parseVia(value)).toThrow(error);
  });
});

describe('formatVia', () => {
  it.each([
    'SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK776asdhds;rport',
    'SIP/2.0/UDP pbx.example.cn;branch=z9hG4bK1;received=10.0.0.5',
    'SIP/2.0/UDP [2001:db8::9:1]:5070;branch=z9hG4bK1',
  ])('writes back %s unchanged', (value) => {
    expect(formatVia(parseVia(value))).toBe(value);
  });
});

describe('stampReceived', () => {
  const source = { address: '192.0.2.7', port: 40123 };

  it('leaves the Via alone when sent-by is the source address and rport was not asked for', () => {
    const via = parseVia('SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1');

    expect(formatVia(stampReceived(via, source))).toBe('SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1');
  });

  it('adds received when sent-by differs from the source (RFC 3261 §18.2.1)', () => {
    const via = parseVia('SIP/2.0/UDP pbx.example.cn;branch=z9hG4bK1');

    expect(formatVia(stampReceived(via, source))).toBe('SIP/2.0/UDP pbx.example.cn;branch=z9hG4bK1;received=192.0.2.7');
  });

  it('fills in an empty rport and always adds received then (RFC 3581)', () => {
    const via = parseVia('SIP/2.0/UDP 192.0.2.7:5060;rport;branch=z9hG4bK1');

    expect(formatVia(stampReceived(via, source))).toBe('SIP/2.0/UDP 192.0.2.7:5060;rport=40123;branch=z9hG4bK1;received=192.0.2.7');
  });

  it('records an IPv4 peer seen through a dual-stack socket as plain IPv4', () => {
    const via = parseVia('SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1');

    expect(stampReceived(via, { address: '::ffff:192.0.2.7', port: 5060 }).params.get('received')).toBe('192.0.2.7');
  });

  it('stampTopVia changes only the top Via', () => {
    const headers = new SipHeaders([['Via', 'SIP/2.0/UDP proxy.example.cn;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.10;branch=z9hG4bK2']]);

    stampTopVia(headers, source);

    expect(headers.getAll('Via')).toEqual([
      'SIP/2.0/UDP proxy.example.cn;branch=z9hG4bK1;received=192.0.2.7',
      'SIP/2.0/UDP 10.0.0.10;branch=z9hG4bK2',
    ]);
  });
});

describe('responseDestination', () => {
  it.each([
    ['SIP/2.0/UDP 10.0.0.10;branch=z9hG4bK1', { address: '10.0.0.10', port: 5060 }],
    ['SIP/2.0/UDP 10.0.0.10:5070;branch=z9hG4bK1', { address: '10.0.0.10', port: 5070 }],
    ['SIP/2.0/UDP pbx.example.cn:5070;branch=z9hG4bK1;received=192.0.2.7', { address: '192.0.2.7', port: 5070 }],
    ['SIP/2.0/UDP 10.0.0.10:5070;rport=40123;received=192.0.2.7', { address: '192.0.2.7', port: 40123 }],
    ['SIP/2.0/UDP 10.0.0.10:5070;rport', { address: '10.0.0.10', port: 5070 }],
  ])('%s -> %p', (value, expected) => {
    expect(responseDestination(parseVia(value))).toEqual(expected);
  });
});
