import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * HTTP digest authentication as SIP uses it (RFC 2617 / RFC 7616 with MD5, RFC 3261 §22.4),
 * `qop=auth` only. Nonces are `<issued-at ms, hex>.<HMAC-SHA256 of it>` so that the registrar
 * can check them without storing any: a nonce is genuine if its signature matches and fresh if it
 * is younger than its lifetime. Replays of a still-fresh nonce are not detected (that would need
 * per-nonce `nc` state); its short lifetime bounds the window.
 */

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** HA1 = MD5(username:realm:password), what a credential store may keep instead of the password. */
export function computeHa1(username: string, realm: string, password: string): string {
  return md5Hex(`${username}:${realm}:${password}`);
}

export interface DigestResponseInput {
  ha1: string;
  method: string;
  uri: string;
  nonce: string;
  /** With qop=auth: nonce count (8 hex digits) and client nonce; without qop: RFC 2069 style. */
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
}

export function computeDigestResponse(input: DigestResponseInput): string {
  const ha2 = md5Hex(`${input.method}:${input.uri}`);
  if (input.qop === 'auth') return md5Hex(`${input.ha1}:${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:auth:${ha2}`);
  return md5Hex(`${input.ha1}:${input.nonce}:${ha2}`);
}

export type NonceCheck = 'valid' | 'stale' | 'forged';

export class NonceSigner {
  constructor(
    private readonly secret: Buffer = randomBytes(32),
    private readonly lifetimeMs = 300_000,
  ) {}

  issue(now: number): string {
    const issuedAt = Math.floor(now).toString(16);
    return `${issuedAt}.${this.sign(issuedAt)}`;
  }

  check(nonce: string, now: number): NonceCheck {
    const match = /^([0-9a-f]{1,14})\.([0-9a-f]{64})$/.exec(nonce);
    if (!match) return 'forged';
    const expected = Buffer.from(this.sign(match[1]), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(match[2], 'hex'))) return 'forged';
    const age = now - parseInt(match[1], 16);
    return age >= 0 && age <= this.lifetimeMs ? 'valid' : 'stale';
  }

  private sign(issuedAt: string): string {
    return createHmac('sha256', this.secret).update(issuedAt).digest('hex');
  }
}

/** `WWW-Authenticate` value for a 401 (RFC 7616 §3.3). */
export function formatChallenge(realm: string, nonce: string, stale = false): string {
  return `Digest realm="${realm}", nonce="${nonce}", algorithm=MD5, qop="auth"${stale ? ', stale=true' : ''}`;
}

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: string | undefined;
  qop: string | undefined;
  nc: string | undefined;
  cnonce: string | undefined;
  opaque: string | undefined;
}

/** Parses an `Authorization: Digest …` value; undefined when it is not a usable digest header. */
export function parseDigestAuthorization(value: string): DigestCredentials | undefined {
  const match = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!match) return undefined;
  const params = new Map<string, string>();
  const pattern = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))\s*(?:,|$)/g;
  for (const param of match[1].matchAll(pattern)) {
    params.set(param[1].toLowerCase(), param[2] !== undefined ? param[2].replace(/\\(.)/g, '$1') : (param[3] ?? ''));
  }
  const required = ['username', 'realm', 'nonce', 'uri', 'response'] as const;
  if (required.some((name) => !params.has(name))) return undefined;
  return {
    username: params.get('username') ?? '',
    realm: params.get('realm') ?? '',
    nonce: params.get('nonce') ?? '',
    uri: params.get('uri') ?? '',
    response: (params.get('response') ?? '').toLowerCase(),
    algorithm: params.get('algorithm'),
    qop: params.get('qop'),
    nc: params.get('nc'),
    cnonce: params.get('cnonce'),
    opaque: params.get('opaque'),
  };
}

/** Compares the client's response with the one computed from HA1, in constant time. */
export function digestMatches(credentials: DigestCredentials, method: string, ha1: string): boolean {
  const qop = credentials.qop?.toLowerCase();
  if (qop !== undefined && qop !== 'auth') return false;
  if (qop === 'auth' && (credentials.nc === undefined || credentials.cnonce === undefined)) return false;
  const expected = computeDigestResponse({
    ha1,
    method,
    uri: credentials.uri,
    nonce: credentials.nonce,
    qop: qop === 'auth' ? 'auth' : undefined,
    nc: credentials.nc,
    cnonce: credentials.cnonce,
  });
  const given = Buffer.from(credentials.response, 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
