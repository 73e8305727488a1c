import { createHash } from 'node:crypto';
import { crlf } from '../testing/sip-frames';
import { FakeClock } from '../testing/fake-clock';
import { UdpPeer } from '../testing/udp-peer';
import { type UasHarness, startUasHarness } from '../testing/uas-harness';
import { type SipResponse, parseSipMessage } from './message';
import { type ExtensionCredentials, Registrar } from './registrar';

const REALM = 'jiesu';
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

const PASSWORDS: Record<string, ExtensionCredentials> = {
  '1001': { password: 's3cret-1001' },
  // Stored as HA1 = MD5("1002:jiesu:pw-1002"), the way the backend will keep it.
  '1002': { ha1: md5('1002:jiesu:pw-1002') },
};

function register(params: { extension: string; port: number; cseq: number; callId?: string; expires?: string; contact?: string; authorization?: string }): string {
  return crlf(
    'REGISTER sip:127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:${params.port};branch=z9hG4bKreg${params.cseq}-${params.extension};rport`,
    'Max-Forwards: 70',
    `From: <sip:${params.extension}@127.0.0.1>;tag=phone-${params.extension}`,
    `To: <sip:${params.extension}@127.0.0.1>`,
    `Call-ID: ${params.callId ?? `reg-${params.extension}`}`,
    `CSeq: ${params.cseq} REGISTER`,
    `Contact: ${params.contact ?? `<sip:${params.extension}@127.0.0.1:${params.port}>`}`,
    ...(params.expires === undefined ? [] : [`Expires: ${params.expires}`]),
    ...(params.authorization === undefined ? [] : [`Authorization: ${params.authorization}`]),
    'User-Agent: Yealink SIP-T46U',
    'Content-Length: 0',
    '',
    '',
  );
}

/** What a phone computes from the challenge (RFC 2617 §3.2.2 with qop=auth). */
function authorizationFor(challenge: string, extension: string, password: string, overrides: { nc?: string; uri?: string } = {}): string {
  const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1] ?? '';
  const realm = /realm="([^"]+)"/.exec(challenge)?.[1] ?? '';
  const uri = overrides.uri ?? 'sip:127.0.0.1';
  const nc = overrides.nc ?? '00000001';
  const cnonce = '0a4f113b';
  const ha1 = md5(`${extension}:${realm}:${password}`);
  const ha2 = md5(`REGISTER:${uri}`);
  const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `Digest username="${extension}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, cnonce="${cnonce}", qop=auth, nc=${nc}`;
}

