import { SipHeaders } from './headers';
import type { SipResponse } from './message';
import { getTag, withTag } from './name-addr';
import { randomBytes } from 'node:crypto';
import { parseVia } from './via';

/** Longest header section we try to salvage: beyond this it is not a phone talking. */
const MAX_SALVAGE_BYTES = 16 * 1024;

/**
 * A 400 for a request the parser refused (RFC 3261 §8.2 says "400 Bad Request" for a malformed
 * request), when the fields needed to route and correlate an answer can still be read: a request
 * line, a parseable top Via, From, To, Call-ID and CSeq (copied as they are, even a bad CSeq).
 * Anything less — a response, binary junk, an ACK — gets nothing: it is dropped.
 */
export function badRequestForMalformed(raw: Buffer, problem: string): SipResponse | undefined {
  const text = raw.subarray(0, MAX_SALVAGE_BYTES).toString('utf8');
  const headerEnd = text.search(/\r?\n\r?\n/);
  const lines = (headerEnd === -1 ? text : text.slice(0, headerEnd)).replace(/^[\r\n]+/, '').split(/\r?\n/);
  const requestLine = /^([-.!%*_+`'~A-Za-z0-9]+) +\S+ +SIP\/2\.0$/i.exec(lines[0]?.trim() ?? '');
  if (!requestLine || requestLine[1].toUpperCase() === 'ACK') return undefined;

  const fields = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const match = /^([A-Za-z-]+)[ \t]*:(.*)$/.exec(line);
    if (!match) continue;
    const name = longName(match[1].toLowerCase());
    fields.set(name, [...(fields.get(name) ?? []), match[2].trim()]);
  }
  const first = (name: string) => fields.get(name)?.[0];
  const vias = (fields.get('via') ?? []).flatMap((value) => value.split(/,(?=\s*SIP\/)/i).map((part) => part.trim()));
  const from = first('from');
  const to = first('to');
  const callId = first('call-id');
  const cseq = first('cseq');
  if (vias.length === 0 || !from || !to || !callId || !cseq) return undefined;
  try {
    parseVia(vias[0]);
  } catch {
    return undefined;
  }
  if ([...vias, from, to, callId, cseq].some(hasControlCharacters)) return undefined;

  const headers = new SipHeaders();
  for (const via of vias) headers.append('Via', via);
  headers.append('From', from);
  headers.append('To', getTag(to) === undefined ? withTag(to, randomBytes(6).toString('hex')) : to);
  headers.append('Call-ID', callId);
  headers.append('CSeq', cseq);
  headers.append('Warning', `399 jiesu "${problem.replace(/["\\\r\n]/g, "'").slice(0, 120)}"`);
  return { kind: 'response', status: 400, reason: 'Bad Request', headers, body: Buffer.alloc(0) };
}

/** Binary junk that happens to contain colons is not worth an answer. */
function hasControlCharacters(value: string): boolean {
  return [...value].some((ch) => {
    const code = ch.charCodeAt(0);
    return (code < 0x20 && ch !== '\t') || code === 0x7f;
  });
}

function longName(name: string): string {
  const compact: Record<string, string> = { v: 'via', f: 'from', t: 'to', i: 'call-id' };
  return compact[name] ?? name;
}
