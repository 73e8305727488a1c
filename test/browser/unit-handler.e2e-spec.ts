import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { submitLogin } from '../support/console';
import { hasChromium, launchChromium, requireExternal } from '../support/external';
import { call, login, ROOT, type RunningServer, startServer } from '../support/server';

/** Every step, for looking at (gitignored), and the few the operator's guide shows. */
const SCREENSHOTS = join(ROOT, 'test', 'screenshots', 'unit-handler');
const GUIDE = join(ROOT, 'docs', 'operator-guide', 'img', 'unit');

const runs = requireExternal('Chromium', hasChromium(), `install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
const describeIf = runs ? describe : describe.skip;

/** A 24×16 red PNG: a site photo for the reply. */
const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAIAAACDRijCAAAAGklEQVR4nGO4Y6NBFcQwatCoQaMGjRpEGQIAUsjgEF5/MugAAAAASUVORK5CYII=', 'base64');

interface UnitNode {
  id: number;
  code: string;
  children: UnitNode[];
}
interface CategoryNode {
  id: number;
  code: string;
  children: CategoryNode[];
}
interface Order {
  id: number;
  number: string;
  version: number;
  status: string;
}

const flatten = <T extends { children: T[] }>(nodes: T[]): T[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

/** Waits until the action dialog has finished opening (Element Plus fades it in). */
async function dialogOpened(page: Page, action: string): Promise<void> {
  await page.locator(`[data-test="action-dialog"][data-action="${action}"]`).waitFor();
  await page.waitForFunction(() => !document.querySelector('.dialog-fade-enter-active'));
}

/** Submits the open dialog and waits for the action's answer. */
async function submitAction(page: Page, id: number, action: string): Promise<void> {
  const answered = page.waitForResponse((r) => r.url().endsWith(`/api/work-orders/${id}/${action}`) && r.request().method() === 'POST');
  await page.locator('[data-test="action-dialog"] [data-test="action-submit"]').click();
  expect((await answered).status()).toBe(200);
  await page.locator('[data-test="action-dialog"]').waitFor({ state: 'hidden' });
}

/** The right edge of the rightmost visible box inside `selector` (scrolling tab bars clip theirs). */
async function rightmostEdge(page: Page, selector: string): Promise<number> {
  return page.evaluate((root) => {
    const clipped = (element: Element) => element.closest('.el-tabs__nav-scroll, .el-table__body-wrapper, .el-scrollbar__wrap') !== null;
    const boxes = Array.from(document.querySelectorAll(`${root}, ${root} *`)).filter((element) => !clipped(element));
    return Math.max(...boxes.map((element) => Math.round(element.getBoundingClientRect().right)));
  }, selector);
}

/** Removes the fading "done" messages before a screenshot for the guide. */
async function clearMessages(page: Page): Promise<void> {
  await page.evaluate(() => document.querySelectorAll('.el-message').forEach((message) => message.remove()));
}

/** The unit's day in a real Chromium: the lead unit's handler accepts, contacts the citizen and replies with a photo. */
describeIf('unit inbox and order page (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let order: Order;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    mkdirSync(GUIDE, { recursive: true });

    // An order for the water company (a unit without leader sign-off: its reply goes straight to the center's review).
    const agent = await login(server.url, 'agent1');
    const units = flatten((await call<UnitNode[]>(server.url, 'GET', '/api/units', agent)).body);
    const categories = flatten((await call<CategoryNode[]>(server.url, 'GET', '/api/categories', agent)).body);
    const outage = categories.find((c) => c.code === 'C070101')!;
    const registered = await call<Order>(server.url, 'POST', '/api/work-orders', agent, {
      channel: 'phone',
      urgency: 'urgent',
      categoryId: outage.id,
      address: '云川市东城区朝阳街道幸福路 8 号院',
      title: '幸福路 8 号院全楼停水',
      content: '幸福路 8 号院从今早 7 点起全楼停水，未见停水通知，老人较多，请尽快恢复供水。',
      citizenName: '刘女士',
      citizenPhone: '13900004321',
    });
    expect(registered.status).toBe(201);
    const dispatcher = await login(server.url, 'dispatcher1');
    const dispatched = await call<Order>(server.url, 'POST', `/api/work-orders/${registered.body.id}/dispatch`, dispatcher, {
      version: registered.body.version,
      leadUnitId: units.find((u) => u.code === 'water')!.id,
    });
    expect(dispatched.status).toBe(200);
    order = dispatched.body;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the handler signs in to the inbox, accepts, makes first contact and replies with a photo', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await submitLogin(page, server.url, 'water_handler');
    // The inbox is the units' home page; the to-accept tab comes first.
    await page.waitForURL(/\/inbox/);
    await page.waitForSelector('[data-test="inbox-body"][data-tab="toAccept"][data-state="loaded"]');
    const row = page.locator('tr.el-table__row', { has: page.locator(`[data-test="inbox-row"][data-id="${order.id}"]`) });
    await row.waitFor();
    expect(await row.textContent()).toContain('幸福路 8 号院全楼停水');
    expect(Number(await page.getAttribute('[data-test="inbox-count-toAccept"]', 'data-count'))).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(SCREENSHOTS, '01-inbox.png') });
    await page.screenshot({ path: join(GUIDE, 'inbox.png') });

    // 签收 from the row's quick button.
    await row.locator('button[data-action="accept"]').click();
    await dialogOpened(page, 'accept');
    await page.fill('[data-test="action-dialog"] textarea[data-test="generic-text"]', '已签收，安排抢修班组前往');
    await page.screenshot({ path: join(SCREENSHOTS, '02-accept-dialog.png') });
    await submitAction(page, order.id, 'accept');

    // The order page: 先行联系 from the action bar.
    await page.goto(`${server.url}/work-orders/${order.id}`);
    await page.waitForSelector('.work-order-detail[data-state="loaded"]');
    expect(await page.textContent('[data-test="detail-status"]')).toContain('办理中');
    await clearMessages(page);
    await page.screenshot({ path: join(SCREENSHOTS, '03-order-processing.png') });
    await page.click('[data-test="detail-actions"] button[data-action="contact"]');
    await dialogOpened(page, 'contact');
    // The masked number, and the full one on request (the lead unit may call the citizen).
    expect(await page.textContent('[data-test="contact-citizen"]')).toContain('139****4321');
    await page.click('[data-test="contact-reveal"]');
    await page.waitForFunction(() => document.querySelector('[data-test="contact-citizen"]')?.textContent?.includes('13900004321'));
    await page.fill('[data-test="action-dialog"] textarea[data-test="contact-note"]', '已电话联系刘女士，说明抢修进度，预计中午恢复供水');
    await page.screenshot({ path: join(SCREENSHOTS, '04-contact-dialog.png') });
    await clearMessages(page);
    await page.screenshot({ path: join(GUIDE, 'contact.png') });
    await submitAction(page, order.id, 'contact');
    // The contact kept the status: the timeline shows the step without an "办理中 → 办理中" transition.
    const contactStep = page.locator('[data-test="timeline-event"][data-action="contact"]');
    await contactStep.waitFor();
    expect(await contactStep.locator('[data-test="timeline-transition"]').count()).toBe(0);
    await page.locator('[data-test="timeline-event"][data-action="reveal-contact"]').waitFor();

    // 答复 with a photo: uploaded with a progress bar, shown as a thumbnail, sent with the reply.
    await page.click('[data-test="detail-actions"] button[data-action="reply"]');
    await dialogOpened(page, 'reply');
    await page.fill('[data-test="action-dialog"] textarea[data-test="reply-content"]', '经排查为小区总阀门故障，已于 11:30 更换阀门并恢复供水，现场照片见附件。');
    const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/attachments') && r.request().method() === 'POST');
    await page.setInputFiles('[data-test="action-dialog"] input[type="file"]', { name: '现场照片.png', mimeType: 'image/png', buffer: PHOTO });
    expect((await uploaded).status()).toBe(201);
    await page.locator('[data-test="attachment-item"][data-status="done"]').waitFor();
    await page.locator('[data-test="attachment-item"] [data-test="attachment-thumb"] img').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '05-reply-dialog.png') });
    await clearMessages(page);
    await page.screenshot({ path: join(GUIDE, 'reply.png') });
    await submitAction(page, order.id, 'reply');

    // 待审核: the reply waits for the center's review; the photo is on the order, previewable.
    await page.waitForFunction(() => document.querySelector('[data-test="detail-status"]')?.textContent?.includes('待审核'));
    const photo = page.locator('[data-test="attachment"][data-name="现场照片.png"]');
    await photo.waitFor();
    await photo.locator('[data-test="attachment-thumb"] img').waitFor();
    expect(await page.textContent('[data-test="detail-reply"]')).toContain('已于 11:30 更换阀门');
    expect(await page.locator('[data-test="detail-actions"] button[data-action]').count()).toBe(0);
    await clearMessages(page);
    await page.screenshot({ path: join(SCREENSHOTS, '06-order-replied.png'), fullPage: true });
    await page.screenshot({ path: join(GUIDE, 'order-page.png') });

    const after = await call<Order>(server.url, 'GET', `/api/work-orders/${order.id}`, await login(server.url, 'water_handler'));
    expect(after.body.status).toBe('reply_review');
    await page.close();
  });

  it('works on a phone: the inbox as cards', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    await submitLogin(page, server.url, 'water_handler');
    await page.waitForURL(/\/inbox/);
    await page.goto(`${server.url}/inbox?tab=processing`);
    await page.waitForSelector('[data-test="inbox-body"][data-tab="processing"][data-state="loaded"]');
    await page.screenshot({ path: join(SCREENSHOTS, '07-inbox-phone.png') });
    // Nothing of the inbox reaches past the screen's edge (the header is the layout's business).
    expect(await rightmostEdge(page, '.inbox')).toBeLessThanOrEqual(390);
    await page.goto(`${server.url}/work-orders/${order.id}`);
    await page.waitForSelector('.work-order-detail[data-state="loaded"]');
    expect(await rightmostEdge(page, '.work-order-detail')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, '08-order-phone.png') });
    await page.screenshot({ path: join(GUIDE, 'order-phone.png') });
    await page.close();
  });

  it('reads in English', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    await page.addInitScript(() => localStorage.setItem('jiesu.locale', 'en'));
    await submitLogin(page, server.url, 'water_handler');
    await page.waitForURL(/\/inbox/);
    await page.waitForSelector('[data-test="inbox-body"][data-state="loaded"]');
    expect(await page.textContent('[data-test="inbox-tab-toAccept"]')).toContain('To accept');
    await page.screenshot({ path: join(SCREENSHOTS, '10-inbox-en.png') });
    await page.goto(`${server.url}/work-orders/${order.id}`);
    await page.waitForSelector('.work-order-detail[data-state="loaded"]');
    expect(await page.textContent('[data-test="detail-timeline"]')).toContain('First contact');
    await page.screenshot({ path: join(SCREENSHOTS, '11-order-en.png'), fullPage: true });
    await page.close();
  });

  it("a handler of another unit gets the not-found page for the order's URL", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await submitLogin(page, server.url, 'power_handler');
    await page.waitForURL(/\/inbox/);
    await page.goto(`${server.url}/work-orders/${order.id}`);
    await page.waitForSelector('[data-test="detail-not-found"]');
    expect(await page.textContent('[data-test="detail-not-found"]')).toContain('该工单不存在，或您无权查看');
    expect(await page.locator('[data-test="detail-number"]').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, '09-other-unit-not-found.png') });
    await page.close();
  });
});
