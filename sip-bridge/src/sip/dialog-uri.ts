/** Just enough SIP URI handling for dialogs and bindings: `sip:user@host:port;params` (RFC 3261 §19.1). */
export interface SipUri {
  scheme: 'sip' | 'sips';
  user: string | undefined;
  /** IPv6 without brackets. */
  host: string;
  port: number | undefined;
  /** Lower-case names; `null` for a flag parameter such as `lr`. */
  params: Map<string, string | null>;
}

const URI_PATTERN = /^(sips?):(?:([^@]*)@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?((?:;[^?]*)?)(?:\?.*)?$/i;

export function parseSipUri(text: string): SipUri | undefined {
  const match = URI_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const params = new Map<string, string | null>();
  for (const raw of match[5].split(';').slice(1)) {
    const [name, ...value] = raw.split('=');
    if (name.trim() !== '') params.set(name.trim().toLowerCase(), value.length === 0 ? null : value.join('='));
  }
  const port = match[4] === undefined ? undefined : Number(match[4]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return {
    scheme: match[1].toLowerCase() as 'sip' | 'sips',
    user: match[2] === undefined ? undefined : decodeURIComponent(match[2].split(':')[0]),
    host: match[3].replace(/^\[|\]$/g, ''),
    port,
    params,
  };
}

/** The URI inside a name-addr (`"Name" <sip:…>;tag=x`) or an addr-spec without brackets (`sip:…;tag=x`). */
export function uriOfNameAddr(value: string): string {
  const open = value.indexOf('<');
  if (open !== -1) {
    const close = value.indexOf('>', open);
    return value.slice(open + 1, close === -1 ? undefined : close).trim();
  }
  // Without brackets, parameters after the URI belong to the header (RFC 3261 §20.10).
  return value.trim().split(';')[0].trim();
}

/** The header parameters of a name-addr (`;expires=60;q=0.7` after the `>`). */
export function nameAddrParams(value: string): Map<string, string | null> {
  const close = value.lastIndexOf('>');
  const rest = close === -1 ? value.slice(value.indexOf(';') === -1 ? value.length : value.indexOf(';')) : value.slice(close + 1);
  const params = new Map<string, string | null>();
  for (const raw of rest.split(';').slice(1)) {
    const [name, ...val] = raw.split('=');
    if (name.trim() !== '') params.set(name.trim().toLowerCase(), val.length === 0 ? null : val.join('=').trim().replace(/^"|"$/g, ''));
  }
  return params;
}
