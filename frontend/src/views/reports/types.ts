import type { SortValue } from './table-sort';

/** One column of a report table (components/SortableTable.vue). */
export interface TableColumn<Row> {
  key: string;
  label: string;
  /** What the column sorts by (and shows, without `text`). */
  value: (row: Row) => SortValue;
  /** The cell's text; default: the value as it is. */
  text?: (row: Row) => string;
  /** Numbers are right-aligned (the default); names and texts left. */
  align?: 'left' | 'right';
  /** Default true. */
  sortable?: boolean;
  /** The unit or order name: stays in view when the table scrolls sideways. */
  sticky?: boolean;
  /** Shown as the header's tooltip (how the figure is computed). */
  hint?: string;
}

/** The page's tabs: the five reports and the bulletin list. */
export const REPORT_TABS = ['assessment', 'overdue', 'shirking', 'repeats', 'calls', 'bulletins'] as const;
export type ReportTab = (typeof REPORT_TABS)[number];

/** One figure of a report's totals (components/SummaryCards.vue). */
export interface SummaryCard {
  key: string;
  label: string;
  value: string;
  tone?: 'primary' | 'success' | 'warning' | 'danger' | 'info';
}
