import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { pickCategory, submitLogin } from '../support/console';
import { hasChromium, launchChromium, requireExternal } from '../support/external';
import { call, login, ROOT, type RunningServer, startServer } from '../support/server';

const SCREENSHOTS = join(ROOT, 'test', 'screenshots', 'agent');

const runs = requireExternal('Chromium', hasChromium(), `install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
const describeIf = runs ? describe : describe.skip;

interface Order {
  id: number;
  number: string;
  status: string;
  channel: string;
  citizenPhone: string | null;
  streetUnitId: number | null;
  districtUnitId: number | null;
  leadUnit: { code: string; name: string } | null;
}

/** A demo caller with an earlier order (路灯, demo-data/demo-requests.ts). */
const CALLER = '18334356856';

/** The form field (`data-field` of its el-form-item) that has the keyboard focus. */
const focusedField = (page: Page) =>
  page.evaluate(() => document.activeElement?.closest<HTMLElement>('[data-field]')?.dataset.field ?? document.activeElement?.getAttribute('data-test') ?? null);

/** Waits until `read` answers `expected` (the console moves the focus after its own async steps). */
async function until<T>(read: () => Promise<T>, expected: T, timeout = 5_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = await read();
  while (last !== expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  expect(last).toBe(expected);
}

/** Presses Tab and checks where the focus went: the tab order is the form's logical order. */
async function tabTo(page: Page, field: string): Promise<void> {
  await page.keyboard.press('Tab');
  expect(await focusedField(page)).toBe(field);
}

/** Types into a filterable select (it has the focus): the first match is highlighted, Enter takes it. */
async function pickOption(page: Page, text: string, expected: string): Promise<void> {
  await page.keyboard.type(text);
  await page.locator('.el-select-dropdown__item.is-hovering:visible', { hasText: expected }).waitFor();
  await page.keyboard.press('Enter');
}

/** The agent's day (issue 9): a call comes in, the order is registered with the keyboard alone, then dispatched. */
describeIf('agent workspace (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('registers an order with the keyboard only and dispatches it to the suggested unit', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await submitLogin(page, server.url, 'agent1');
    await page.waitForURL(/\/intake$/);
    await page.waitForSelector('[data-test="intake-page"][data-state="loaded"]');
    // The first field has the focus: the agent can start typing at once.
    expect(await focusedField(page)).toBe('categoryId');
    await page.screenshot({ path: join(SCREENSHOTS, '01-intake.png') });

    // 新来电 (F2): the caller's number, checked; Enter answers.
    await page.keyboard.press('F2');
    const phone = page.locator('input[data-test="new-call-phone"]');
    await phone.waitFor({ state: 'visible' });
    await until(() => phone.evaluate((el) => el === document.activeElement), true);
    await page.keyboard.type('1833435');
    await page.keyboard.press('Enter');
    await page.locator('.el-form-item__error', { hasText: '大陆手机号' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '02-new-call-invalid.png') });
    await page.keyboard.type('6856');
    await page.keyboard.press('Enter');
    await phone.waitFor({ state: 'hidden' });

    // The caller's earlier orders appear; the number is in the form; the focus is back on the first field.
    await page.waitForSelector('[data-test="caller-history"][data-state="loaded"]');
    expect(await page.locator('[data-test="caller-history-item"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-test="caller-history-item"]').first().textContent()).toContain('朝阳路路灯');
    expect(await page.inputValue('input[data-test="intake-citizen-phone"]')).toBe(CALLER);
    await until(() => focusedField(page), 'categoryId');
    await page.screenshot({ path: join(SCREENSHOTS, '03-call-history.png') });

    // The form, field after field, with the keyboard.
    await pickCategory(page, '路灯');
    await until(() => focusedField(page), 'categoryId');
    await tabTo(page, 'requestType');
    // The category's default request type (路灯 → 举报) is chosen already.
    expect(await page.locator('[data-field="requestType"] .el-radio-button.is-active').textContent()).toContain('举报');
    await tabTo(page, 'urgency');
    await page.keyboard.press('ArrowRight'); // 一般 → 紧急
    await tabTo(page, 'channel');
    await tabTo(page, 'citizenName');
    await page.keyboard.type('董先生');
    await tabTo(page, 'citizenPhone');
    await tabTo(page, 'citizenConfidential');
    await tabTo(page, 'districtUnitId');
    await pickOption(page, '东城', '东城区人民政府');
    await tabTo(page, 'streetUnitId');
    await pickOption(page, '朝阳', '朝阳街道办事处');
    await tabTo(page, 'address');
    await page.keyboard.type('朝阳街道朝阳路18号至26号');
    await tabTo(page, 'title');
    await page.keyboard.type('朝阳路路灯修好后又不亮了');
    await tabTo(page, 'content');
    await page.keyboard.type('来电人反映朝阳路18号至26号路段路灯上周维修后，这两天晚上又不亮了。');
    await page.keyboard.press('Enter'); // a new line, not a submit
    await page.keyboard.type('请求尽快复查。');
    expect(await page.locator('[data-test="registered-panel"]').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, '04-form-filled.png') });

    // Ctrl+Enter in the content registers.
    const registered = page.waitForResponse((r) => r.url().endsWith('/api/work-orders') && r.request().method() === 'POST');
    await page.keyboard.press('Control+Enter');
    expect((await registered).status()).toBe(201);
    const number = (await page.locator('[data-test="registered-number"]').textContent())?.trim() ?? '';
    expect(number).toMatch(/^\d{14}$/);
    expect(await page.locator('[data-test="dispatch-suggestion"]').textContent()).toContain('云川市城市管理局');
    // The suggested unit is chosen and the focus is on 派单: Enter dispatches.
    await until(() => page.evaluate(() => document.activeElement?.getAttribute('data-test')), 'dispatch-submit');
    await page.screenshot({ path: join(SCREENSHOTS, '05-registered.png') });

    const dispatched = page.waitForResponse((r) => /\/api\/work-orders\/\d+\/dispatch$/.test(r.url()));
    await page.keyboard.press('Enter');
    expect((await dispatched).status()).toBe(200);
    await page.waitForSelector('[data-test="registered-panel"][data-state="dispatched"]');
    expect(await page.locator('[data-test="registered-outcome"]').textContent()).toContain('云川市城市管理局');
    await page.screenshot({ path: join(SCREENSHOTS, '06-dispatched.png') });

    // What the server has: the order as typed, dispatched to the category's lead unit.
    const agent = await login(server.url, 'agent1');
    const found = await call<{ items: Order[] }>(server.url, 'GET', `/api/work-orders?keyword=${number}`, agent);
    const order = found.body.items.find((o) => o.number === number)!;
    const detail = await call<Order & { urgency: string }>(server.url, 'GET', `/api/work-orders/${order.id}`, agent);
    expect(detail.body).toMatchObject({ status: 'dispatched', channel: 'phone', urgency: 'urgent', citizenPhone: CALLER, leadUnit: { code: 'cgj' } });
    expect(detail.body.streetUnitId).not.toBeNull();

    // 继续登记: an empty form and no call; the next call starts with 新来电.
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-test="intake-form-card"]');
    await until(() => page.evaluate(() => document.activeElement?.getAttribute('data-test')), 'new-call');
    expect(await page.inputValue('input[data-test="intake-title"]')).toBe('');
    await page.close();
  });

  it('answers a consultation on the call (直办) with the knowledge base', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await submitLogin(page, server.url, 'agent1');
    await page.waitForSelector('[data-test="intake-page"][data-state="loaded"]');
    await pickCategory(page, '居住证');
    // The knowledge base follows the category: its article, opened, gives the answer.
    const article = page.locator('[data-test="knowledge-result"]', { hasText: '居住证办理条件' });
    await article.waitFor();
    await article.click();
    await page.locator('[data-test="knowledge-copy"]').click();
    await page.waitForSelector('[data-test="intake-answer-queued"]');
    await page.fill('input[data-test="intake-citizen-name"]', '许先生');
    await page.fill('input[data-test="intake-citizen-phone"]', '18800002222');
    await page.fill('input[data-test="intake-address"]', '朝阳街道朝阳路');
    await page.fill('input[data-test="intake-title"]', '咨询租房能否办理居住证');
    await page.fill('textarea[data-test="intake-content"]', '来电人租房居住，没有房产证，咨询能否办理居住证以及需要哪些材料。');
    await page.click('[data-test="intake-submit"]');
    await page.waitForSelector('[data-test="registered-panel"][data-state="registered"]');
    // A consultation opens on 直办, with the article's answer filled in.
    expect(await page.inputValue('textarea[data-test="resolve-answer"]')).toContain('【答复口径】');
    await page.screenshot({ path: join(SCREENSHOTS, '09-resolve-directly.png') });
    const resolved = page.waitForResponse((r) => /\/api\/work-orders\/\d+\/resolve-directly$/.test(r.url()));
    await page.click('[data-test="resolve-submit"]');
    expect((await resolved).status()).toBe(200);
    await page.waitForSelector('[data-test="registered-panel"][data-state="resolved"]');
    expect(await page.locator('[data-test="registered-status"]').textContent()).toContain('已办结');
    await page.screenshot({ path: join(SCREENSHOTS, '10-resolved.png') });
    await page.close();
  });

  it('keeps the draft through a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await submitLogin(page, server.url, 'agent2');
    await page.waitForSelector('[data-test="intake-page"][data-state="loaded"]');
    await page.fill('input[data-test="intake-title"]', '南湖花园又停水了');
    await page.fill('textarea[data-test="intake-content"]', '小区今天上午再次停水。');
    await page.reload();
    await page.waitForSelector('[data-test="intake-page"][data-state="loaded"]');
    await page.waitForSelector('[data-test="intake-draft-restored"]');
    expect(await page.inputValue('input[data-test="intake-title"]')).toBe('南湖花园又停水了');
    expect(await page.inputValue('textarea[data-test="intake-content"]')).toBe('小区今天上午再次停水。');
    await page.close();
  });

  it('fits a 390 px screen: the form and the result stack, nothing overflows', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    await submitLogin(page, server.url, 'dispatcher1');
    await page.waitForURL(/\/center$/);
    await page.goto(`${server.url}/intake`);
    await page.waitForSelector('[data-test="intake-page"][data-state="loaded"]');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, '07-narrow.png'), fullPage: true });
    await page.click('[data-test="new-call"]');
    await page.fill('input[data-test="new-call-phone"]', CALLER);
    await page.click('[data-test="new-call-answer"]');
    await page.waitForSelector('[data-test="caller-history"][data-state="loaded"]');
    await page.locator('[data-test="caller-history-item"]').first().waitFor();
    // The dialog has faded out (Element Plus hides its overlay once the animation ends).
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLElement>('.el-overlay')].every((overlay) => getComputedStyle(overlay).display === 'none'));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, '07-narrow-call.png') });
    await page.close();
  });

  it('reads in English', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en' });
    await page.addInitScript(() => localStorage.setItem('jiesu.locale', 'en'));
    await submitLogin(page, server.url, 'agent1');
    await page.waitForSelector('[data-test="intake-page"][data-state="loaded"]');
    expect(await page.locator('[data-test="new-call"]').textContent()).toContain('New call');
    await page.screenshot({ path: join(SCREENSHOTS, '08-english.png') });
    await page.close();
  });
});
