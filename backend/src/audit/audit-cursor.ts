/**
 * The keyset of the audit trail's newest-first paging: the (at, id) of the last row of a page. Sent to clients as
 * an opaque string (`nextCursor`) and taken back as `cursor`.
 */
export interface AuditCursor {
  at: Date;
  id: number;
}

/** The largest id the INT column holds. */
const MAX_ID = 2_147_483_647;
const TEXT = /^(\d{13})\.(\d{1,10})$/;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${String(cursor.at.getTime()).padStart(13, '0')}.${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor, or null when `value` is not one this API handed out. */
export function decodeAuditCursor(value: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(value)) return null;
  const match = TEXT.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match) return null;
  const at = new Date(Number(match[1]));
  const id = Number(match[2]);
  if (Number.isNaN(at.getTime()) || !Number.isInteger(id) || id < 1 || id > MAX_ID) return null;
  return { at, id };
}
