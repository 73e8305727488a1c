import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BULLETIN_SECTIONS, bulletinDocument } from './bulletin-document';
import { realisticBulletinData, smallBulletinData } from './bulletin-sample';
import { CjkFontMissingError, findCjkFonts } from './cjk-font';

/** poppler-utils reads the PDFs back; without it the suite is skipped loudly, except on CI where that is a failure. */
function hasPoppler(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function hasCjkFont(): boolean {
  try {
    findCjkFonts();
    return true;
  } catch {
    return false;
  }
}

const ready = hasPoppler() && hasCjkFont();
if (!ready) {
  const problem = 'pdftotext (poppler-utils) or the CJK font (fonts-noto-cjk) is missing: the bulletin PDF tests are SKIPPED';
  if (process.env.CI === 'true') throw new Error(`${problem} — CI must install both (.ci/run)`);
  console.warn(`\n!!!!!!!!!!\n!! ${problem}\n!!!!!!!!!!\n`);
}
/** pdftotext drops the spaces around CJK characters. */
const footer = (page: number, pages: number) => new RegExp(`第\\s*${page}\\s*页\\s*/\\s*共\\s*${pages}\\s*页`);

const describeWithPoppler = ready ? describe : describe.skip;

describeWithPoppler('bulletin PDF (pdfkit, CJK font)', () => {
  let directory: string;
  beforeAll(() => (directory = mkdtempSync(join(tmpdir(), 'bulletin-pdf-'))));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const inspect = (pdf: Buffer, name: string) => {
    const file = join(directory, name);
    writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    const pageText = (page: number) => execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
    return { info, pages, text: execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }), pageText };
  };

  it('renders every section of the hand-made month, with its key figures, on A4 pages with page numbers', async () => {
    const pdf = await bulletinDocument(smallBulletinData());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { info, pages, text, pageText } = inspect(pdf, 'small.pdf');
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    // The title page: the center, the title, the month, the local generation date (22:00 UTC on 12-01 = 12-02 in Shanghai).
    const title = pageText(1);
    expect(title).toContain('示范市12345市民服务热线中心');
    expect(title).toContain('12345热线月度通报');
    expect(title).toContain('2026年11月');
    expect(title).toContain('生成日期：2026-12-02');
    for (const section of BULLETIN_SECTIONS) expect(text).toContain(section);
    // Summary: 1,000 received, response 90.0 % (540 of 600 … see the fixture), score 84.2.
    expect(text).toContain('共受理诉求 1,000 件');
    expect(text).toContain('84.2');
    // Volume charts: phone 640 of 1,000.
    expect(text).toContain('受理渠道分布（共 1,000 件）');
    expect(text).toContain('640（64.0%）');
    expect(text).toContain('投诉');
    // Rankings: 东城区 87.5, up one place; 西城区 down one; 市自来水公司 without a score.
    expect(text).toContain('东城区');
    expect(text).toContain('87.5');
    expect(text).toContain('↑1');
    expect(text).toContain('↓1');
    expect(text).toContain('各单位三率对比');
    // Overdue: 4 open + 10 late at the top level; the worst order.
    expect(text).toContain('本期超期工单 14 件');
    expect(text).toContain('GD202611030001');
    // Shirking: 8 of 53 for 市住建委 = 15.1 %; disputes 3 / 2.
    expect(text).toContain('15.1%');
    expect(text).toContain('新增争议件 3 件，中心作出裁定 2 件');
    // Repeats and hotspots.
    expect(text).toContain('建国路施工夜间噪音扰民');
    // No telephony data: said so, no figures.
    expect(text).toContain('暂无数据');
    // Footer on every page but the title page.
    expect(pageText(2)).toMatch(footer(2, pages));
    expect(pageText(1)).not.toMatch(/第\s*1\s*页/);
  });

  it('prints the call figures when telephony data exists', async () => {
    const { text } = inspect(await bulletinDocument(smallBulletinData({ callsAvailable: true })), 'calls.pdf');
    expect(text).toContain('本期热线呼入 1,200 个');
    // 1100 / 1200 = 91.7 %; 990 / 1100 = 90.0 %.
    expect(text).toContain('91.7%');
    expect(text).toContain('90.0%');
    expect(text).not.toContain('暂无数据');
  });

  it('breaks long tables across pages and repeats their header', async () => {
    const pdf = await bulletinDocument(realisticBulletinData());
    const { pages, pageText } = inspect(pdf, 'city.pdf');
    expect(pages).toBeGreaterThanOrEqual(5);
    if (process.env.BULLETIN_SAMPLE_PDF) writeFileSync(process.env.BULLETIN_SAMPLE_PDF, pdf);
    // Every page that continues a table starts it with the header again: a page whose first table row is a unit
    // of a table begun on the page before still shows 单位 and its column names.
    const texts = Array.from({ length: pages }, (_, index) => pageText(index + 1));
    expect(texts.filter((page) => /排名\s+单位\s+受理量\s+响应率/.test(page)).length).toBeGreaterThanOrEqual(2);
    texts.slice(1).forEach((page, index) => expect(page).toMatch(footer(index + 2, pages)));
  });
});

describe('CJK font lookup', () => {
  it('finds Noto Sans CJK SC in the Debian location, and its bold face', () => {
    const fonts = findCjkFonts(null, (path) => path.startsWith('/usr/share/fonts/opentype/noto/'));
    expect(fonts.regular).toEqual({ path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular' });
    expect(fonts.bold).toEqual({ path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', postscriptName: 'NotoSansCJKsc-Bold' });
  });

  it('uses the override for both faces, a collection with its face name', () => {
    expect(findCjkFonts('/fonts/simsun.ttc#SimSun', () => true)).toEqual({ regular: { path: '/fonts/simsun.ttc', postscriptName: 'SimSun' }, bold: { path: '/fonts/simsun.ttc', postscriptName: 'SimSun' } });
    expect(findCjkFonts('/fonts/wqy.ttf', () => true).regular).toEqual({ path: '/fonts/wqy.ttf', postscriptName: null });
  });

  it('says how to install the font when there is none', () => {
    expect(() => findCjkFonts(null, () => false)).toThrow(CjkFontMissingError);
    expect(() => findCjkFonts(null, () => false)).toThrow(/CJK font is not installed \(Debian: apt-get install fonts-noto-cjk\)/);
    expect(() => findCjkFonts('/nowhere/font.ttf', () => false)).toThrow(/BULLETIN_FONT names \/nowhere\/font.ttf/);
  });
});
