import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { submitLogin } from '../support/console';
import { hasChromium, launchChromium, requireExternal } from '../support/external';
import { call, login, ROOT, type RunningServer, startServer } from '../support/server';

const SCREENSHOTS = join(ROOT, 'test', 'screenshots', 'responsive');
const GUIDE_IMAGES = join(ROOT, 'docs', 'operator-guide', 'img', 'general');

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
type Language = 'zh-CN' | 'en';

const runs = requireExternal('Chromium', hasChromium(), `install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
const describeIf = runs ? describe : describe.skip;

/** How wide the document is: wider than the viewport means the page scrolls sideways. */
function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

async function expectNoOverflow(page: Page, width: number): Promise<void> {
  expect(await pageWidth(page)).toBeLessThanOrEqual(width);
}

/** A browser window with the console's language chosen (as the language switch remembers it). */
async function openContext(browser: Browser, viewport: { width: number; height: number }, language: Language): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, locale: language });
  await context.addInitScript((chosen) => localStorage.setItem('jiesu.locale', chosen), language);
  return context;
}

async function openList(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/work-orders`);
  await page.waitForSelector('[data-test="work-order-table"][data-state="loaded"]');
}

/** Presses Tab until the focus is on an element matching `selector` (at most `limit` times). */
async function tabTo(page: Page, selector: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** The console at a phone's and a desktop's size, in both languages: nothing overflows, the list opens by keyboard. */
describeIf('the console at 390×844 and 1440×900', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    mkdirSync(GUIDE_IMAGES, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  describe.each<[string, { width: number; height: number }, Language]>([
    ['phone zh-CN', PHONE, 'zh-CN'],
    ['phone en', PHONE, 'en'],
    ['desktop zh-CN', DESKTOP, 'zh-CN'],
    ['desktop en', DESKTOP, 'en'],
  ])('%s', (name, viewport, language) => {
    const shot = (step: string) => join(SCREENSHOTS, `${name.replace(' ', '-')}-${step}.png`);
    const phone = viewport.width < 768;
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      context = await openContext(browser, viewport, language);
      page = await context.newPage();
    });
    afterAll(() => context?.close());

    it('shows the login page without overflow', async () => {
      await page.goto(`${server.url}/login`);
      await page.waitForSelector('[data-test="login-submit"]');
      await expectNoOverflow(page, viewport.width);
      await page.screenshot({ path: shot('1-login') });
      if (language === 'zh-CN') await page.screenshot({ path: join(GUIDE_IMAGES, phone ? 'login-phone.png' : 'login.png') });
    });

    it('shows the list without overflow, as cards on the phone and as a table on the desktop', async () => {
      await submitLogin(page, server.url, 'dispatcher1');
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      await openList(page, server.url);
      await expectNoOverflow(page, viewport.width);
      if (phone) {
        expect(await page.locator('.el-aside').count()).toBe(0);
        expect(await page.locator('a[data-test="work-order-row"]').count()).toBeGreaterThan(0);
      } else {
        expect(await page.locator('.el-aside').count()).toBe(1);
        expect(await page.locator('.el-table__row').count()).toBeGreaterThan(0);
        // Header labels stay on one line (主办单位, not 主办/单位), and every status tag is shown whole.
        const wrapped = await page.$$eval('.el-table__header th .cell', (cells) =>
          cells.filter((cell) => cell.textContent && cell.getBoundingClientRect().height > 30).map((cell) => cell.textContent),
        );
        expect(wrapped).toEqual([]);
        const cutTags = await page.$$eval('.el-table__body .el-tag', (tags) =>
          tags
            .filter((tag) => {
              const cell = tag.closest('.cell')!.getBoundingClientRect();
              return tag.getBoundingClientRect().right > cell.right + 0.5;
            })
            .map((tag) => tag.textContent),
        );
        expect(cutTags).toEqual([]);
        // The columns fit the card: the table does not scroll sideways either.
        const table = await page.$eval('.el-table__body-wrapper .el-scrollbar__wrap', (wrap) => ({ scroll: wrap.scrollWidth, client: wrap.clientWidth }));
        expect(table.scroll).toBeLessThanOrEqual(table.client);
      }
      await page.screenshot({ path: shot('2-list') });
      if (language === 'zh-CN') await page.screenshot({ path: join(GUIDE_IMAGES, phone ? 'list-phone.png' : 'list.png') });
    });

    it('opens the menu in a drawer on the phone', async () => {
      if (!phone) {
        expect(await page.locator('[data-test="open-menu"]').count()).toBe(0);
        return;
      }
      await page.click('[data-test="open-menu"]');
      await page.waitForSelector('.el-drawer .el-menu-item');
      // Wait for the drawer to finish sliding in before the picture.
      await page.waitForFunction(() => {
        const drawer = document.querySelector('.el-drawer');
        return drawer !== null && drawer.getBoundingClientRect().left >= 0 && !document.querySelector('.el-drawer-fade-enter-active');
      });
      await expectNoOverflow(page, viewport.width);
      await page.screenshot({ path: shot('3-menu') });
      if (language === 'zh-CN') await page.screenshot({ path: join(GUIDE_IMAGES, 'menu-phone.png') });
      await page.keyboard.press('Escape');
      await page.waitForSelector('.el-drawer', { state: 'hidden' });
    });

    it('opens an order from the list with the keyboard alone, and the order page fits', async () => {
      await page.locator('body').focus();
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      if (phone) {
        await tabTo(page, 'a[data-test="work-order-row"]');
        await page.screenshot({ path: shot('4-focused-card') });
        await page.keyboard.press('Space');
      } else {
        await tabTo(page, 'tr.el-table__row');
        // The focused row is visibly outlined.
        const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
        expect(outline).not.toBe('none');
        await page.screenshot({ path: shot('4-focused-row') });
        await page.keyboard.press('Enter');
      }
      await page.waitForURL(/\/work-orders\/\d+$/);
      await page.waitForSelector('.work-order-detail[data-state="loaded"]');
      await expectNoOverflow(page, viewport.width);
      await page.screenshot({ path: shot('5-order'), fullPage: true });
    });
  });

  it('sorts by reply deadline as the server does: orders without a deadline last', async () => {
    const context = await openContext(browser, DESKTOP, 'zh-CN');
    const page = await context.newPage();
    await submitLogin(page, server.url, 'dispatcher1');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    for (const order of ['ASC', 'DESC']) {
      // The list page's own request: the dispatcher's center desk, still loading after the login, asks for its queues
      // and their counts sorted ASC too (those answers are gone once the page below navigates away).
      const answer = page.waitForResponse((response) => {
        const url = new URL(response.url());
        const query = url.searchParams;
        return url.pathname === '/api/work-orders' && query.get('sortBy') === 'replyDueAt' && query.get('sortOrder') === order && query.get('pageSize') === '100';
      });
      await page.goto(`${server.url}/work-orders?sortBy=replyDueAt&sortOrder=${order}&pageSize=100`);
      const body = (await (await answer).json()) as { items: { number: string; replyDueAt: string | null }[] };
      await page.waitForSelector('[data-test="work-order-table"][data-state="loaded"]');
      const shown = await page.$$eval('.el-table__body tr.el-table__row td:first-child', (cells) => cells.map((cell) => cell.textContent?.trim()));
      expect(shown).toEqual(body.items.map((item) => item.number));
      const firstWithout = body.items.findIndex((item) => item.replyDueAt === null);
      if (firstWithout >= 0) expect(body.items.slice(firstWithout).every((item) => item.replyDueAt === null)).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, `sort-reply-due-${order}.png`) });
    }
    await context.close();
  });

  it('pictures for the general part of the operator guide: wrong password, language, notifications, filters', async () => {
    const context = await openContext(browser, DESKTOP, 'zh-CN');
    const page = await context.newPage();
    await submitLogin(page, server.url, 'dispatcher1', 'not-the-password');
    await page.waitForSelector('[data-test="login-error"]');
    expect(await page.inputValue('input[data-test="login-password"]')).toBe('');
    await page.screenshot({ path: join(GUIDE_IMAGES, 'login-wrong-password.png') });

    // The bell's picture is worth more with notifications in it: a demo user who has some.
    let user = 'dispatcher1';
    for (const candidate of ['cgj_handler', 'zjj_handler', 'rsj_handler', 'sthjj_handler', 'supervisor1', 'dispatcher1']) {
      const answer = await call<{ unreadCount: number }>(server.url, 'GET', '/api/notifications', await login(server.url, candidate));
      if (answer.status === 200 && answer.body.unreadCount > 0) {
        user = candidate;
        break;
      }
    }
    await submitLogin(page, server.url, user);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await openList(page, server.url);
    await page.click('.language-switch');
    await page.waitForSelector('[data-locale="en"]', { state: 'visible' });
    await page.waitForFunction(() => {
      const popper = document.querySelector('[data-locale="en"]')?.closest<HTMLElement>('.el-popper');
      return popper !== null && popper !== undefined && getComputedStyle(popper).opacity === '1';
    });
    await page.screenshot({ path: join(GUIDE_IMAGES, 'language.png'), clip: { x: 440, y: 0, width: 1000, height: 200 } });
    await page.keyboard.press('Escape');

    await page.click('[data-test="bell"]');
    await page.waitForSelector('[data-test="bell-panel"]', { state: 'visible' });
    // The popover fades in: the picture waits until it is fully shown.
    await page.waitForFunction(() => {
      const popper = document.querySelector('[data-test="bell-panel"]')?.closest<HTMLElement>('.el-popper');
      return popper !== null && popper !== undefined && getComputedStyle(popper).opacity === '1';
    });
    await page.screenshot({ path: join(GUIDE_IMAGES, 'notifications.png'), clip: { x: 340, y: 0, width: 1100, height: 560 } });
    await page.keyboard.press('Escape');
    await page.click('.app-header__title');
    await page.waitForSelector('[data-test="bell-panel"]', { state: 'hidden' });

    await page.click('[data-test="filter-more"]');
    await page.waitForSelector('[data-test="filter-supervised"]');
    await page.screenshot({ path: join(GUIDE_IMAGES, 'filters.png'), clip: { x: 208, y: 60, width: 1232, height: 330 } });
    await context.close();
  });
});
