/**
 * Sorting of the reports' tables: by a column's value, descending first (the largest figures are what a supervisor
 * looks for), then ascending, then back to the server's order (the unit tree, or its own ranking). Rows without a
 * value (a rate with no data) always go last, whichever the direction.
 */
export type SortOrder = 'descending' | 'ascending';

export interface SortState {
  key: string;
  order: SortOrder;
}

export type SortValue = number | string | null | undefined;

/** The next state after a click on a column's header. */
export function nextSort(current: SortState | null, key: string): SortState | null {
  if (!current || current.key !== key) return { key, order: 'descending' };
  return current.order === 'descending' ? { key, order: 'ascending' } : null;
}

/** The rows in the state's order (a copy; the server's order when unsorted, and for ties). */
export function sortRows<Row>(rows: readonly Row[], state: SortState | null, valueOf: (row: Row, key: string) => SortValue): Row[] {
  if (!state) return [...rows];
  const sign = state.order === 'descending' ? -1 : 1;
  return rows
    .map((row, index) => ({ row, index, value: valueOf(row, state.key) }))
    .sort((a, b) => {
      const aMissing = a.value === null || a.value === undefined;
      const bMissing = b.value === null || b.value === undefined;
      if (aMissing || bMissing) return aMissing === bMissing ? a.index - b.index : aMissing ? 1 : -1;
      const compared = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : String(a.value).localeCompare(String(b.value), 'zh-CN');
      return compared === 0 ? a.index - b.index : sign * compared;
    })
    .map((entry) => entry.row);
}
