import { SipHeaders, canonicalHeaderName, splitHeaderList } from './headers';

describe('SipHeaders', () => {
  it('looks names up case-insensitively and through compact forms', () => {
    const sut = new SipHeaders([
      ['call-id', 'abc'],
      ['v', 'SIP/2.0/UDP a;branch=z9hG4bK1'],
    ]);

    expect(sut.get('CALL-ID')).toBe('abc');
    expect(sut.get('i')).toBe('abc');
    expect(sut.get('Via')).toBe('SIP/2.0/UDP a;branch=z9hG4bK1');
    expect(sut.has('V')).toBe(true);
    expect(sut.entries()).toEqual([
      { name: 'Call-ID', value: 'abc' },
      { name: 'Via', value: 'SIP/2.0/UDP a;branch=z9hG4bK1' },
    ]);
  });

  it('keeps the spelling of unknown headers', () => {
    const sut = new SipHeaders([['X-Jiesu-Hotline', '12345']]);

    expect(sut.entries()).toEqual([{ name: 'X-Jiesu-Hotline', value: '12345' }]);
    expect(sut.get('x-jiesu-hotline')).toBe('12345');
  });

  it('is not fooled by header names that are Object.prototype keys', () => {
    const sut = new SipHeaders([['constructor', 'x'], ['toString', 'y']]);

    expect(sut.get('constructor')).toBe('x');
    expect(sut.get('tostring')).toBe('y');
  });

  it('set replaces every value at the position of the first', () => {
    const sut = new SipHeaders([
      ['Via', 'SIP/2.0/UDP a'],
      ['From', '<sip:f@x>'],
      ['Via', 'SIP/2.0/UDP b'],
    ]);

    sut.set('v', ['SIP/2.0/UDP c', 'SIP/2.0/UDP d']);

    expect(sut.entries().map((f) => `${f.name}: ${f.value}`)).toEqual([
      'Via: SIP/2.0/UDP c',
      'Via: SIP/2.0/UDP d',
      'From: <sip:f@x>',
    ]);
  });

  it('set appends a header that was not there, delete removes every value', () => {
    const sut = new SipHeaders([['Allow', 'OPTIONS, INVITE']]);

    sut.set('Server', 'jiesu').delete('allow');

    expect(sut.entries()).toEqual([{ name: 'Server', value: 'jiesu' }]);
  });

  it('clone is independent of the original', () => {
    const original = new SipHeaders([['To', '<sip:a@b>']]);

    const sut = original.clone();
    sut.set('To', '<sip:a@b>;tag=1');

    expect(original.get('To')).toBe('<sip:a@b>');
  });
});

describe('splitHeaderList', () => {
  it.each([
    ['a, b ,c', ['a', 'b', 'c']],
    ['"Doe, John" <sip:j@x>, <sip:k@y>', ['"Doe, John" <sip:j@x>', '<sip:k@y>']],
    ['"say \\"hi, there\\"" <sip:j@x>', ['"say \\"hi, there\\"" <sip:j@x>']],
    ['<sip:a@b;p=1,2>;q=0.5, <sip:c@d>', ['<sip:a@b;p=1,2>;q=0.5', '<sip:c@d>']],
    ['a,,b,', ['a', 'b']],
  ])('splits %p', (value, expected) => {
    expect(splitHeaderList(value)).toEqual(expected);
  });
});

describe('canonicalHeaderName', () => {
  it.each([
    ['cseq', 'CSeq'],
    ['WWW-AUTHENTICATE', 'WWW-Authenticate'],
    ['l', 'Content-Length'],
    ['k', 'Supported'],
    ['x-custom', 'x-custom'],
  ])('%s -> %s', (name, expected) => {
    expect(canonicalHeaderName(name)).toBe(expected);
  });
});
