import { NonceSigner, computeDigestResponse, computeHa1, digestMatches, parseDigestAuthorization } from './digest';

describe('digest', () => {
  it('computes the RFC 2617 §3.5 example response', () => {
    // The worked example of RFC 2617: Mufasa / Circle Of Life, qop=auth.
    const ha1 = computeHa1('Mufasa', 'testrealm@host.com', 'Circle Of Life');
    expect(
      computeDigestResponse({ ha1, method: 'GET', uri: '/dir/index.html', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', qop: 'auth', nc: '00000001', cnonce: '0a4f113b' }),
    ).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('parses an Authorization header with quoted and bare values', () => {
    const parsed = parseDigestAuthorization(
      'Digest username="1001",realm="jiesu", nonce="abc", uri="sip:127.0.0.1", response="ABCDEF", algorithm=MD5, cnonce="x,y", qop=auth, nc=00000001',
    );
    expect(parsed).toMatchObject({ username: '1001', realm: 'jiesu', nonce: 'abc', uri: 'sip:127.0.0.1', response: 'abcdef', cnonce: 'x,y', qop: 'auth', nc: '00000001' });
    expect(parseDigestAuthorization('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(parseDigestAuthorization('Digest username="1001"')).toBeUndefined();
  });

  it('requires nc and cnonce with qop=auth', () => {
    const ha1 = computeHa1('1001', 'jiesu', 'pw');
    const response = computeDigestResponse({ ha1, method: 'REGISTER', uri: 'sip:x', nonce: 'n', qop: 'auth', nc: '00000001', cnonce: 'c' });
    const base = { username: '1001', realm: 'jiesu', nonce: 'n', uri: 'sip:x', response, algorithm: 'MD5', qop: 'auth', nc: '00000001', cnonce: 'c', opaque: undefined };
    expect(digestMatches(base, 'REGISTER', ha1)).toBe(true);
    expect(digestMatches({ ...base, cnonce: undefined }, 'REGISTER', ha1)).toBe(false);
    expect(digestMatches(base, 'INVITE', ha1)).toBe(false);
  });

  it('signs nonces: valid while young, stale when old, forged when tampered with', () => {
    const signer = new NonceSigner(Buffer.from('k'.repeat(32)), 1000);
    const nonce = signer.issue(5_000);
    expect(signer.check(nonce, 5_500)).toBe('valid');
    expect(signer.check(nonce, 6_001)).toBe('stale');
    expect(signer.check(nonce.replace(/^[0-9a-f]+/, (issued) => (parseInt(issued, 16) + 1).toString(16)), 5_500)).toBe('forged');
    expect(signer.check('garbage', 5_500)).toBe('forged');
    expect(new NonceSigner(Buffer.from('x'.repeat(32))).check(nonce, 5_500)).toBe('forged');
  });
});
