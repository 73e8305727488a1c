import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { submitLogin } from '../support/console';
import { hasChromium, launchChromium, requireExternal } from '../support/external';
import { call, login, ROOT, type RunningServer, startServer } from '../support/server';

/** Every step, for looking at (gitignored), and the few the operator's guide shows. */
const SCREENSHOTS = join(ROOT, 'test', 'screenshots', 'center');
const GUIDE = join(ROOT, 'docs', 'operator-guide', 'img', 'center');

const runs = requireExternal('Chromium', hasChromium(), `install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
const describeIf = runs ? describe : describe.skip;

interface UnitNode {
  id: number;
  code: string;
  name: string;
  children: UnitNode[];
}

interface CategoryNode {
  id: number;
  code: string;
  defaultLeadUnitId: number | null;
  children: CategoryNode[];
}

interface Order {
  id: number;
  number: string;
  version: number;
  status: string;
  leadUnitId: number | null;
  satisfaction: string | null;
}

const flatten = <T extends { children: T[] }>(nodes: T[]): T[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

async function openDesk(page: Page, url: string, username: string, queue: string): Promise<void> {
  await submitLogin(page, url, username);
  await page.waitForURL((target) => !target.pathname.startsWith('/login'));
  await page.goto(`${url}/center?tab=${queue}`);
  await page.waitForSelector(`[data-test="center-queue"][data-queue="${queue}"][data-state="loaded"]`);
}

/** Waits until the action dialog has finished opening (Element Plus fades it in), for a clean screenshot. */
async function dialogOpened(page: Page): Promise<void> {
  await page.locator('[data-test="action-dialog"]').waitFor();
  await page.waitForFunction(() => !document.querySelector('.dialog-fade-enter-active'));
}

/** The table row of an order in the open queue (the number cell is a link carrying the number). */
const rowOf = (page: Page, number: string) => page.locator('.queue-table tr', { has: page.locator(`a[data-number="${number}"]`) });

/** The center desk in a real Chromium: the dispatcher dispatches, the reviewer approves the reply, the callback agent closes. */
describeIf('center desk (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let order: Order;
  let suggested: UnitNode;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    mkdirSync(GUIDE, { recursive: true });
    const agent = await login(server.url, 'agent1');
    const units = flatten((await call<UnitNode[]>(server.url, 'GET', '/api/units', agent)).body);
    const categories = flatten((await call<CategoryNode[]>(server.url, 'GET', '/api/categories', agent)).body);
    const streetLight = categories.find((c) => c.code === 'C010101')!;
    suggested = units.find((u) => u.id === streetLight.defaultLeadUnitId)!;
    const registered = await call<Order>(server.url, 'POST', '/api/work-orders', agent, {
      requestType: 'complaint',
      channel: 'phone',
      categoryId: streetLight.id,
      address: '云川市东城区朝阳街道幸福路18号',
      title: '幸福路18号门前路灯连续三晚不亮',
      content: '幸福路18号门前两盏路灯连续三个晚上不亮，行人夜间出行不便，请尽快维修。',
      citizenName: '李女士',
      citizenPhone: '13900002222',
    });
    expect(registered.status).toBe(201);
    order = registered.body;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the dispatcher sees the order in 待派单 with the suggested unit and dispatches it there', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await openDesk(page, server.url, 'dispatcher1', 'dispatch');
    expect(await page.locator('[data-test^="center-tab-"]').evaluateAll((tabs) => tabs.map((t) => t.getAttribute('data-test')))).toEqual([
      'center-tab-dispatch',
      'center-tab-returns',
      'center-tab-extensions',
    ]);
    // Each tab counts what the list API counts for its filter (延期申请: extensionRequested=true).
    const dispatcher = await login(server.url, 'dispatcher1');
    const pending = await call<{ total: number }>(server.url, 'GET', '/api/work-orders?extensionRequested=true&pageSize=1', dispatcher);
    const extensionsBadge = page.locator('[data-test="center-tab-extensions"] .el-badge');
    await extensionsBadge.waitFor();
    expect(await extensionsBadge.getAttribute('data-count')).toBe(String(pending.body.total));
    const row = rowOf(page, order.number);
    await row.waitFor();
    expect(await row.locator('[data-test="queue-unit"]').textContent()).toBe(suggested.name);
    await page.screenshot({ path: join(SCREENSHOTS, '01-dispatch-queue.png') });
    await page.screenshot({ path: join(GUIDE, 'dispatch-queue.png') });

    await row.locator('[data-test="queue-action-dispatch"]').click();
    const form = page.locator('[data-test="dispatch-form"]');
    await form.waitFor();
    await page.locator('[data-test="dispatch-suggested"]').getByText(suggested.name).waitFor();
    await page.fill('[data-test="dispatch-form"] textarea[data-test="action-note"]', '请尽快安排维修');
    await dialogOpened(page);
    await page.screenshot({ path: join(SCREENSHOTS, '02-dispatch-dialog.png') });
    await page.screenshot({ path: join(GUIDE, 'dispatch-dialog.png') });

    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/work-orders/${order.id}/dispatch`) && r.request().method() === 'POST');
    await page.click('[data-test="action-submit"]');
    expect((await answered).status()).toBe(200);
    await row.waitFor({ state: 'detached' });
    await page.waitForSelector('[data-test="center-queue"][data-state="loaded"]');
    await page.screenshot({ path: join(SCREENSHOTS, '03-dispatched.png') });
    await page.close();

    const after = await call<Order>(server.url, 'GET', `/api/work-orders/${order.id}`, dispatcher);
    expect(after.body.status).toBe('dispatched');
    expect(after.body.leadUnitId).toBe(suggested.id);
    order = after.body;
  });

  it('the reviewer reads the reply and approves it', async () => {
    // The lead unit's admin accepts, contacts the citizen and replies (no sign-off step for the unit's leader).
    const unit = await login(server.url, `${suggested.code}_admin`);
    let current = order;
    const step = async (action: string, body: Record<string, unknown>) => {
      const answer = await call<Order>(server.url, 'POST', `/api/work-orders/${order.id}/${action}`, unit, { version: current.version, ...body });
      expect(answer.status).toBe(200);
      current = answer.body;
    };
    await step('accept', { note: '已签收' });
    await step('contact', { method: 'phone', note: '已电话联系李女士，约定今晚检修' });
    await step('reply', { content: '经现场检查，两盏路灯线路老化，已于当晚更换线路，路灯恢复照明。' });
    expect(current.status).toBe('reply_review');

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await openDesk(page, server.url, 'reviewer1', 'replies');
    expect(await page.locator('[data-test^="center-tab-"]').count()).toBe(1);
    const row = rowOf(page, order.number);
    await row.waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '04-replies-queue.png') });
    await row.locator('[data-test="queue-action-approve-reply"]').click();
    await page.locator('[data-test="reply-text"]').getByText('已于当晚更换线路').waitFor();
    await dialogOpened(page);
    await page.screenshot({ path: join(SCREENSHOTS, '05-review-dialog.png') });
    await page.screenshot({ path: join(GUIDE, 'review-dialog.png') });
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/work-orders/${order.id}/approve-reply`));
    await page.click('[data-test="action-submit"]');
    expect((await answered).status()).toBe(200);
    await row.waitFor({ state: 'detached' });
    await page.close();

    const reviewer = await login(server.url, 'reviewer1');
    expect((await call<Order>(server.url, 'GET', `/api/work-orders/${order.id}`, reviewer)).body.status).toBe('callback_pending');
  });

  it('the callback agent follows the script (resolved, satisfied) and the order closes', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await openDesk(page, server.url, 'callback1', 'callbacks');
    const row = rowOf(page, order.number);
    await row.waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '06-callbacks-queue.png') });
    await row.locator('[data-test="queue-action-callback"]').click();
    await page.locator('[data-test="callback-form"]').waitFor();
    await page.click('[data-test="callback-resolved"] [data-value="resolved"]');
    await page.click('[data-test="callback-satisfaction"] [data-value="satisfied"]');
    await page.fill('[data-test="callback-form"] textarea[data-test="action-note"]', '市民表示路灯已修好，感谢');
    await dialogOpened(page);
    await page.screenshot({ path: join(SCREENSHOTS, '07-callback-script.png'), fullPage: true });
    await page.locator('.el-dialog').screenshot({ path: join(GUIDE, 'callback-script.png') });
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/work-orders/${order.id}/callback`));
    await page.click('[data-test="action-submit"]');
    expect((await answered).status()).toBe(200);
    await row.waitFor({ state: 'detached' });
    await page.close();

    const callbackAgent = await login(server.url, 'callback1');
    const closed = (await call<Order>(server.url, 'GET', `/api/work-orders/${order.id}`, callbackAgent)).body;
    expect(closed.status).toBe('closed');
    expect(closed.satisfaction).toBe('satisfied');
  });

  it('the supervisor sees every queue; the return and extension rulings show what the unit asked for', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await openDesk(page, server.url, 'supervisor1', 'returns');
    expect(await page.locator('[data-test^="center-tab-"]').count()).toBe(6);
    await page.locator('[data-test="queue-action-approve-return"]').first().click();
    await page.locator('[data-test="return-context"]').waitFor();
    await dialogOpened(page);
    await page.screenshot({ path: join(SCREENSHOTS, '09-return-ruling.png') });
    await page.locator('.el-dialog').screenshot({ path: join(GUIDE, 'return-ruling.png') });
    await page.click('[data-test="action-cancel"]');
    await page.locator('[data-test="action-dialog"]').waitFor({ state: 'hidden' });

    await page.click('[data-test="center-tab-extensions"]');
    await page.waitForSelector('[data-test="center-queue"][data-queue="extensions"][data-state="loaded"]');
    await page.locator('[data-test="queue-action-approve-extension"]').first().click();
    await page.locator('[data-test="extension-context"]').waitFor();
    await dialogOpened(page);
    await page.screenshot({ path: join(SCREENSHOTS, '10-extension-ruling.png') });
    await page.locator('.el-dialog').screenshot({ path: join(GUIDE, 'extension-ruling.png') });
    await page.close();
  });

  it('reads in English too', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    await page.addInitScript(() => localStorage.setItem('jiesu.locale', 'en'));
    await openDesk(page, server.url, 'supervisor1', 'callbacks');
    expect(await page.locator('[data-test="center-tab-callbacks"]').textContent()).toContain('Callbacks');
    await page.screenshot({ path: join(SCREENSHOTS, '11-english.png') });
    await page.close();
  });

  it('on a 390×844 phone the supervisor sees the queues as cards, without horizontal overflow', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    await openDesk(page, server.url, 'supervisor1', 'dispatch');
    await page.locator('article[data-test="queue-row"]').first().waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, '08-phone-cards.png') });
    await page.screenshot({ path: join(GUIDE, 'phone-cards.png') });
    await page.close();
  });
});
