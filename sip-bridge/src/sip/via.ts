import { isIP } from 'node:net';
import type { SipHeaders } from './headers';
import { SipParseError, quoteForError as describe } from './sip-parse-error';

/** One Via field value (RFC 3261 §20.42): `SIP/2.0/UDP host[:port];branch=…;rport`. */
export interface Via {
  /** e.g. `SIP/2.0` */
  protocol: string;
  /** Upper-case transport name, e.g. `UDP`. */
  transport: string;
  /** Host of sent-by; IPv6 addresses without brackets. */
  host: string;
  port: number | undefined;
  /** Lower-case parameter names in wire order; `null` for a parameter without a value (`;rport`). */
  params: Map<string, string | null>;
}

export const DEFAULT_SIP_PORT = 5060;

/** Every RFC 3261 branch starts with this cookie; older ones cannot be trusted to be unique. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

const VIA_PATTERN = /^([^\s/]+)\s*\/\s*([^\s/]+)\s*\/\s*([^\s;]+)\s+([^;]+?)\s*(;.*)?$/;
const SENT_BY_IPV6 = /^\[([0-9A-Fa-f:.]+(?:%[\w.-]+)?)\](?::(\d{1,5}))?$/;
const SENT_BY_HOST = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

export function parseVia(value: string): Via {
  const match = VIA_PATTERN.exec(value.trim());
  if (!match) throw new SipParseError(`Malformed Via ${describe(value)}`);
  const [, name, version, transport, sentBy, paramText] = match;
  const hostMatch = SENT_BY_IPV6.exec(sentBy) ?? SENT_BY_HOST.exec(sentBy);
  if (!hostMatch) throw new SipParseError(`Malformed Via sent-by ${describe(sentBy)}`);
  const port = hostMatch[2] === undefined ? undefined : Number(hostMatch[2]);
  if (hostMatch[2] !== undefined && !isPort(hostMatch[2])) {
    throw new SipParseError(`Via port ${hostMatch[2]} is out of range in ${describe(value)}`);
  }
  const params = new Map<string, string | null>();
  for (const raw of (paramText ?? '').split(';').slice(1)) {
    const [paramName, ...rest] = raw.split('=');
    const key = paramName.trim().toLowerCase();
    if (key === '') throw new SipParseError(`Malformed Via parameter in ${describe(value)}`);
    params.set(key, rest.length === 0 ? null : rest.join('=').trim());
  }
  const rport = params.get('rport');
  if (rport !== undefined && rport !== null && !isPort(rport)) {
    throw new SipParseError(`Via rport ${describe(rport)} is not a port number in ${describe(value)}`);
  }
  return { protocol: `${name}/${version}`.toUpperCase(), transport: transport.toUpperCase(), host: hostMatch[1], port, params };
}

export function formatVia(via: Via): string {
  const host = isIP(via.host) === 6 ? `[${via.host}]` : via.host;
  const sentBy = via.port === undefined ? host : `${host}:${via.port}`;
  const params = [...via.params].map(([name, value]) => (value === null ? `;${name}` : `;${name}=${value}`));
  return `${via.protocol}/${via.transport} ${sentBy}${params.join('')}`;
}

export interface SourceAddress {
  address: string;
  port: number;
}

/**
 * What the server transport records in the top Via of a received request, so that the response
 * goes back to where the request really came from (behind NAT, or when sent-by is a host name):
 * `received` when sent-by is not the source IP (RFC 3261 §18.2.1), and the source port in an
 * empty `rport` (RFC 3581 §4, which also requires `received` then).
 */
export function stampReceived(via: Via, source: SourceAddress): Via {
  const sourceAddress = unmapIPv4(source.address);
  const params = new Map(via.params);
  const wantsRport = params.has('rport') && params.get('rport') === null;
  if (wantsRport) params.set('rport', String(source.port));
  if (wantsRport || via.host.toLowerCase() !== sourceAddress.toLowerCase()) params.set('received', sourceAddress);
  return { ...via, params };
}

/** Applies {@link stampReceived} to the top Via of a received request's headers, in place. */
export function stampTopVia(headers: SipHeaders, source: SourceAddress): void {
  const [top, ...rest] = headers.getAll('Via');
  if (top === undefined) return;
  headers.set('Via', [formatVia(stampReceived(parseVia(top), source)), ...rest]);
}

/**
 * Where a response over UDP goes (RFC 3261 §18.2.2 with RFC 3581): the `received` address if
 * present, else the sent-by host; the `rport` port if filled in, else the sent-by port, else 5060.
 */
export function responseDestination(topVia: Via): SourceAddress {
  const rport = topVia.params.get('rport');
  const port = rport ? Number(rport) : (topVia.port ?? DEFAULT_SIP_PORT);
  return { address: topVia.params.get('received') || topVia.host, port };
}

function isPort(text: string): boolean {
  return /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;
}

/** A dual-stack socket reports IPv4 peers as `::ffff:a.b.c.d`; Via wants the plain IPv4 form. */
function unmapIPv4(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}
