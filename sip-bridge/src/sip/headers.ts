/**
 * SIP header fields (RFC 3261 §7.3): names are case-insensitive, may arrive in compact form,
 * and one field may be repeated or carry a comma-separated list of values.
 */

/** Compact forms (RFC 3261 §7.3.3 and the extensions that registered one). */
const COMPACT_FORMS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    a: 'Accept-Contact',
    b: 'Referred-By',
    c: 'Content-Type',
    d: 'Request-Disposition',
    e: 'Content-Encoding',
    f: 'From',
    i: 'Call-ID',
    j: 'Reject-Contact',
    k: 'Supported',
    l: 'Content-Length',
    m: 'Contact',
    o: 'Event',
    r: 'Refer-To',
    s: 'Subject',
    t: 'To',
    u: 'Allow-Events',
    v: 'Via',
    x: 'Session-Expires',
    y: 'Identity',
  }),
);

/** Spellings that title-casing would get wrong, plus the common ones, so output looks like other stacks'. */
const CANONICAL_NAMES: ReadonlyMap<string, string> = new Map(
  [
    'Accept',
    'Accept-Encoding',
    'Accept-Language',
    'Alert-Info',
    'Allow',
    'Authorization',
    'Call-ID',
    'Call-Info',
    'Contact',
    'Content-Disposition',
    'Content-Language',
    'CSeq',
    'Date',
    'Error-Info',
    'Expires',
    'In-Reply-To',
    'Max-Forwards',
    'MIME-Version',
    'Min-Expires',
    'Min-SE',
    'Organization',
    'P-Asserted-Identity',
    'P-Preferred-Identity',
    'Path',
    'Privacy',
    'Proxy-Authenticate',
    'Proxy-Authorization',
    'Proxy-Require',
    'RAck',
    'Reason',
    'Record-Route',
    'Require',
    'Retry-After',
    'Route',
    'RSeq',
    'Server',
    'Service-Route',
    'Subscription-State',
    'Timestamp',
    'Unsupported',
    'User-Agent',
    'Warning',
    'WWW-Authenticate',
    ...COMPACT_FORMS.values(),
  ].map((name) => [name.toLowerCase(), name]),
);

/**
 * Fields whose grammar is a comma-separated list (`#element`). Only these are split on commas:
 * From, To, Date or Authorization legitimately contain commas inside a single value.
 */
const LIST_FIELDS: ReadonlySet<string> = new Set(
  [
    'Accept',
    'Accept-Contact',
    'Accept-Encoding',
    'Accept-Language',
    'Alert-Info',
    'Allow',
    'Allow-Events',
    'Call-Info',
    'Contact',
    'Content-Encoding',
    'Content-Language',
    'Error-Info',
    'In-Reply-To',
    'P-Asserted-Identity',
    'P-Preferred-Identity',
    'Path',
    'Proxy-Require',
    'Record-Route',
    'Reject-Contact',
    'Request-Disposition',
    'Require',
    'Route',
    'Service-Route',
    'Supported',
    'Unsupported',
    'Via',
    'Warning',
  ].map((name) => name.toLowerCase()),
);

/** Lower-case key used for lookups: compact forms become their full name. */
function keyOf(name: string): string {
  const lower = name.trim().toLowerCase();
  return (COMPACT_FORMS.get(lower) ?? lower).toLowerCase();
}

/** The spelling written on the wire: canonical when known, otherwise as the caller wrote it. */
export function canonicalHeaderName(name: string): string {
  const trimmed = name.trim();
  return CANONICAL_NAMES.get(keyOf(trimmed)) ?? trimmed;
}

export function isListHeader(name: string): boolean {
  return LIST_FIELDS.has(keyOf(name));
}

/**
 * Splits a list-valued field on top-level commas, i.e. not inside a quoted string
 * (`"Doe, John" <sip:…>`) or angle brackets (`<sip:a@b;x=1,2>`).
 */
export function splitHeaderList(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  let angleDepth = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (inQuotes) {
      current += ch;
      if (ch === '\\' && i + 1 < value.length) current += value[++i];
      else if (ch === '"') inQuotes = false;
      continue;
    }
    if (ch === '"') inQuotes = true;
    else if (ch === '<') angleDepth++;
    else if (ch === '>' && angleDepth > 0) angleDepth--;
    else if (ch === ',' && angleDepth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current.trim());
  return parts.filter((part) => part.length > 0);
}

export interface SipHeaderField {
  readonly name: string;
  readonly value: string;
}

/** An ordered, case-insensitive multimap of header fields. Order matters for Via and Route. */
export class SipHeaders {
  private readonly fields: SipHeaderField[] = [];

  constructor(fields: Iterable<readonly [string, string]> = []) {
    for (const [name, value] of fields) this.append(name, value);
  }

  /** Adds one field after the existing ones; list-valued fields are split into one entry per element. */
  append(name: string, value: string): this {
    const canonical = canonicalHeaderName(name);
    const values = isListHeader(canonical) ? splitHeaderList(value) : [value.trim()];
    for (const v of values) this.fields.push({ name: canonical, value: v });
    return this;
  }

  /** Replaces every field of that name, keeping the position of the first one. */
  set(name: string, value: string | readonly string[]): this {
    const key = keyOf(name);
    const replacement = new SipHeaders();
    for (const v of typeof value === 'string' ? [value] : value) replacement.append(name, v);
    const first = this.fields.findIndex((field) => keyOf(field.name) === key);
    this.delete(name);
    this.fields.splice(first === -1 ? this.fields.length : first, 0, ...replacement.fields);
    return this;
  }

  delete(name: string): this {
    const key = keyOf(name);
    for (let i = this.fields.length - 1; i >= 0; i--) {
      if (keyOf(this.fields[i].name) === key) this.fields.splice(i, 1);
    }
    return this;
  }

  has(name: string): boolean {
    const key = keyOf(name);
    return this.fields.some((field) => keyOf(field.name) === key);
  }

  /** The first value of that field, the one that counts for single-valued fields. */
  get(name: string): string | undefined {
    const key = keyOf(name);
    return this.fields.find((field) => keyOf(field.name) === key)?.value;
  }

  getAll(name: string): string[] {
    const key = keyOf(name);
    return this.fields.filter((field) => keyOf(field.name) === key).map((field) => field.value);
  }

  /** Every field in wire order, one entry per value. */
  entries(): SipHeaderField[] {
    return this.fields.map((field) => ({ ...field }));
  }

  clone(): SipHeaders {
    return new SipHeaders(this.fields.map((field) => [field.name, field.value] as const));
  }
}
