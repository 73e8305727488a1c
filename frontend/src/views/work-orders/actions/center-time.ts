import { CENTER_UTC_OFFSET, centerDateTime } from '@/utils/date';

/**
 * Date pickers show and return wall-clock times (`YYYY-MM-DD HH:mm:ss`, the picker's value-format); the user means the
 * center's clock, whatever the browser's zone is. These convert between that and RFC 3339 instants with an offset.
 */
export const PICKER_VALUE_FORMAT = 'YYYY-MM-DD HH:mm:ss';

/** `2026-12-03 17:30:00` (center time) → `2026-12-03T17:30:00+08:00`; null for an empty or malformed value. */
export function centerWallClockToIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/.exec(value.trim());
  if (!match) return null;
  return `${match[1]}T${match[2]}${match[3] ?? ':00'}${CENTER_UTC_OFFSET}`;
}

/** An instant as the center's wall clock (`YYYY-MM-DD HH:mm:ss`), for a picker's initial value. */
export function isoToCenterWallClock(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  return centerDateTime(at);
}

/** Instant in milliseconds of a picker value (center wall clock), NaN when empty. */
export function wallClockTime(value: string | null | undefined): number {
  const iso = centerWallClockToIso(value);
  return iso ? new Date(iso).getTime() : Number.NaN;
}
