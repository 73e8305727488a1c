import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { submitLogin } from '../support/console';
import { hasChromium, launchChromium, requireExternal } from '../support/external';
import { call, login, ROOT, type RunningServer, startServer } from '../support/server';

const SCREENSHOTS = join(ROOT, 'test', 'screenshots');

const runs = requireExternal('Chromium', hasChromium(), `install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
const describeIf = runs ? describe : describe.skip;

/**
 * Signs a demo user in and opens the work-order list: each role now lands on its own workspace (router/role-home.ts),
 * so the list is opened explicitly.
 */
async function logIn(page: Page, url: string, username: string): Promise<void> {
  await submitLogin(page, url, username);
  await page.waitForURL((target) => !target.pathname.startsWith('/login'));
  await page.goto(`${url}/work-orders`);
  await page.waitForSelector('[data-test="work-order-table"][data-state="loaded"]');
}

/** Deadlines, warnings and the admin pages of issue 6, in a real Chromium against the built server. */
describeIf('deadlines in the console (Chromium)', () => {
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

  it('an admin opens 日历调整 and sees 2026-10-01 as a holiday; the menu offers 办理时限规则', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Europe/London' });
    await logIn(page, server.url, 'admin');
    const menu = (await page.textContent('.el-menu')) ?? '';
    expect(menu).toContain('办理时限规则');

    await page.click('.el-menu-item:has-text("日历调整")');
    await page.waitForSelector('[data-test="calendar-admin"][data-state="loaded"]');
    const year = page.locator('[data-test="calendar-year"] input');
    if ((await year.inputValue()) !== '2026') {
      await year.fill('2026');
      await year.press('Enter');
      await page.waitForSelector('[data-test="calendar-day"][data-date="2026-01-01"]');
      await page.waitForSelector('[data-test="calendar-admin"][data-state="loaded"]');
    }
    const national = page.locator('[data-test="calendar-day"][data-date="2026-10-01"]');
    expect(await national.getAttribute('data-kind')).toBe('holiday');
    expect(await national.getAttribute('title')).toContain('国庆');
    await page.screenshot({ path: join(SCREENSHOTS, 'calendar-admin.png'), fullPage: false });

    await page.click('.el-menu-item:has-text("办理时限规则")');
    await page.waitForSelector('[data-test="deadline-rules"][data-state="loaded"]');
    expect(await page.locator('[data-test="rules-table"] .el-table__body-wrapper tr').count()).toBeGreaterThanOrEqual(18);
    await page.screenshot({ path: join(SCREENSHOTS, 'deadline-rules.png'), fullPage: false });
    await page.close();
  });

  it('the order page shows a running deadline as a coloured countdown, in Beijing time', async () => {
    const token = await login(server.url, 'dispatcher1');
    const list = await call<{ items: { id: number }[] }>(server.url, 'GET', '/api/work-orders?status=processing&pageSize=1', token);
    expect(list.status).toBe(200);
    const id = list.body.items[0].id;

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'America/New_York' });
    await logIn(page, server.url, 'dispatcher1');
    await page.goto(`${server.url}/work-orders/${id}`);
    const countdown = page.locator('[data-test="deadline"][data-kind="reply"] [data-test="deadline-countdown"]');
    await countdown.waitFor();
    expect(await countdown.getAttribute('data-level')).toMatch(/^(none|yellow|red)$/);
    expect(await countdown.textContent()).toMatch(/(剩余|已超期) [\d.]+ (工作)?小时/);

    const detail = await call<{ deadlines: { kind: string; dueAt: string }[] }>(server.url, 'GET', `/api/work-orders/${id}`, token);
    const reply = detail.body.deadlines.find((d) => d.kind === 'reply')!;
    const beijing = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(reply.dueAt));
    expect(await page.textContent('[data-test="deadline"][data-kind="reply"]')).toContain(beijing);
    await page.screenshot({ path: join(SCREENSHOTS, 'work-order-deadlines.png'), fullPage: true });
    await page.close();
  });
});

/** With the scheduler ticking every second, the demo orders that are overdue turn red and notify the center. */
describeIf('warnings and the bell in the console (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ ESCALATION_TICK_SECONDS: '1' });
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the bell shows the unread warnings and the list filters red orders', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await logIn(page, server.url, 'dispatcher1');
    // The badge appears once a notification is listed or pushed over the socket (whichever comes first).
    await page.waitForSelector('[data-test="bell-count"] sup', { state: 'visible' });
    await page.click('[data-test="bell"]');
    await page.waitForSelector('[data-test="bell-item"]');
    // The popover fades in: wait until it is fully shown before the screenshot.
    await page.waitForFunction(() => {
      const popper = document.querySelector('[data-test="bell-panel"]')?.closest('.el-popper');
      return popper !== null && popper !== undefined && getComputedStyle(popper).opacity === '1';
    });
    expect(await page.locator('[data-test="bell-item"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'notification-bell.png'), fullPage: false });

    await page.goto(`${server.url}/work-orders?warning=red`);
    await page.waitForSelector('[data-test="work-order-table"][data-state="loaded"]');
    await page.waitForSelector('[data-test="warning-tag"][data-level="red"]');
    const levels = await page.locator('.el-table__body [data-test="warning-tag"]').evaluateAll((tags) => tags.map((t) => t.getAttribute('data-level')));
    expect(levels.length).toBeGreaterThan(0);
    expect(new Set(levels)).toEqual(new Set(['red']));
    await page.screenshot({ path: join(SCREENSHOTS, 'work-order-list-red.png'), fullPage: false });
    await page.close();
  });
});
