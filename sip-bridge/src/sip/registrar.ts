import type { Clock } from './transactions/clock';
import type { PeerAddress, TransportProtocol } from './transactions/transport-binding';
import { NonceSigner, computeHa1, digestMatches, formatChallenge, parseDigestAuthorization } from './digest';
import { nameAddrParams, parseSipUri, uriOfNameAddr } from './dialog-uri';
import type { SipRequest, SipResponse } from './message';
import { getCallId, getCSeq } from './message';
import { buildResponse } from './responses';

/** What the credential store knows about an extension: the password, or HA1 = MD5(ext:realm:password). */
export type ExtensionCredentials = { password: string } | { ha1: string };

/** Looks an agent's extension up (the backend will provide this); undefined = no such extension. */
export type CredentialLookup = (extension: string) => Promise<ExtensionCredentials | undefined> | ExtensionCredentials | undefined;

export interface RegistrarOptions {
  realm: string;
  lookupCredentials: CredentialLookup;
  clock: Clock;
  /** Shorter requested intervals get 423 Interval Too Brief. Default 60 s. */
  minExpiresSeconds?: number;
  /** Longer requested intervals are shortened to this. Default 3600 s. */
  maxExpiresSeconds?: number;
  /** Used when the REGISTER names no interval. Default 3600 s. */
  defaultExpiresSeconds?: number;
  /** How long a challenge nonce stays usable. Default 5 min. */
  nonceLifetimeMs?: number;
  /** HMAC key for nonces; random per process when omitted (a restart only costs one extra 401). */
  nonceSecret?: Buffer;
}

/** Where an agent's phone can be reached: what the B2BUA INVITEs. */
export interface ContactBinding {
  extension: string;
  /** The Contact URI the phone registered, e.g. `sip:1001@192.168.1.23:5062;transport=udp`. */
  contactUri: string;
  /**
   * Where requests are sent: the address the REGISTER came from (like Asterisk's
   * rewrite_contact / force_rport), so phones behind NAT and on TCP connections stay reachable.
   */
  target: PeerAddress;
  transport: TransportProtocol;
  /** Epoch ms. */
  expiresAt: number;
  callId: string;
  cseq: number;
}

export interface RegisterContext {
  remote: PeerAddress;
  protocol: TransportProtocol;
}

const DEFAULTS = { minExpiresSeconds: 60, maxExpiresSeconds: 3600, defaultExpiresSeconds: 3600, nonceLifetimeMs: 300_000 };

/**
 * A registrar for agents' phones (RFC 3261 §10.3) with digest authentication. Unknown extensions
 * are challenged like known ones and refused with 403 after the challenge, as Asterisk
 * (alwaysauthreject) and FreeSWITCH do, so that scanning for extensions learns nothing.
 */
export class Registrar {
  private readonly bindingsByExtension = new Map<string, Map<string, ContactBinding>>();
  private readonly nonces: NonceSigner;
  private readonly settings: typeof DEFAULTS;

  constructor(private readonly options: RegistrarOptions) {
    this.settings = {
      minExpiresSeconds: options.minExpiresSeconds ?? DEFAULTS.minExpiresSeconds,
      maxExpiresSeconds: options.maxExpiresSeconds ?? DEFAULTS.maxExpiresSeconds,
      defaultExpiresSeconds: options.defaultExpiresSeconds ?? DEFAULTS.defaultExpiresSeconds,
      nonceLifetimeMs: options.nonceLifetimeMs ?? DEFAULTS.nonceLifetimeMs,
    };
    this.nonces = new NonceSigner(options.nonceSecret, this.settings.nonceLifetimeMs);
  }

  /** The freshest live binding of an extension, or undefined when it is not registered (or expired). */
  lookup(extension: string): ContactBinding | undefined {
    this.purgeExpired();
    const bindings = [...(this.bindingsByExtension.get(extension)?.values() ?? [])];
    return bindings.sort((a, b) => b.expiresAt - a.expiresAt)[0];
  }

  /** Every live binding (diagnostics, supervisors' view). */
  allBindings(): ContactBinding[] {
    this.purgeExpired();
    return [...this.bindingsByExtension.values()].flatMap((bindings) => [...bindings.values()]);
  }

  purgeExpired(): void {
    const now = this.options.clock.now();
    for (const [extension, bindings] of this.bindingsByExtension) {
      for (const [uri, binding] of bindings) if (binding.expiresAt <= now) bindings.delete(uri);
      if (bindings.size === 0) this.bindingsByExtension.delete(extension);
    }
  }

