import type { WorkOrderSortField } from '../dto/list-work-orders.dto';
import { URGENCIES, WORK_ORDER_STATUSES } from '../work-order.enums';

/** A column a list can be ordered by (each with an index that starts with it, and one per lead unit). */
export type OrderColumn = 'createdAt' | 'updatedAt' | 'replyDueAt' | 'acceptDueAt';

/**
 * One run of a sorted list that a single index range delivers in order: the rows matching `condition`, ordered by
 * `column` (if any) and then id, all in `direction`. A sort that no single index delivers — urgency by rank, status
 * in lifecycle order, a deadline with the orders that have none last — is a sequence of segments read one after
 * the other, each from its own index range.
 */
export interface ListSegment {
  /** SQL condition on `wo` that defines the segment, or null for all rows. Uses only the segment's own params. */
  condition: string | null;
  params: Record<string, unknown>;
  /** The ordering column before id, or null when the segment is ordered by id alone. */
  column: OrderColumn | null;
  direction: 'ASC' | 'DESC';
  /** Holds most orders (no condition, or "has this deadline"): worth walking in order to find a unit's few. */
  dense: boolean;
  /** `condition` as a test of one order's values, for rows read apart from the segment's index range. */
  admits: (row: ListRowValues) => boolean;
}

/** What the plans order and segment by, of one order (times in epoch ms). */
export interface ListRowValues {
  id: number;
  status: string;
  urgency: string;
  createdAt: number;
  updatedAt: number;
  replyDueAt: number | null;
  acceptDueAt: number | null;
}

export interface ListPlan {
  /** Names the sort in cursors, so a cursor of one sort is not taken for another. */
  key: string;
  segments: ListSegment[];
}

/** The test of a segment without a condition. */
const everyRow = (): boolean => true;

/** The lifecycle order, for sorting by status. */
const STATUS_ORDER = WORK_ORDER_STATUSES;
/** Most urgent first when sorting by urgency descending. */
const URGENCY_RANK = [...URGENCIES];

/**
 * How a sort is read through the indexes. Sorting by number reads registration time: numbers are drawn in
 * registration order and the time is taken after the number, so both orders agree (and old 13-digit numbers sort
 * with the new 14-digit ones of their day).
 */
export function planFor(sortBy: WorkOrderSortField, direction: 'ASC' | 'DESC'): ListPlan {
  const key = `${sortBy}.${direction}`;
  switch (sortBy) {
    case 'createdAt':
    case 'number':
      return { key, segments: [{ condition: null, params: {}, column: 'createdAt', direction, dense: true, admits: everyRow }] };
    case 'updatedAt':
      return { key, segments: [{ condition: null, params: {}, column: 'updatedAt', direction, dense: true, admits: everyRow }] };
    case 'replyDueAt':
    case 'acceptDueAt':
      // Orders without this deadline come last in either direction: they are the least pressing.
      return {
        key,
        segments: [
          { condition: `wo.${sortBy} IS NOT NULL`, params: {}, column: sortBy, direction, dense: true, admits: (row) => row[sortBy] !== null },
          { condition: `wo.${sortBy} IS NULL`, params: {}, column: null, direction: 'DESC', dense: false, admits: (row) => row[sortBy] === null },
        ],
      };
    case 'status':
      return { key, segments: valueSegments('status', direction === 'ASC' ? STATUS_ORDER : [...STATUS_ORDER].reverse()) };
    case 'urgency':
      // DESC: critical, urgent, normal; newest first within each.
      return { key, segments: valueSegments('urgency', direction === 'DESC' ? [...URGENCY_RANK].reverse() : URGENCY_RANK) };
  }
}

/** One segment per value of the column, in the order given, each newest first. */
function valueSegments(column: 'status' | 'urgency', values: readonly string[]): ListSegment[] {
  return values.map((value, i) => ({
    condition: `wo.${column} = :seg${i}`,
    params: { [`seg${i}`]: value },
    column: 'createdAt',
    direction: 'DESC',
    dense: false,
    admits: (row) => row[column] === value,
  }));
}

/** Where the previous page ended: its segment and the last row's ordering value and id. */
export interface ListCursor {
  key: string;
  segment: number;
  /** The ordering column's value of the last row (epoch ms), or null when the segment orders by id alone. */
  value: number | null;
  id: number;
}

const MAX_ID = 2_147_483_647;
const CURSOR_TEXT = /^([A-Za-z]{1,16}\.(?:ASC|DESC|id|rel))~(\d{1,2})~(-?\d{1,15}|n)~(\d{1,10})$/;

export function encodeListCursor(cursor: ListCursor): string {
  return Buffer.from(`${cursor.key}~${cursor.segment}~${cursor.value ?? 'n'}~${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor, or null when `text` is not one this API handed out. */
export function decodeListCursor(text: string): ListCursor | null {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(text)) return null;
  const match = CURSOR_TEXT.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) return null;
  const id = Number(match[4]);
  const value = match[3] === 'n' ? null : Number(match[3]);
  if (!Number.isSafeInteger(id) || id < 0 || id > MAX_ID) return null;
  if (value !== null && (!Number.isSafeInteger(value) || Number.isNaN(new Date(value).getTime()))) return null;
  return { key: match[1], segment: Number(match[2]), value, id };
}

/**
 * The keyset condition "after the cursor" within its segment: for (column, id) descending
 * `column < v OR (column = v AND id < i)` — written out rather than as a row comparison so that every engine
 * turns it into index ranges. `columns` names them on another table (the assisting rows' copy of the time).
 */
export function afterCursorCondition(
  segment: ListSegment,
  cursor: ListCursor,
  columns: { column: string; id: string } = { column: `wo.${segment.column ?? 'id'}`, id: 'wo.id' },
): { sql: string; params: Record<string, unknown> } {
  const op = segment.direction === 'DESC' ? '<' : '>';
  if (segment.column === null || cursor.value === null) return { sql: `${columns.id} ${op} :cursorId`, params: { cursorId: cursor.id } };
  const at = new Date(cursor.value);
  const { column, id } = columns;
  return {
    sql: `(${column} ${op} :cursorValue OR (${column} = :cursorValue AND ${id} ${op} :cursorId))`,
    params: { cursorValue: at, cursorId: cursor.id },
  };
}

/** afterCursorCondition as a test of one row's key (a row read apart from the segment's index range). */
export function isAfterCursor(segment: ListSegment, cursor: ListCursor, key: { id: number; value: number | null }): boolean {
  const sign = segment.direction === 'DESC' ? -1 : 1;
  if (segment.column === null || cursor.value === null) return sign * (key.id - cursor.id) > 0;
  if (key.value === null) return false;
  return sign * (key.value - cursor.value) > 0 || (key.value === cursor.value && sign * (key.id - cursor.id) > 0);
}
