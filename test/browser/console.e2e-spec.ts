import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium, requireExternal } from '../support/external';
import { ROOT, type RunningServer, startServer } from '../support/server';

const SCREENSHOTS = join(ROOT, 'test', 'screenshots', 'console');
/**
 * Waits until the list shows the server's answer. Element Plus renders its empty text before the data arrives,
 * so neither rows nor the empty text alone say the list has loaded; the table's data-state marker does.
 */
async function waitForLoadedList(page: Page): Promise<void> {
  await page.waitForSelector('[data-test="work-order-table"][data-state="loaded"]');
}

/** Each role lands on its own workspace; the work-order list is one menu entry away. */
async function openListFromMenu(page: Page, title: string): Promise<void> {
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.locator('.el-menu-item', { hasText: title }).click();
  await page.waitForURL(/\/work-orders$/);
  await waitForLoadedList(page);
}

const runs = requireExternal('Chromium', hasChromium(), `install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
const describeIf = runs ? describe : describe.skip;

/** The console in a real Chromium against the real server with the demo data. */
describeIf('the console in Chromium', () => {
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

  it('a dispatcher logs in, sees the work orders in Chinese and opens one with its timeline', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    await page.fill('input[data-test="login-username"]', 'dispatcher1');
    await page.fill('input[data-test="login-password"]', 'wrong-password');
    await page.click('[data-test="login-submit"]');
    await page.waitForSelector('[data-test="login-error"]');
    // The page is in Chinese: the server's code INVALID_CREDENTIALS is shown in Chinese, not the server's English.
    expect((await page.textContent('[data-test="login-error"]'))?.trim()).toBe('用户名或密码错误');
    // The refused password is gone, the username stays and the cursor waits in the password field.
    expect(await page.inputValue('input[data-test="login-password"]')).toBe('');
    expect(await page.inputValue('input[data-test="login-username"]')).toBe('dispatcher1');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe('login-password');
    await page.screenshot({ path: join(SCREENSHOTS, 'login-wrong-password.png') });

    await page.fill('input[data-test="login-password"]', 'Demo@12345');
    await page.click('[data-test="login-submit"]');
    await openListFromMenu(page, '工单管理');
    expect(await page.locator('.el-table__row').count()).toBeGreaterThan(5);
    const body = await page.textContent('body');
    expect(body).toContain('派单员王强');
    expect(body).toMatch(/待派单|办理中|已办结/);
    await page.screenshot({ path: join(SCREENSHOTS, 'work-order-list.png'), fullPage: false });

    await page.locator('.el-table__row').first().click();
    await page.waitForSelector('.work-order-detail[data-state="loaded"]');
    await page.waitForSelector('[data-test="timeline-event"]');
    expect(await page.locator('[data-test="timeline-event"]').count()).toBeGreaterThanOrEqual(1);
    expect(await page.textContent('[data-test="timeline-action"]')).toBe('登记');
    await page.screenshot({ path: join(SCREENSHOTS, 'work-order-detail.png'), fullPage: true });
    await page.close();
  });

  it('a street handler sees only the orders of the street and below, with masked phone numbers', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/login`);
    await page.fill('input[data-test="login-username"]', 'dc_handler');
    await page.fill('input[data-test="login-password"]', 'Demo@12345');
    await page.click('[data-test="login-submit"]');
    await openListFromMenu(page, '工单管理');
    const rows = await page.locator('.el-table__row').count();
    expect(rows).toBeGreaterThan(0);
    await page.locator('.el-table__row').first().click();
    await page.waitForSelector('[data-test="detail-citizen"]');
    const citizen = (await page.textContent('[data-test="detail-citizen"]')) ?? '';
    expect(citizen).not.toMatch(/1\d{10}/);
    await page.screenshot({ path: join(SCREENSHOTS, 'work-order-detail-handler.png'), fullPage: true });
    await page.close();
  });
});
