import { SipHeaders, canonicalHeaderName } from './headers';
import { SipParseError, quoteForError } from './sip-parse-error';
import { parseVia } from './via';

export { SipParseError } from './sip-parse-error';

/** The only version this bridge speaks; anything else would deserve a 505. */
export const SIP_VERSION = 'SIP/2.0';

interface SipMessageBase {
  headers: SipHeaders;
  /** Raw octets: Content-Length counts bytes, and bodies are not always text (SIP-I carries ISUP). */
  body: Buffer;
}

export interface SipRequest extends SipMessageBase {
  kind: 'request';
  method: string;
  requestUri: string;
}

export interface SipResponse extends SipMessageBase {
  kind: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

export interface CSeq {
  sequence: number;
  method: string;
}

const TOKEN = "[-.!%*_+`'~A-Za-z0-9]+";
const REQUEST_LINE = new RegExp(`^(${TOKEN}) +([A-Za-z][A-Za-z0-9+.-]*:\\S+) +(SIP/\\S+)$`);
const STATUS_LINE = /^(SIP\/\S+) +(\d{3})(?: (.*))?$/i;
const HEADER_LINE = new RegExp(`^(${TOKEN})[ \\t]*:(.*)$`);
const CSEQ_VALUE = new RegExp(`^(\\d{1,10})\\s+(${TOKEN})$`);
const MAX_CSEQ = 2 ** 31 - 1;
const REQUIRED_HEADERS = ['Via', 'From', 'To'] as const;

/**
 * Parses one SIP message as received in a UDP datagram (RFC 3261 §7, §18.3): without Content-Length
 * the body runs to the end of the datagram, and bytes beyond Content-Length are discarded.
 * Throws a SipParseError that says what is wrong.
 */
export function parseSipMessage(input: Buffer | string): SipMessage {
  const data = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const start = skipLeadingLineBreaks(data);
  if (start === data.length) throw new SipParseError('Empty SIP message');

  const { headerEnd, bodyStart } = findHeaderEnd(data, start);
  const lines = data.toString('utf8', start, headerEnd).split(/\r?\n/);
  const startLine = parseStartLine(lines[0].replace(/\r$/, ''));
  const headers = parseHeaderLines(lines.slice(1));
  const body = extractBody(data, bodyStart, headers);
  const message: SipMessage = { ...startLine, headers, body };
  validateMessage(message);
  return message;
}

/** Writes the message with CRLF line ends and a Content-Length computed from the body. */
export function serializeSipMessage(message: SipMessage): Buffer {
  const startLine =
    message.kind === 'request'
      ? `${message.method} ${message.requestUri} ${SIP_VERSION}`
      : `${SIP_VERSION} ${message.status} ${message.reason}`;
  const lines = [startLine];
  for (const { name, value } of message.headers.entries()) {
    if (canonicalHeaderName(name) === 'Content-Length') continue;
    lines.push(`${name}: ${value}`);
  }
  lines.push(`Content-Length: ${message.body.length}`);
  // A line break smuggled into a value would let it inject header fields of its own.
  const injected = lines.find((line) => /[\r\n]/.test(line));
  if (injected !== undefined) throw new Error(`Cannot serialize SIP message: line break inside ${quoteForError(injected)}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'), message.body]);
}

export function getCallId(message: SipMessage): string {
  const callId = message.headers.get('Call-ID');
  if (!callId) throw new SipParseError('Cannot correlate SIP message without Call-ID and CSeq');
  return callId;
}

export function getCSeq(message: SipMessage): CSeq {
  const value = message.headers.get('CSeq');
  if (!value) throw new SipParseError('Cannot correlate SIP message without Call-ID and CSeq');
  return parseCSeq(value);
}

export function parseCSeq(value: string): CSeq {
  const match = CSEQ_VALUE.exec(value.trim());
  const sequence = match ? Number(match[1]) : NaN;
  if (!match || sequence > MAX_CSEQ) throw new SipParseError(`Malformed CSeq ${quoteForError(value)}`);
  return { sequence, method: match[2] };
}

/** Stream transports may send CRLF keep-alives before a message (RFC 3261 §7.5); they mean nothing. */
function skipLeadingLineBreaks(data: Buffer): number {
  let start = 0;
  while (start < data.length && (data[start] === 0x0d || data[start] === 0x0a)) start++;
  return start;
}

/** The empty line ends the headers; a bare-LF one is tolerated, and a datagram without one is all headers. */
function findHeaderEnd(data: Buffer, from: number): { headerEnd: number; bodyStart: number } {
  const crlf = data.indexOf('\r\n\r\n', from);
  const lf = data.indexOf('\n\n', from);
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { headerEnd: crlf, bodyStart: crlf + 4 };
  if (lf !== -1) return { headerEnd: lf, bodyStart: lf + 2 };
  return { headerEnd: data.length, bodyStart: data.length };
}

type StartLine = Pick<SipRequest, 'kind' | 'method' | 'requestUri'> | Pick<SipResponse, 'kind' | 'status' | 'reason'>;

function parseStartLine(line: string): StartLine {
  if (/^SIP\//i.test(line)) {
    const match = STATUS_LINE.exec(line);
    if (!match) throw new SipParseError(`Malformed start line: ${quoteForError(line)}`);
    assertVersion(match[1]);
    const status = Number(match[2]);
    if (status < 100 || status > 699) throw new SipParseError(`Malformed start line: status code ${match[2]} is outside 100-699`);
    return { kind: 'response', status, reason: (match[3] ?? '').trim() };
  }
  const match = REQUEST_LINE.exec(line);
  if (!match) throw new SipParseError(`Malformed start line: ${quoteForError(line)}`);
  assertVersion(match[3]);
  return { kind: 'request', method: match[1], requestUri: match[2] };
}

function assertVersion(version: string): void {
  if (version.toUpperCase() !== SIP_VERSION) throw new SipParseError(`Unsupported SIP version ${quoteForError(version)}`);
}

function parseHeaderLines(lines: string[]): SipHeaders {
  const fields: [string, string][] = [];
  lines.forEach((rawLine, index) => {
    const line = rawLine.replace(/\r$/, '');
    const lineNumber = index + 2; // the start line is line 1
    if (line === '') return;
    if (/^[ \t]/.test(line)) {
      // Folded continuation (RFC 3261 §7.3.1): the line break and indent count as one space.
      const previous = fields[fields.length - 1];
      if (!previous) throw new SipParseError(`Malformed header line ${lineNumber}: continuation before any header`);
      previous[1] = `${previous[1].trimEnd()} ${line.trim()}`;
      return;
    }
    const match = HEADER_LINE.exec(line);
    if (!match) throw new SipParseError(`Malformed header line ${lineNumber}: ${quoteForError(line)}`);
    fields.push([match[1], match[2].trim()]);
  });
  return new SipHeaders(fields);
}

function extractBody(data: Buffer, bodyStart: number, headers: SipHeaders): Buffer {
  const available = data.length - bodyStart;
  const values = headers.getAll('Content-Length');
  if (values.length === 0) return Buffer.from(data.subarray(bodyStart));
  if (new Set(values).size > 1) throw new SipParseError(`Conflicting Content-Length values: ${values.join(', ')}`);
  if (!/^\d{1,10}$/.test(values[0])) throw new SipParseError(`Invalid Content-Length ${quoteForError(values[0])}`);
  const declared = Number(values[0]);
  if (declared > available) throw new SipParseError(`Content-Length ${declared} exceeds body length ${available}`);
  return Buffer.from(data.subarray(bodyStart, bodyStart + declared));
}

function validateMessage(message: SipMessage): void {
  const callId = message.headers.get('Call-ID');
  const cseqValue = message.headers.get('CSeq');
  if (!callId || !cseqValue) throw new SipParseError('Cannot correlate SIP message without Call-ID and CSeq');
  const cseq = parseCSeq(cseqValue);
  if (message.kind === 'request' && cseq.method !== message.method) {
    throw new SipParseError(`CSeq method ${cseq.method} does not match request method ${message.method}`);
  }
  const missing = REQUIRED_HEADERS.filter((name) => !message.headers.get(name));
  if (missing.length > 0) throw new SipParseError(`Missing required header(s): ${missing.join(', ')}`);
  for (const via of message.headers.getAll('Via')) parseVia(via);
}