  async handleRegister(request: SipRequest, context: RegisterContext): Promise<SipResponse> {
    this.purgeExpired();
    const extension = parseSipUri(uriOfNameAddr(request.headers.get('To') ?? ''))?.user;
    if (!extension) return buildResponse(request, 400, { reason: 'Bad Request: To has no extension' });

    const authorization = request.headers.get('Authorization');
    const credentials = authorization === undefined ? undefined : parseDigestAuthorization(authorization);
    if (credentials === undefined || credentials.realm !== this.options.realm) return this.challenge(request, false);
    const nonceCheck = this.nonces.check(credentials.nonce, this.options.clock.now());
    if (nonceCheck === 'forged') return this.challenge(request, false);
    if (nonceCheck === 'stale') return this.challenge(request, true);
    if (credentials.algorithm !== undefined && credentials.algorithm.toUpperCase() !== 'MD5') {
      return buildResponse(request, 400, { reason: 'Bad Request: only MD5 digests are supported' });
    }
    if (credentials.username !== extension) return buildResponse(request, 403, { reason: 'Forbidden: username does not match To' });

    const stored = await this.options.lookupCredentials(extension);
    const ha1 = stored === undefined ? undefined : 'ha1' in stored ? stored.ha1.toLowerCase() : computeHa1(extension, this.options.realm, stored.password);
    if (ha1 === undefined || !digestMatches(credentials, request.method, ha1)) return buildResponse(request, 403);

    return this.updateBindings(request, extension, context);
  }

  private challenge(request: SipRequest, stale: boolean): SipResponse {
    const nonce = this.nonces.issue(this.options.clock.now());
    return buildResponse(request, 401, { headers: [['WWW-Authenticate', formatChallenge(this.options.realm, nonce, stale)]] });
  }

  private updateBindings(request: SipRequest, extension: string, context: RegisterContext): SipResponse {
    const now = this.options.clock.now();
    const contacts = request.headers.getAll('Contact');
    const headerExpires = parseSeconds(request.headers.get('Expires'));
    const callId = getCallId(request);
    const cseq = getCSeq(request).sequence;
    const bindings = this.bindingsByExtension.get(extension) ?? new Map<string, ContactBinding>();

    if (contacts.length === 1 && contacts[0].trim() === '*') {
      // RFC 3261 §10.2.2: remove every binding, only allowed with Expires: 0.
      if (headerExpires !== 0) return buildResponse(request, 400, { reason: 'Bad Request: Contact * needs Expires: 0' });
      this.bindingsByExtension.delete(extension);
      return buildResponse(request, 200);
    }

    const changes: { uri: string; expires: number }[] = [];
    for (const contact of contacts) {
      const uri = uriOfNameAddr(contact);
      if (contact.trim() === '*' || parseSipUri(uri) === undefined) return buildResponse(request, 400, { reason: 'Bad Request: unusable Contact' });
      const params = nameAddrParams(contact);
      const requested = parseSeconds(params.get('expires') ?? undefined) ?? headerExpires ?? this.settings.defaultExpiresSeconds;
      if (requested !== 0 && requested < this.settings.minExpiresSeconds) {
        return buildResponse(request, 423, { headers: [['Min-Expires', String(this.settings.minExpiresSeconds)]] });
      }
      const existing = bindings.get(uri);
      if (existing !== undefined && existing.callId === callId && existing.cseq >= cseq) {
        // RFC 3261 §10.3 step 7: an older REGISTER from the same phone must not undo a newer one.
        return buildResponse(request, 400, { reason: 'Bad Request: out-of-order REGISTER' });
      }
      changes.push({ uri, expires: Math.min(requested, this.settings.maxExpiresSeconds) });
    }

    for (const { uri, expires } of changes) {
      if (expires === 0) bindings.delete(uri);
      else {
        bindings.set(uri, {
          extension,
          contactUri: uri,
          target: { address: context.remote.address, port: context.remote.port },
          transport: context.protocol,
          expiresAt: now + expires * 1000,
          callId,
          cseq,
        });
      }
    }
    if (bindings.size > 0) this.bindingsByExtension.set(extension, bindings);
    else this.bindingsByExtension.delete(extension);

    // The 200 lists every current binding with the time it has left (RFC 3261 §10.3 step 8).
    const current = [...bindings.values()].map(
      (binding) => ['Contact', `<${binding.contactUri}>;expires=${Math.ceil((binding.expiresAt - now) / 1000)}`] as const,
    );
    return buildResponse(request, 200, { headers: [...current, ['Date', new Date(now).toUTCString()]] });
  }
}

function parseSeconds(value: string | undefined | null): number | undefined {
  if (value === undefined || value === null || !/^\s*\d{1,10}\s*$/.test(value)) return undefined;
  return Number(value);
}
