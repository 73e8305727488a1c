import type { Alignment, Workbook, Worksheet } from 'exceljs';
import type { TimeZone } from '../../../calendar/time-zone';

/**
 * How a column's values are written. Numbers stay numbers; a rate is its fraction with the format 0.0 % (null → an
 * empty cell, "no data", never 0 %); dates and instants are real Excel dates in the center's time zone.
 */
export type CellKind = 'text' | 'count' | 'signed' | 'rate' | 'days' | 'score' | 'instant' | 'day';

export type CellValue = string | number | boolean | null;

export interface ColumnSpec<Row> {
  header: string;
  kind: CellKind;
  /** Characters; a default by kind otherwise. */
  width?: number;
  value: (row: Row) => CellValue;
  /** Indent levels of the cell (unit names by their depth in the tree). */
  indent?: (row: Row) => number;
}

export interface TableSheetSpec<Row> {
  name: string;
  /** The line above the header (report and period). */
  title: string;
  columns: ColumnSpec<Row>[];
  rows: Row[];
  /** A last row in bold below the data (合计), not inside the autofilter. */
  totals?: Row;
}

export const NUMBER_FORMATS: Record<CellKind, string | undefined> = {
  text: undefined,
  count: '#,##0',
  signed: '+0;-0;0',
  rate: '0.0%',
  days: '0.0',
  score: '0.0',
  instant: 'yyyy-mm-dd hh:mm',
  day: 'yyyy-mm-dd',
};

const DEFAULT_WIDTHS: Record<CellKind, number> = { text: 14, count: 10, signed: 10, rate: 10, days: 11, score: 10, instant: 17, day: 12 };

/** The row of the title line, of the header; data start below it. */
export const TITLE_ROW = 1;
export const HEADER_ROW = 2;

const HEADER_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } } as const;
const THIN_BORDER = { style: 'thin', color: { argb: 'FFB0B7C3' } } as const;

/**
 * Adds a formatted table: a title line, a bold header (frozen, with an autofilter over the data), the rows, and the
 * totals row in bold. Returns the sheet for any extra rows.
 */
export function addTableSheet<Row>(workbook: Workbook, zone: TimeZone, spec: TableSheetSpec<Row>): Worksheet {
  const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW }] });
  sheet.columns = spec.columns.map((column) => ({ width: column.width ?? Math.max(DEFAULT_WIDTHS[column.kind], displayWidth(column.header) + 2) }));

  const title = sheet.getRow(TITLE_ROW);
  title.getCell(1).value = spec.title;
  title.font = { bold: true, size: 13 };
  title.height = 22;

  const header = sheet.getRow(HEADER_ROW);
  spec.columns.forEach((column, index) => {
    const cell = header.getCell(index + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = { bottom: THIN_BORDER };
  });
  header.height = 30;

  const writeRow = (rowNumber: number, row: Row, bold: boolean) => {
    const sheetRow = sheet.getRow(rowNumber);
    spec.columns.forEach((column, index) => {
      const cell = sheetRow.getCell(index + 1);
      cell.value = cellValue(column.kind, column.value(row), zone);
      const format = NUMBER_FORMATS[column.kind];
      if (format) cell.numFmt = format;
      const indent = column.indent?.(row) ?? 0;
      const alignment: Partial<Alignment> = { vertical: 'middle' };
      if (indent > 0) alignment.indent = indent;
      cell.alignment = alignment;
      if (bold) cell.font = { bold: true };
    });
  };

  spec.rows.forEach((row, index) => writeRow(HEADER_ROW + 1 + index, row, false));
  const lastDataRow = HEADER_ROW + spec.rows.length;
  sheet.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: Math.max(lastDataRow, HEADER_ROW), column: spec.columns.length } };
  if (spec.totals !== undefined) {
    writeRow(lastDataRow + 1, spec.totals, true);
    sheet.getRow(lastDataRow + 1).eachCell((cell) => (cell.border = { top: THIN_BORDER }));
  }
  return sheet;
}

/** A sheet that only says there is nothing to show (a report whose data does not exist yet). */
export function addNoDataSheet(workbook: Workbook, name: string, title: string, message: string): Worksheet {
  const sheet = workbook.addWorksheet(name);
  sheet.getColumn(1).width = 60;
  sheet.getCell(TITLE_ROW, 1).value = title;
  sheet.getRow(TITLE_ROW).font = { bold: true, size: 13 };
  sheet.getCell(HEADER_ROW, 1).value = message;
  return sheet;
}

function cellValue(kind: CellKind, value: CellValue, zone: TimeZone): string | number | boolean | Date | null {
  if (value === null) return null;
  if (kind === 'instant' && typeof value === 'string') return wallClockDate(Date.parse(value), zone);
  if (kind === 'day' && typeof value === 'string') return dayDate(value);
  return value;
}

/**
 * Excel has no time zones: a date cell shows its serial as it is. So an instant is written as the center's
 * wall-clock time (a Date whose UTC fields are the local ones), which exceljs turns into that serial.
 */
function wallClockDate(utcMs: number, zone: TimeZone): Date | null {
  if (Number.isNaN(utcMs)) return null;
  return new Date(zone.toLocalMs(utcMs));
}

function dayDate(day: string): Date | null {
  const ms = Date.parse(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** A CJK character is about two Latin ones wide in Excel's default font. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u2e80-\uffff]/.test(char) ? 2 : 1;
  return width;
}
