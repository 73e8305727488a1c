import type { CjkFonts } from './cjk-font';

/** A4 in points, and the margins of the bulletin (about 2 cm; the footer sits inside the bottom margin). */
export const PAGE = { width: 595.28, height: 841.89, marginX: 56, marginTop: 60, marginBottom: 64 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.marginX;

export const COLORS = {
  text: '#1f2933',
  muted: '#616e7c',
  rule: '#cbd2d9',
  headerFill: '#e4ebf5',
  zebra: '#f5f7fa',
  accent: '#1d4e89',
  /** 响应率, 解决率, 满意率 in the charts. */
  series: ['#1d4e89', '#e07b39', '#2a9d8f'],
  bar: '#3b6ea8',
} as const;

const REGULAR = 'cjk';
const BOLD = 'cjk-bold';

export interface TableColumn<Row> {
  header: string;
  /** Share of the content width (the shares of a table add up to 1). */
  width: number;
  align?: 'left' | 'right' | 'center';
  text: (row: Row) => string;
  /** Indent levels (unit names by depth), 8 pt each. */
  indent?: (row: Row) => number;
}

export interface BarItem {
  label: string;
  value: number;
  /** Printed after the bar; the value itself by default. */
  caption?: string;
}

export interface SeriesBarGroup {
  label: string;
  /** One value per series, a fraction 0…1 or null (no bar, "—"). */
  values: (number | null)[];
}

/**
 * The bulletin's page primitives over pdfkit: headings, paragraphs, key-figure boxes, tables that break across pages
 * with their header repeated, and bar charts drawn as vectors. Keeps the cursor (`y`) itself and starts a new page
 * whenever the next block would not fit above the bottom margin.
 */
export class PdfLayout {
  /**
   * pdfkit is loaded with the first bulletin, not with the application: it was about a tenth of the backend's start-up
   * (with exceljs, report-workbooks.service.ts, a fifth).
   */
  static async create(fonts: CjkFonts, info: { title: string; subject: string }): Promise<PdfLayout> {
    const { default: PDFDocument } = await import('pdfkit');
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: PAGE.marginTop, bottom: PAGE.marginBottom, left: PAGE.marginX, right: PAGE.marginX },
      bufferPages: true,
      info: { Title: info.title, Subject: info.subject, Creator: '12345热线', Producer: 'jiesu' },
    });
    return new PdfLayout(doc, fonts);
  }

  private constructor(
    readonly doc: PDFKit.PDFDocument,
    fonts: CjkFonts,
  ) {
    this.doc.registerFont(REGULAR, fonts.regular.path, fonts.regular.postscriptName ?? undefined);
    this.doc.registerFont(BOLD, fonts.bold.path, fonts.bold.postscriptName ?? undefined);
    this.doc.font(REGULAR).fillColor(COLORS.text);
  }

  get y(): number {
    return this.doc.y;
  }

  /** The lowest y a block may reach on this page. */
  get bottom(): number {
    return PAGE.height - PAGE.marginBottom;
  }

  newPage(): void {
    this.doc.addPage();
    this.doc.x = PAGE.marginX;
    this.doc.y = PAGE.marginTop;
  }

  /** Starts a new page unless `height` still fits below the cursor. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  gap(points: number): void {
    this.doc.y += points;
  }

  /** 一、总体情况: a section title with a rule below; keeps at least `keepWith` points of what follows on its page. */
  sectionTitle(text: string, keepWith = 120): void {
    this.ensureSpace(40 + keepWith);
    if (this.doc.y > PAGE.marginTop + 1) this.gap(10);
    this.doc.font(BOLD).fontSize(16).fillColor(COLORS.accent).text(text, PAGE.marginX, this.doc.y, { width: CONTENT_WIDTH });
    const lineY = this.doc.y + 3;
    this.doc.moveTo(PAGE.marginX, lineY).lineTo(PAGE.marginX + CONTENT_WIDTH, lineY).lineWidth(1).strokeColor(COLORS.accent).stroke();
    this.doc.y = lineY + 10;
    this.doc.font(REGULAR).fillColor(COLORS.text);
  }

  subTitle(text: string, keepWith = 80): void {
    this.ensureSpace(24 + keepWith);
    this.doc.font(BOLD).fontSize(11.5).fillColor(COLORS.text).text(text, PAGE.marginX, this.doc.y, { width: CONTENT_WIDTH });
    this.gap(4);
    this.doc.font(REGULAR);
  }

  paragraph(text: string, options: { size?: number; color?: string; indentFirstLine?: boolean } = {}): void {
    const size = options.size ?? 10.5;
    this.doc.font(REGULAR).fontSize(size);
    const height = this.doc.heightOfString(text, { width: CONTENT_WIDTH, lineGap: 3 });
    this.ensureSpace(Math.min(height, 60));
    this.doc
      .fillColor(options.color ?? COLORS.text)
      .text(text, PAGE.marginX, this.doc.y, { width: CONTENT_WIDTH, lineGap: 3, indent: options.indentFirstLine ? size * 2 : 0 });
    this.doc.fillColor(COLORS.text);
    this.gap(6);
  }

  /** A grid of boxes, each a big figure over its label: the summary figures. */
  keyFigures(items: { label: string; value: string }[], perRow = 4): void {
    const boxGap = 8;
    const boxWidth = (CONTENT_WIDTH - (perRow - 1) * boxGap) / perRow;
    const boxHeight = 50;
    for (let start = 0; start < items.length; start += perRow) {
      this.ensureSpace(boxHeight + boxGap);
      const top = this.doc.y;
      items.slice(start, start + perRow).forEach((item, index) => {
        const left = PAGE.marginX + index * (boxWidth + boxGap);
        this.doc.roundedRect(left, top, boxWidth, boxHeight, 4).lineWidth(0.8).fillAndStroke(COLORS.zebra, COLORS.rule);
        this.doc.font(BOLD).fontSize(15).fillColor(COLORS.accent).text(item.value, left, top + 8, { width: boxWidth, align: 'center', lineBreak: false });
        this.doc.font(REGULAR).fontSize(9).fillColor(COLORS.muted).text(item.label, left, top + 31, { width: boxWidth, align: 'center', lineBreak: false });
      });
      this.doc.fillColor(COLORS.text);
      this.doc.y = top + boxHeight + boxGap;
    }
    this.gap(4);
  }

  /** A table; a page break repeats the header. An empty table prints `empty` instead. */
  table<Row>(columns: TableColumn<Row>[], rows: Row[], empty = '本期无数据。'): void {
    if (rows.length === 0) {
      this.paragraph(empty, { size: 9.5, color: COLORS.muted });
      return;
    }
    const fontSize = 8.8;
    const padX = 4;
    const padY = 3.5;
    const widths = columns.map((column) => column.width * CONTENT_WIDTH);
    const lefts = widths.map((_, index) => PAGE.marginX + widths.slice(0, index).reduce((a, b) => a + b, 0));
    const rowHeight = (texts: string[], bold: boolean, indents: number[]) => {
      this.doc.font(bold ? BOLD : REGULAR).fontSize(fontSize);
      return Math.max(...texts.map((text, index) => this.doc.heightOfString(text || ' ', { width: widths[index] - 2 * padX - indents[index] * 8 }))) + 2 * padY;
    };
    const drawRow = (texts: string[], options: { bold: boolean; fill: string | null; indents: number[]; aligns: ('left' | 'right' | 'center')[] }) => {
      const height = rowHeight(texts, options.bold, options.indents);
      const top = this.doc.y;
      if (options.fill) this.doc.rect(PAGE.marginX, top, CONTENT_WIDTH, height).fill(options.fill);
      this.doc.font(options.bold ? BOLD : REGULAR).fontSize(fontSize).fillColor(COLORS.text);
      texts.forEach((text, index) => {
        const indent = options.indents[index] * 8;
        this.doc.text(text, lefts[index] + padX + indent, top + padY, { width: widths[index] - 2 * padX - indent, align: options.aligns[index] });
      });
      this.doc.moveTo(PAGE.marginX, top + height).lineTo(PAGE.marginX + CONTENT_WIDTH, top + height).lineWidth(0.4).strokeColor(COLORS.rule).stroke();
      this.doc.y = top + height;
    };
    const headerTexts = columns.map((column) => column.header);
    const noIndent = columns.map(() => 0);
    const headerAligns = columns.map((column) => column.align ?? 'left');
    const drawHeader = () => drawRow(headerTexts, { bold: true, fill: COLORS.headerFill, indents: noIndent, aligns: headerAligns });
    const headerHeight = rowHeight(headerTexts, true, noIndent);

    this.ensureSpace(headerHeight + rowHeight(columns.map((column) => column.text(rows[0])), false, noIndent));
    drawHeader();
    rows.forEach((row, index) => {
      const texts = columns.map((column) => column.text(row));
      const indents = columns.map((column) => column.indent?.(row) ?? 0);
      const height = rowHeight(texts, false, indents);
      if (this.doc.y + height > this.bottom) {
        this.newPage();
        drawHeader();
      }
      drawRow(texts, { bold: false, fill: index % 2 === 1 ? COLORS.zebra : null, indents, aligns: headerAligns });
    });
    this.doc.x = PAGE.marginX;
    this.gap(10);
  }

  /** Horizontal bars, one per item, labelled, scaled to the largest value. */
  barChart(title: string, items: BarItem[]): void {
    const barHeight = 13;
    const rowGap = 6;
    const labelWidth = 78;
    const captionWidth = 90;
    const trackWidth = CONTENT_WIDTH - labelWidth - captionWidth - 8;
    this.ensureSpace(22 + Math.max(items.length, 1) * (barHeight + rowGap));
    this.doc.font(BOLD).fontSize(10).fillColor(COLORS.text).text(title, PAGE.marginX, this.doc.y, { width: CONTENT_WIDTH });
    this.gap(6);
    if (items.length === 0) {
      this.paragraph('本期无数据。', { size: 9.5, color: COLORS.muted });
      return;
    }
    const max = Math.max(...items.map((item) => item.value), 1);
    const left = PAGE.marginX + labelWidth;
    for (const item of items) {
      const top = this.doc.y;
      this.doc.font(REGULAR).fontSize(9).fillColor(COLORS.text).text(item.label, PAGE.marginX, top + 1.5, { width: labelWidth - 6, align: 'right', lineBreak: false });
      this.doc.rect(left, top, trackWidth, barHeight).fill(COLORS.zebra);
      const width = (item.value / max) * trackWidth;
      if (width > 0) this.doc.rect(left, top, Math.max(width, 1), barHeight).fill(COLORS.bar);
      this.doc.fillColor(COLORS.text).text(item.caption ?? String(item.value), left + trackWidth + 6, top + 1.5, { width: captionWidth, lineBreak: false });
      this.doc.y = top + barHeight + rowGap;
    }
    this.doc.fillColor(COLORS.text);
    this.gap(8);
  }

  /**
   * A dot plot: one line per group (a unit), one dot per series (响应率, 解决率, 满意率) on a percentage axis that
   * starts at the lowest value rounded down to 10 % (labelled, so the eye is not misled), with a legend. Compact
   * enough for thirty units on a page; a line that does not fit moves to the next page with the axis repeated.
   */
  dotPlot(title: string, seriesNames: string[], groups: SeriesBarGroup[]): void {
    const lineHeight = 14;
    const labelWidth = 100;
    const left = PAGE.marginX + labelWidth;
    const trackWidth = CONTENT_WIDTH - labelWidth - 12;
    const values = groups.flatMap((group) => group.values).filter((value): value is number => value !== null);
    const low = values.length === 0 ? 0 : Math.max(0, Math.floor(Math.min(...values) * 10) / 10);
    const xOf = (value: number) => left + ((value - low) / (1 - low)) * trackWidth;
    const ticks: number[] = [];
    for (let tick = Math.round(low * 100); tick <= 100; tick += low >= 0.6 ? 5 : 10) ticks.push(tick / 100);
    const header = () => {
      let x = left;
      const top = this.doc.y;
      seriesNames.forEach((name, index) => {
        this.doc.circle(x + 4, top + 5.5, 3.5).fill(COLORS.series[index % COLORS.series.length]);
        this.doc.font(REGULAR).fontSize(8.5).fillColor(COLORS.text).text(name, x + 12, top, { lineBreak: false });
        x += 12 + this.doc.widthOfString(name) + 18;
      });
      const axisTop = top + 16;
      this.doc.font(REGULAR).fontSize(7.5).fillColor(COLORS.muted);
      for (const tick of ticks) this.doc.text(`${Math.round(tick * 100)}%`, xOf(tick) - 15, axisTop, { width: 30, align: 'center', lineBreak: false });
      this.doc.y = axisTop + 12;
    };
    const grid = (top: number, bottom: number) => {
      for (const tick of ticks) this.doc.moveTo(xOf(tick), top).lineTo(xOf(tick), bottom).lineWidth(0.3).strokeColor(COLORS.rule).stroke();
    };
    // The whole plot on one page when it fits on one.
    const wholeHeight = 50 + groups.length * lineHeight;
    this.ensureSpace(wholeHeight <= this.bottom - PAGE.marginTop ? wholeHeight : 50 + 8 * lineHeight);
    this.doc.font(BOLD).fontSize(10).fillColor(COLORS.text).text(title, PAGE.marginX, this.doc.y, { width: CONTENT_WIDTH });
    this.gap(4);
    if (groups.length === 0) {
      this.paragraph('本期无数据。', { size: 9.5, color: COLORS.muted });
      return;
    }
    header();
    let gridTop = this.doc.y;
    groups.forEach((group, index) => {
      if (this.doc.y + lineHeight > this.bottom) {
        grid(gridTop, this.doc.y);
        this.newPage();
        header();
        gridTop = this.doc.y;
      }
      const top = this.doc.y;
      if (index % 2 === 1) this.doc.rect(PAGE.marginX, top, CONTENT_WIDTH, lineHeight).fill(COLORS.zebra);
      this.doc.font(REGULAR).fontSize(8.5).fillColor(COLORS.text).text(group.label, PAGE.marginX, top + 2.5, { width: labelWidth - 8, align: 'right', lineBreak: false });
      const present = group.values.filter((value): value is number => value !== null);
      if (present.length > 1) {
        this.doc.moveTo(xOf(Math.min(...present)), top + lineHeight / 2).lineTo(xOf(Math.max(...present)), top + lineHeight / 2).lineWidth(1).strokeColor(COLORS.rule).stroke();
      }
      group.values.forEach((value, series) => {
        if (value !== null) this.doc.circle(xOf(value), top + lineHeight / 2, 3.5).fill(COLORS.series[series % COLORS.series.length]);
      });
      this.doc.y = top + lineHeight;
    });
    grid(gridTop, this.doc.y);
    this.doc.fillColor(COLORS.text);
    this.gap(10);
  }

  /** Page numbers and a running title on every page but the first (the title page). */
  footers(runningTitle: string): void {
    const range = this.doc.bufferedPageRange();
    for (let index = range.start + 1; index < range.start + range.count; index++) {
      this.doc.switchToPage(index);
      // Writing inside the bottom margin would make pdfkit start a page: lift the margin while the footer is written.
      const margin = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      const top = PAGE.height - PAGE.marginBottom + 22;
      this.doc.moveTo(PAGE.marginX, top - 6).lineTo(PAGE.marginX + CONTENT_WIDTH, top - 6).lineWidth(0.4).strokeColor(COLORS.rule).stroke();
      this.doc.font(REGULAR).fontSize(8.5).fillColor(COLORS.muted);
      this.doc.text(runningTitle, PAGE.marginX, top, { width: CONTENT_WIDTH * 0.72, lineBreak: false });
      this.doc.text(`第 ${index - range.start + 1} 页 / 共 ${range.count} 页`, PAGE.marginX + CONTENT_WIDTH * 0.72, top, { width: CONTENT_WIDTH * 0.28, align: 'right', lineBreak: false });
      this.doc.page.margins.bottom = margin;
    }
  }

  /** Ends the document and resolves with its bytes. */
  finish(): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      this.doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
      this.doc.end();
    });
  }

  /** The title page's big centred lines. */
  centred(text: string, options: { size: number; bold?: boolean; color?: string; y: number }): void {
    this.doc
      .font(options.bold ? BOLD : REGULAR)
      .fontSize(options.size)
      .fillColor(options.color ?? COLORS.text)
      .text(text, PAGE.marginX, options.y, { width: CONTENT_WIDTH, align: 'center' });
    this.doc.fillColor(COLORS.text);
  }

  rule(y: number, color: string = COLORS.accent, width = 1.5): void {
    this.doc.moveTo(PAGE.marginX + 60, y).lineTo(PAGE.marginX + CONTENT_WIDTH - 60, y).lineWidth(width).strokeColor(color).stroke();
  }
}
