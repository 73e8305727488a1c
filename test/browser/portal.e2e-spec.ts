import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium, requireExternal } from '../support/external';
import { call, login, ROOT, type RunningServer, startServer } from '../support/server';

const SCREENSHOTS = join(ROOT, 'test', 'screenshots', 'portal');
/** The pictures of the operator's guide (docs/operator-guide/citizen-portal.md). */
const GUIDE = join(ROOT, 'docs', 'operator-guide', 'img', 'citizen-portal');
/** The server's JWT secret: the captcha key derives from it, so the test can read a captcha's answer as the server does. */
const JWT_SECRET = 'portal-e2e-secret-0123456789abcdef';

const runs = requireExternal('Chromium', hasChromium(), `install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
const describeIf = runs ? describe : describe.skip;

/**
 * The answer of a captcha token, found as the server checks it: the HMAC of each candidate answer under the key derived
 * from the JWT secret (backend/src/public-requests/captcha/captcha.service.ts). Only a holder of the secret can do this.
 */
function solveCaptcha(token: string): string {
  const [expiresAt, nonce, mac] = token.split('.');
  const key = createHmac('sha256', JWT_SECRET).update('jiesu/public-requests/captcha/v1').digest();
  for (let answer = -100; answer <= 200; answer++) {
    if (createHmac('sha256', key).update(`${answer}|${expiresAt}|${nonce}`).digest('base64url') === mac) return String(answer);
  }
  throw new Error('No answer matches the captcha token');
}

/**
 * A real PNG of a street lamp (sky, pole, lamp) for the photo field; `grain` adds noise, which PNG cannot compress: a
 * large grainy one stands for a phone camera's photo of several MB.
 */
function photoPng(width = 240, height = 180, grain = 0): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const [u, v] = [(x * 240) / width, (y * 180) / height];
      const pole = u >= 110 && u < 120 && v > 40;
      const lamp = (u - 130) ** 2 + (v - 40) ** 2 < 240;
      const [r, g, b] = lamp ? [250, 220, 90] : pole ? [70, 70, 80] : v > 150 ? [120, 120, 120] : [40 + v / 2, 60 + v / 2, 120 + v / 3];
      const noise = grain > 0 ? Math.floor(Math.random() * grain * 2) - grain : 0;
      row.set([r, g, b].map((c) => Math.max(0, Math.min(255, Math.round(c + noise)))), 1 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

interface UnitNode {
  id: number;
  code: string;
  children: UnitNode[];
}
const flatten = (nodes: UnitNode[]): UnitNode[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

/** Waits for a condition the page's responses set (e.g. the new captcha's token arrived). */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Order {
  id: number;
  number: string;
  version: number;
  status: string;
  channel: string;
  attachments: { fileName: string; mimeType: string; size: number; purpose: string }[];
}

describeIf('citizen portal (Chromium, 390×844)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ JWT_SECRET });
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    mkdirSync(GUIDE, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Keeps the token of the last captcha the page fetched. */
  function captchaTokens(page: Page): () => string {
    let token = '';
    page.on('response', (response) => {
      if (response.url().endsWith('/api/public/captcha') && response.ok()) {
        void response.json().then((body: { token: string }) => (token = body.token));
      }
    });
    return () => token;
  }

  /** A screenshot as a person sees the page at rest: the pointer off the buttons, transitions finished. */
  async function shot(page: Page, path: string, fullPage = false): Promise<void> {
    await page.mouse.move(1, (page.viewportSize()?.height ?? 800) - 1);
    await page.screenshot({ path, fullPage, animations: 'disabled' });
  }

  const noHorizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  async function act(username: string, id: number, action: string, body: Record<string, unknown> = {}): Promise<Order> {
    const token = await login(server.url, username);
    const current = await call<Order>(server.url, 'GET', `/api/work-orders/${id}`, token);
    const done = await call<Order>(server.url, 'POST', `/api/work-orders/${id}/${action}`, token, { version: current.body.version, ...body });
    if (done.status !== 200) throw new Error(`${action} failed: ${done.status} ${JSON.stringify(done.body)}`);
    return done.body;
  }

  it('a citizen submits a request with a photo, gets its number, and tracks it to the answer', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', deviceScaleFactor: 1 });
    const lastCaptcha = captchaTokens(page);
    await page.goto(`${server.url}/portal`);
    await page.waitForSelector('[data-test="portal-submit"][data-state="loaded"]');
    await page.waitForSelector('[data-test="portal-captcha-image"]');
    expect(page.url()).toMatch(/\/portal\/submit$/);
    expect(await noHorizontalOverflow(page)).toBe(true);
    await shot(page, join(SCREENSHOTS, '01-form.png'));
    await shot(page, join(GUIDE, 'submit-form.png'));

    // Sending it empty shows what is missing, without calling the server.
    await page.click('[data-test="portal-submit-button"]');
    await page.waitForSelector('.el-form-item__error');
    await shot(page, join(SCREENSHOTS, '02-validation.png'));

    await page.click('[data-test="portal-request-type"] >> text=举报');
    await page.click('[data-test="portal-category"] input');
    await page.keyboard.type('路灯');
    await page.click('.el-cascader__suggestion-item >> text=路灯');
    await page.fill('textarea[data-test="portal-content"]', '朝阳路18号门前的路灯已经连续三个晚上不亮了，夜里行人看不清路，请尽快维修。');
    await page.fill('input[data-test="portal-address"]', '朝阳路18号门前');
    await page.click('[data-test="portal-district"]');
    await page.click('.el-select-dropdown__item:visible >> text=东城区');
    await page.click('[data-test="portal-street"]');
    await page.click('.el-select-dropdown__item:visible >> text=朝阳街道办事处');
    await page.fill('input[data-test="portal-phone"]', '139-1234-5678');
    await page.fill('input[data-test="portal-name"]', '李女士');
    await page.setInputFiles('[data-test="portal-photos"] input[type="file"]', { name: '路灯.png', mimeType: 'image/png', buffer: photoPng() });
    await page.waitForSelector('.el-upload-list__item img');
    // A camera-sized photo over the 5 MB limit is made smaller in the browser (JPEG, 1920 px at most) and accepted.
    const large = photoPng(2000, 1500, 60);
    expect(large.length).toBeGreaterThan(5 * 1024 * 1024);
    await page.setInputFiles('[data-test="portal-photos"] input[type="file"]', { name: '远景.png', mimeType: 'image/png', buffer: large });
    await page.waitForFunction(() => document.querySelectorAll('.el-upload-list__item img').length === 2);

    // A wrong answer uses the captcha up: the portal says so and shows a new one.
    const firstToken = lastCaptcha();
    await page.fill('input[data-test="portal-captcha-answer"]', solveCaptcha(firstToken));
    await page.locator('input[data-test="portal-captcha-answer"]').blur();
    await page.waitForSelector('.el-form-item__error', { state: 'detached' });
    await shot(page, join(GUIDE, 'submit-filled.png'), true);
    await page.fill('input[data-test="portal-captcha-answer"]', String(Number(solveCaptcha(firstToken)) + 1));
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/public/requests') && r.request().method() === 'POST');
    await page.click('[data-test="portal-submit-button"]');
    expect((await refused).status()).toBe(422);
    await page.waitForSelector('[data-test="portal-submit-error"] >> text=验证码不正确');
    await until(() => lastCaptcha() !== firstToken);
    await shot(page, join(SCREENSHOTS, '03-captcha-wrong.png'));

    await page.fill('input[data-test="portal-captcha-answer"]', solveCaptcha(lastCaptcha()));
    await page.locator('[data-test="portal-captcha-answer"]').scrollIntoViewIfNeeded();
    await shot(page, join(SCREENSHOTS, '04-filled.png'), true);
    const accepted = page.waitForResponse((r) => r.url().endsWith('/api/public/requests') && r.request().method() === 'POST');
    await page.click('[data-test="portal-submit-button"]');
    expect((await accepted).status()).toBe(201);
    await page.waitForSelector('[data-test="portal-submitted-number"]').catch(async (error: unknown) => {
      await shot(page, join(SCREENSHOTS, 'failed-after-submit.png'), true);
      throw error;
    });
    const number = (await page.textContent('[data-test="portal-submitted-number"]'))?.trim() ?? '';
    expect(number).toMatch(/^\d{14}$/);
    expect(await page.textContent('[data-test="portal-submitted"]')).toContain('139****5678');
    expect(await noHorizontalOverflow(page)).toBe(true);
    await shot(page, join(SCREENSHOTS, '05-submitted.png'));
    await shot(page, join(GUIDE, 'submitted.png'));

    // The center sees a real order: channel web, the photo bound at registration.
    const supervisor = await login(server.url, 'supervisor1');
    const found = await call<{ items: Order[] }>(server.url, 'GET', `/api/work-orders?keyword=${number}`, supervisor);
    const order = (await call<Order>(server.url, 'GET', `/api/work-orders/${found.body.items[0].id}`, supervisor)).body;
    expect(order).toMatchObject({ number, channel: 'web', status: 'registered' });
    expect(order.attachments).toHaveLength(2);
    expect(order.attachments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ fileName: '路灯.png', mimeType: 'image/png', purpose: 'register' }),
        expect.objectContaining({ fileName: '远景.jpg', mimeType: 'image/jpeg', purpose: 'register', size: expect.any(Number) }),
      ]),
    );
    expect(order.attachments.find((a) => a.fileName === '远景.jpg')?.size).toBeLessThan(5 * 1024 * 1024);

    // Track it: the number comes along from the success page.
    await page.click('[data-test="portal-go-track"]');
    await page.waitForSelector('[data-test="portal-track"]');
    expect(await page.inputValue('input[data-test="portal-track-number"]')).toBe(number);
    await page.fill('input[data-test="portal-track-phone"]', '13912345678');
    await page.click('[data-test="portal-track-submit"]');
    await page.waitForSelector('[data-test="portal-track"][data-state="loaded"]');
    expect(await page.textContent('[data-test="portal-track-status"]')).toContain('已受理');
    expect(await page.locator('[data-test="portal-track-timeline"] .el-timeline-item').count()).toBe(1);
    await shot(page, join(SCREENSHOTS, '06-tracked-received.png'), true);

    // The center and the department handle it; the citizen sees the department, the answer and no one's name.
    const units = flatten((await call<UnitNode[]>(server.url, 'GET', '/api/units', supervisor)).body);
    await act('dispatcher1', order.id, 'dispatch', { leadUnitId: units.find((u) => u.code === 'cgj')?.id });
    await act('cgj_handler', order.id, 'accept');
    const replied = await act('cgj_handler', order.id, 'reply', { content: '您好，您反映的朝阳路18号路灯故障，经现场检查为线路老化，已于今日更换线路并恢复照明。感谢您的监督。' });
    if (replied.status === 'unit_review') await act('cgj_admin', order.id, 'unit-approve-reply');
    await act('reviewer1', order.id, 'approve-reply');

    const lookedUp = page.waitForResponse((r) => r.url().includes(`/api/public/requests/${number}`));
    await page.click('[data-test="portal-track-submit"]');
    expect((await lookedUp).status()).toBe(200);
    await page.waitForSelector('[data-test="portal-track-status"][data-status="replied"]');
    const result = (await page.textContent('[data-test="portal-track-result"]')) ?? '';
    expect(result).toContain('已答复');
    expect(result).toContain('已转交云川市城市管理局办理');
    expect(result).toContain('已于今日更换线路并恢复照明');
    for (const internal of ['派单员王强', '审核员赵丽', '13912345678', '李女士']) expect(result).not.toContain(internal);
    expect(await noHorizontalOverflow(page)).toBe(true);
    await shot(page, join(SCREENSHOTS, '07-tracked-replied.png'), true);
    await shot(page, join(GUIDE, 'track-replied.png'), true);

    // A wrong phone finds nothing.
    await page.fill('input[data-test="portal-track-phone"]', '13912345670');
    await page.click('[data-test="portal-track-submit"]');
    await page.waitForSelector('[data-test="portal-track-error"] >> text=未查到该诉求');
    await shot(page, join(SCREENSHOTS, '08-not-found.png'));
    await page.close();
  }, 240_000);

  it('works at 1280×800 and in English', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    await page.goto(`${server.url}/portal/submit`);
    await page.waitForSelector('[data-test="portal-submit"][data-state="loaded"]');
    await page.click('.portal__language');
    await page.click('[data-locale="en"]');
    await page.waitForSelector('text=Send request');
    await page.waitForSelector('.el-dropdown-menu', { state: 'hidden' });
    await page.mouse.move(0, 400);
    expect(await page.textContent('[data-test="portal"]')).toContain('Type of request');
    expect(await noHorizontalOverflow(page)).toBe(true);
    await shot(page, join(SCREENSHOTS, '09-desktop-en.png'));
    await shot(page, join(GUIDE, 'submit-desktop-en.png'));
    await page.close();
  });
});
