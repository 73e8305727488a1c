import { Workbook, type Worksheet } from 'exceljs';
import { TimeZone } from '../../../calendar/time-zone';
import { assessmentFixture, callsFixture, overdueFixture, repeatsFixture, shirkingFixture } from '../report-fixtures';
import { reportWorkbook, type ReportForWorkbook } from './report-workbooks.service';

const SHANGHAI = new TimeZone('Asia/Shanghai');

async function readBack(input: ReportForWorkbook): Promise<Workbook> {
  const buffer = await reportWorkbook(input, SHANGHAI);
  // An .xlsx is a zip file.
  expect(buffer.subarray(0, 2).toString('latin1')).toBe('PK');
  const workbook = new Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

function headers(sheet: Worksheet): string[] {
  const values: string[] = [];
  sheet.getRow(2).eachCell((cell) => values.push(cell.text));
  return values;
}

/** The cell under a header, in the n-th sheet row. */
function cellAt(sheet: Worksheet, rowNumber: number, header: string) {
  const column = headers(sheet).indexOf(header) + 1;
  if (column === 0) throw new Error(`no header ${header} in ${sheet.name}: ${headers(sheet).join(', ')}`);
  return sheet.getCell(rowNumber, column);
}

function expectFrozenHeader(sheet: Worksheet): void {
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
}

describe('report workbooks (xlsx)', () => {
  it('assessment: one ranking sheet with every column, numbers as numbers, rates as percentages, a totals row', async () => {
    const workbook = await readBack({ name: 'assessment', report: assessmentFixture() });
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['考核排名']);
    const sheet = workbook.getWorksheet('考核排名')!;
    expect(sheet.getCell(1, 1).text).toContain('考核排名 2026年11月');
    expect(headers(sheet)).toEqual([
      '单位',
      '类型',
      '受理量',
      '响应率',
      '解决率',
      '满意率',
      '综合得分',
      '排名',
      '上期排名',
      '排名变化',
      '按时签收率',
      '按时办结率',
      '超期件数',
      '超期工作日',
      '退单数',
      '退单率',
      '重办率',
      '重复件',
      '延期',
      '督办',
      '推诿标记',
      '回访覆盖率',
      '回访量',
      '满意',
      '基本满意',
      '不满意',
    ]);
    expectFrozenHeader(sheet);
    expect(sheet.autoFilter).toBe('A2:Z10');

    // Row 3 is 东城区: 420 received, 378 responded in time (0.9), score 87.5, rank 1 after 2 → +1.
    expect(sheet.getCell(3, 1).value).toBe('东城区');
    expect(cellAt(sheet, 3, '类型').value).toBe('区');
    expect(cellAt(sheet, 3, '受理量').value).toBe(420);
    expect(cellAt(sheet, 3, '受理量').numFmt).toBe('#,##0');
    expect(cellAt(sheet, 3, '响应率').value).toBeCloseTo(0.9, 10);
    expect(cellAt(sheet, 3, '响应率').numFmt).toBe('0.0%');
    expect(cellAt(sheet, 3, '综合得分').value).toBe(87.5);
    expect(cellAt(sheet, 3, '综合得分').numFmt).toBe('0.0');
    expect(cellAt(sheet, 3, '排名').value).toBe(1);
    expect(cellAt(sheet, 3, '排名变化').value).toBe(1);
    expect(cellAt(sheet, 3, '超期工作日').numFmt).toBe('0.0');
    // 西城区 (row 7) fell from 1st to 2nd: −1.
    expect(sheet.getCell(7, 1).value).toBe('西城区');
    expect(cellAt(sheet, 7, '排名变化').value).toBe(-1);

    // Unit names indented by depth: 朝阳街道 1, 和平社区 2.
    expect(sheet.getCell(4, 1).alignment?.indent).toBe(1);
    expect(sheet.getCell(5, 1).value).toBe('和平社区');
    expect(sheet.getCell(5, 1).alignment?.indent).toBe(2);
    // 市自来水公司 received nothing: its rates and score are empty cells, not 0.
    expect(sheet.getCell(10, 1).value).toBe('市自来水公司');
    expect(cellAt(sheet, 10, '响应率').value).toBeNull();
    expect(cellAt(sheet, 10, '综合得分').value).toBeNull();
    expect(cellAt(sheet, 10, '受理量').value).toBe(0);

    // Totals below the data, in bold: 1000 received, 14 overdue, score 84.2.
    expect(sheet.getCell(11, 1).value).toBe('合计');
    expect(sheet.getCell(11, 1).font?.bold).toBe(true);
    expect(cellAt(sheet, 11, '受理量').value).toBe(1000);
    expect(cellAt(sheet, 11, '超期件数').value).toBe(14);
    expect(cellAt(sheet, 11, '综合得分').value).toBe(84.2);
    expect(cellAt(sheet, 11, '排名').value).toBeNull();
  });

  it('overdue: units with totals of the top-level rows, and the orders with dates in center time', async () => {
    const workbook = await readBack({ name: 'overdue', report: overdueFixture() });
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['单位汇总', '工单明细']);
    const units = workbook.getWorksheet('单位汇总')!;
    expectFrozenHeader(units);
    expect(headers(units)).toEqual(['单位', '类型', '期末未办超期', '超期办结', '超期工作日', '督办']);
    // Top-level rows 东城区 3/5/9.5/2, 西城区 1/4/6.5/1, 市城管局 0/1/0.5/0 (朝阳街道 is inside 东城区's figures).
    expect(units.getCell(7, 1).value).toBe('合计');
    expect(cellAt(units, 7, '期末未办超期').value).toBe(4);
    expect(cellAt(units, 7, '超期办结').value).toBe(10);
    expect(cellAt(units, 7, '超期工作日').value).toBe(16.5);
    expect(cellAt(units, 7, '督办').value).toBe(3);

    const orders = workbook.getWorksheet('工单明细')!;
    expectFrozenHeader(orders);
    expect(cellAt(orders, 3, '工单编号').value).toBe('GD202611030001');
    expect(cellAt(orders, 3, '状态').value).toBe('办理中');
    expect(cellAt(orders, 3, '类别').value).toBe('未办超期');
    expect(cellAt(orders, 3, '超期工作日').value).toBe(14);
    expect(cellAt(orders, 3, '督办结果').value).toBe('督办后仍未答复');
    // Due 09:30 UTC = 17:30 in Shanghai, written as that wall-clock time.
    const due = cellAt(orders, 3, '答复期限');
    expect(due.value).toEqual(new Date('2026-11-10T17:30:00.000Z'));
    expect(due.numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(cellAt(orders, 3, '答复时间').value).toBeNull();
    expect(cellAt(orders, 4, '答复时间').value).toEqual(new Date('2026-11-16T10:00:00.000Z'));
  });

  it('shirking: return rates, rules (with totals), disputes and the most returned orders', async () => {
    const workbook = await readBack({ name: 'shirking', report: shirkingFixture() });
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['单位退单率', '规则', '争议与裁定', '退单最多的工单']);
    const units = workbook.getWorksheet('单位退单率')!;
    expect(cellAt(units, 3, '单位').value).toBe('市住建委');
    expect(cellAt(units, 3, '退单率').value).toBeCloseTo(8 / 53, 10);
    expect(cellAt(units, 3, '退单率').numFmt).toBe('0.0%');
    const rules = workbook.getWorksheet('规则')!;
    expect(cellAt(rules, 3, '规则').value).toBe('多次退单');
    expect(cellAt(rules, 6, '规则').value).toBe('合计');
    expect(cellAt(rules, 6, '标记数').value).toBe(9);
    expect(cellAt(rules, 6, '已处理').value).toBe(3);
    const disputes = workbook.getWorksheet('争议与裁定')!;
    expect([disputes.getCell(3, 1).value, disputes.getCell(3, 2).value, disputes.getCell(4, 1).value, disputes.getCell(4, 2).value]).toEqual(['新增争议件', 3, '作出裁定', 2]);
    const returned = workbook.getWorksheet('退单最多的工单')!;
    expect(cellAt(returned, 3, '退单单位').value).toBe('市住建委、西城区');
    expect(cellAt(returned, 3, '退单次数').value).toBe(3);
  });

  it('repeats: units with their repeat rate and totals, hotspots', async () => {
    const workbook = await readBack({ name: 'repeats', report: repeatsFixture() });
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['重复件', '多人反映']);
    const units = workbook.getWorksheet('重复件')!;
    expect(cellAt(units, 3, '重复率').value).toBeCloseTo(12 / 420, 10);
    expect(cellAt(units, 5, '重复率').value).toBeNull();
    expect(cellAt(units, 6, '单位').value).toBe('合计');
    expect(cellAt(units, 6, '受理量').value).toBe(1000);
    expect(cellAt(units, 6, '重复率').value).toBe(0.025);
    const hotspots = workbook.getWorksheet('多人反映')!;
    expectFrozenHeader(hotspots);
    expect(cellAt(hotspots, 3, '工单数').value).toBe(17);
    expect(cellAt(hotspots, 3, '首次反映').value).toEqual(new Date('2026-11-02T21:20:00.000Z'));
  });

  it('calls: a clear 暂无数据 sheet without telephony data; otherwise the overview and the days', async () => {
    const empty = await readBack({ name: 'calls', report: callsFixture(false) });
    expect(empty.worksheets.map((sheet) => sheet.name)).toEqual(['暂无数据']);
    expect(empty.worksheets[0].getCell(2, 1).text).toContain('暂无数据');

    const workbook = await readBack({ name: 'calls', report: callsFixture(true) });
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['概况', '按日']);
    const overview = workbook.getWorksheet('概况')!;
    expect([overview.getCell(3, 1).value, overview.getCell(3, 2).value]).toEqual(['呼入量', 1200]);
    expect(overview.getCell(7, 1).value).toBe('接通率');
    expect(overview.getCell(7, 2).value).toBeCloseTo(1100 / 1200, 10);
    expect(overview.getCell(7, 2).numFmt).toBe('0.0%');
    const days = workbook.getWorksheet('按日')!;
    expect(cellAt(days, 3, '日期').value).toEqual(new Date('2026-11-01T00:00:00.000Z'));
    expect(cellAt(days, 3, '日期').numFmt).toBe('yyyy-mm-dd');
    expect(cellAt(days, 5, '呼入量').value).toBe(1200);
    expect(cellAt(days, 5, '放弃量').value).toBe(100);
  });
});