describe('Registrar through the UAS over UDP', () => {
  let clock: FakeClock;
  let registrar: Registrar;
  let h: UasHarness;
  let phone: UdpPeer;
  let cseq: number;

  beforeEach(async () => {
    clock = new FakeClock(Date.UTC(2026, 11, 2, 8, 0, 0));
    registrar = new Registrar({ realm: REALM, clock, lookupCredentials: (extension) => PASSWORDS[extension] });
    h = await startUasHarness({ registrar, clock });
    phone = await UdpPeer.open();
    cseq = 1;
  });

  afterEach(async () => {
    await h.close();
    await phone.close();
  });

  async function exchange(frame: string): Promise<SipResponse> {
    await phone.send(frame, h.udp.address().port);
    const message = parseSipMessage(await phone.nextDatagram());
    if (message.kind !== 'response') throw new Error('expected a response');
    return message;
  }

  async function challenge(extension: string, extra: { expires?: string; contact?: string } = {}): Promise<string> {
    const response = await exchange(register({ extension, port: phone.port, cseq: cseq++, ...extra }));
    expect(response.status).toBe(401);
    return response.headers.get('WWW-Authenticate') ?? '';
  }

  async function registerWith(extension: string, password: string, extra: { expires?: string; contact?: string } = {}): Promise<SipResponse> {
    const wwwAuthenticate = await challenge(extension, extra);
    return exchange(register({ extension, port: phone.port, cseq: cseq++, ...extra, authorization: authorizationFor(wwwAuthenticate, extension, password) }));
  }

  it('challenges a REGISTER with a signed MD5 qop=auth nonce, then binds the contact', async () => {
    const wwwAuthenticate = await challenge('1001', { expires: '120' });
    expect(wwwAuthenticate).toMatch(/^Digest realm="jiesu", nonce="[0-9a-f]+\.[0-9a-f]{64}", algorithm=MD5, qop="auth"$/);
    expect(registrar.lookup('1001')).toBeUndefined();

    const ok = await exchange(
      register({ extension: '1001', port: phone.port, cseq: cseq++, expires: '120', authorization: authorizationFor(wwwAuthenticate, '1001', 's3cret-1001') }),
    );

    expect(ok.status).toBe(200);
    expect(ok.headers.get('Contact')).toBe(`<sip:1001@127.0.0.1:${phone.port}>;expires=120`);
    expect(registrar.lookup('1001')).toEqual({
      extension: '1001',
      contactUri: `sip:1001@127.0.0.1:${phone.port}`,
      target: { address: '127.0.0.1', port: phone.port },
      transport: 'UDP',
      expiresAt: Date.UTC(2026, 11, 2, 8, 2, 0),
      callId: 'reg-1001',
      cseq: 2,
    });
  });

  it('accepts credentials stored as HA1', async () => {
    expect((await registerWith('1002', 'pw-1002')).status).toBe(200);
    expect(registrar.lookup('1002')?.contactUri).toBe(`sip:1002@127.0.0.1:${phone.port}`);
  });

  it('refuses a wrong password with 403 after the challenge', async () => {
    const response = await registerWith('1001', 'guess');
    expect(response.status).toBe(403);
    expect(registrar.lookup('1001')).toBeUndefined();
  });

  it('treats an unknown extension like a wrong password: challenge, then 403', async () => {
    const response = await registerWith('9999', 'anything');
    expect(response.status).toBe(403);
  });

  it('refuses a digest computed for another extension than the one in To', async () => {
    const wwwAuthenticate = await challenge('1001');
    const response = await exchange(register({ extension: '1001', port: phone.port, cseq: cseq++, authorization: authorizationFor(wwwAuthenticate, '1002', 'pw-1002') }));
    expect(response.status).toBe(403);
  });

  it('challenges again with stale=true when the nonce has expired', async () => {
    const wwwAuthenticate = await challenge('1001');
    clock.advance(5 * 60_000 + 1);
    const response = await exchange(register({ extension: '1001', port: phone.port, cseq: cseq++, authorization: authorizationFor(wwwAuthenticate, '1001', 's3cret-1001') }));
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toMatch(/stale=true$/);
  });

  it('answers a forged nonce with a fresh challenge', async () => {
    const forged = 'Digest realm="jiesu", nonce="18c2a7f3b00.' + '0'.repeat(64) + '"';
    const response = await exchange(register({ extension: '1001', port: phone.port, cseq: cseq++, authorization: authorizationFor(forged, '1001', 's3cret-1001') }));
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).not.toContain('stale');
  });

  it('answers 423 with Min-Expires to a too short interval and caps a too long one', async () => {
    const tooShort = await registerWith('1001', 's3cret-1001', { expires: '30' });
    expect(tooShort.status).toBe(423);
    expect(tooShort.reason).toBe('Interval Too Brief');
    expect(tooShort.headers.get('Min-Expires')).toBe('60');

    const tooLong = await registerWith('1001', 's3cret-1001', { expires: '86400' });
    expect(tooLong.status).toBe(200);
    expect(tooLong.headers.get('Contact')).toMatch(/;expires=3600$/);
  });

  it('lets a binding expire with the clock, and un-registers with Expires: 0', async () => {
    expect((await registerWith('1001', 's3cret-1001', { expires: '60' })).status).toBe(200);
    clock.advance(59_999);
    expect(registrar.lookup('1001')).toBeDefined();
    clock.advance(1);
    expect(registrar.lookup('1001')).toBeUndefined();

    expect((await registerWith('1001', 's3cret-1001', { expires: '600' })).status).toBe(200);
    const removed = await registerWith('1001', 's3cret-1001', { expires: '0' });
    expect(removed.status).toBe(200);
    expect(removed.headers.get('Contact')).toBeUndefined();
    expect(registrar.lookup('1001')).toBeUndefined();
  });

  it('removes every binding with Contact: * and Expires: 0', async () => {
    expect((await registerWith('1001', 's3cret-1001', { contact: '<sip:1001@127.0.0.1:5070>;expires=300' })).status).toBe(200);
    expect(registrar.allBindings()).toHaveLength(1);
    expect((await registerWith('1001', 's3cret-1001', { contact: '*', expires: '0' })).status).toBe(200);
    expect(registrar.allBindings()).toHaveLength(0);
  });

  it('answers a REGISTER without an extension in To with 400', async () => {
    const frame = register({ extension: '1001', port: phone.port, cseq: 1 }).replace('To: <sip:1001@127.0.0.1>', 'To: <sip:127.0.0.1>');
    expect((await exchange(frame)).status).toBe(400);
  });

  it('answers 500 with Retry-After when the credential lookup fails, instead of leaving the phone waiting', async () => {
    const failing = new Registrar({ realm: REALM, clock, lookupCredentials: () => Promise.reject(new Error('backend unreachable')) });
    const other = await startUasHarness({ registrar: failing, clock });
    try {
      const send = async (frame: string) => {
        await phone.send(frame, other.udp.address().port);
        return parseSipMessage(await phone.nextDatagram()) as SipResponse;
      };
      const first = await send(register({ extension: '1001', port: phone.port, cseq: 1 }));
      expect(first.status).toBe(401);
      const authorization = authorizationFor(first.headers.get('WWW-Authenticate') ?? '', '1001', 's3cret-1001');
      const second = await send(register({ extension: '1001', port: phone.port, cseq: 2, authorization }));
      expect(second.status).toBe(500);
      expect(second.headers.get('Retry-After')).toBe('5');
      expect(other.logger.records).toContainEqual({ level: 'error', message: 'Registrar failed', fields: { error: 'backend unreachable' } });
    } finally {
      await other.close();
    }
  });
});
