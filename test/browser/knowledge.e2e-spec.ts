import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { submitLogin } from '../support/console';
import { hasChromium, launchChromium, requireExternal } from '../support/external';
import { call, login, ROOT, type RunningServer, startServer } from '../support/server';

/** Screenshots for the operator's guide (docs/operator-guide/knowledge.md). */
const SCREENSHOTS = join(ROOT, 'docs', 'operator-guide', 'img', 'knowledge');

const runs = requireExternal('Chromium', hasChromium(), `install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
const describeIf = runs ? describe : describe.skip;

const NEW_TITLE = '停水期间临时供水点查询';

/** Waits until no transition or animation runs (drawers, dialogs and message boxes slide and fade in). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== 'running'));
}

async function shot(page: Page, name: string): Promise<void> {
  await settled(page);
  await page.screenshot({ path: join(SCREENSHOTS, name) });
}

/** The knowledge base (issue 9): the supervision office edits it, the agent answers from it beside the intake form. */
describeIf('knowledge base (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    // Five logins of the same demo users in a minute: the login rate limit is not what this suite tests.
    server = await startServer({ RATE_LIMIT_LOGIN_PER_USERNAME: '1000', RATE_LIMIT_LOGIN_PER_IP: '1000' });
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(username: string, viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, locale: 'zh-CN' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    await submitLogin(page, server.url, username);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    return { context, page };
  }

  const listLoaded = (page: Page) =>
    page.waitForResponse((r) => r.url().includes('/api/knowledge?') && r.request().method() === 'GET' && r.status() === 200);

  it('the supervisor searches, writes, meets a concurrent change and archives an article', async () => {
    const { context, page } = await signedIn('supervisor1', { width: 1280, height: 800 });
    const first = listLoaded(page);
    await page.goto(`${server.url}/knowledge`);
    await first;
    await page.waitForSelector('[data-test="knowledge-page"][data-state="loaded"]');
    expect(await page.locator('[data-test="knowledge-table"] tbody tr').count()).toBe(15);
    await shot(page, '01-list.png');

    await page.fill('input[data-test="knowledge-filter-q"]', '供暖');
    const searched = listLoaded(page);
    await page.click('[data-test="knowledge-search"]');
    expect(new URL((await searched).url()).searchParams.get('q')).toBe('供暖');
    await page.waitForSelector('[data-test="knowledge-page"][data-state="loaded"]');
    expect(await page.locator('[data-test="knowledge-row-title"]').allTextContents()).toEqual(['冬季集中供暖时间及暖气不热的处理']);
    await shot(page, '02-search.png');

    // A new article: category by search in the cascader, two tags, published at once.
    await page.click('[data-test="knowledge-create"]');
    const dialog = page.locator('.el-dialog', { has: page.locator('[data-test="knowledge-edit-form"]') });
    await dialog.waitFor({ state: 'visible' });
    await page.fill('input[data-test="knowledge-edit-title"]', NEW_TITLE);
    await dialog.locator('.el-cascader input').click();
    await dialog.locator('.el-cascader input').fill('停水');
    await page.locator('.el-cascader__suggestion-item').first().click();
    await dialog.locator('.el-form-item', { hasText: '标签' }).locator('.el-select__wrapper').click();
    await page.keyboard.type('停水');
    await page.keyboard.press('Enter');
    await page.keyboard.type('送水车');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.fill('textarea[data-test="knowledge-edit-body"]', '停水超过 12 小时的，云川水务集团安排送水车。\n请来电人向小区物业询问送水车停放位置，或拨打 96116。');
    await dialog.locator('label.el-radio-button', { hasText: '已发布' }).click();
    await shot(page, '03-create.png');
    const created = page.waitForResponse((r) => r.url().endsWith('/api/knowledge') && r.request().method() === 'POST');
    await page.click('[data-test="knowledge-edit-save"]');
    const createdResponse = await created;
    expect(createdResponse.status()).toBe(201);
    const article = (await createdResponse.json()) as { id: number; version: number; categoryPath: string; tags: string[]; status: string };
    expect(article).toMatchObject({ categoryPath: '公共服务/供水/停水', tags: ['停水', '送水车'], status: 'published', version: 1 });

    // Editing while another editor saves: the save answers 409, the form shows their version.
    await page.click('[data-test="knowledge-reset"]');
    await page.waitForSelector(`[data-test="knowledge-row-title"]:has-text("${NEW_TITLE}")`);
    const row = page.locator('[data-test="knowledge-table"] tbody tr', { hasText: NEW_TITLE });
    const loaded = page.waitForResponse((r) => r.url().endsWith(`/api/knowledge/${article.id}`) && r.request().method() === 'GET');
    await row.locator('[data-test="knowledge-edit"]').click();
    await loaded;
    const admin = await login(server.url, 'admin');
    const otherBody = '（管理员已更新）停水超过 12 小时的，安排送水车。';
    expect((await call(server.url, 'PATCH', `/api/knowledge/${article.id}`, admin, { version: 1, body: otherBody })).status).toBe(200);
    await page.fill('textarea[data-test="knowledge-edit-body"]', '我的修改');
    const stale = page.waitForResponse((r) => r.url().endsWith(`/api/knowledge/${article.id}`) && r.request().method() === 'PATCH');
    await page.click('[data-test="knowledge-edit-save"]');
    expect((await stale).status()).toBe(409);
    await page.waitForSelector('.el-message:has-text("已被他人修改")');
    await page.waitForFunction((text) => document.querySelector<HTMLTextAreaElement>('textarea[data-test="knowledge-edit-body"]')?.value === text, otherBody);
    await page.waitForSelector('[data-test="knowledge-edit-form"][data-state="loaded"]');
    await page.locator('.el-dialog .el-loading-mask').waitFor({ state: 'hidden' });
    await shot(page, '04-conflict.png');
    await page.click('[data-test="knowledge-edit-cancel"]');
    await dialog.waitFor({ state: 'hidden' });

    // Archive, after confirming: gone from the default list, kept under 已归档.
    await row.locator('[data-test="knowledge-archive"]').click();
    await page.locator('.el-message-box').waitFor({ state: 'visible' });
    await shot(page, '05-archive-confirm.png');
    const archived = page.waitForResponse((r) => r.url().endsWith(`/api/knowledge/${article.id}`) && r.request().method() === 'DELETE');
    await page.locator('.el-message-box__btns .el-button--primary').click();
    expect((await archived).status()).toBe(204);
    await page.waitForSelector(`[data-test="knowledge-row-title"]:has-text("${NEW_TITLE}")`, { state: 'detached' });
    const agent = await login(server.url, 'agent1');
    expect((await call(server.url, 'GET', `/api/knowledge/${article.id}`, agent)).status).toBe(404);
    await context.close();
  });

  it('the agent reads the base without edit buttons', async () => {
    const { context, page } = await signedIn('agent1', { width: 1280, height: 800 });
    const first = listLoaded(page);
    await page.goto(`${server.url}/knowledge`);
    await first;
    await page.waitForSelector('[data-test="knowledge-page"][data-state="loaded"]');
    expect(await page.locator('[data-test="knowledge-create"]:visible').count()).toBe(0);
    expect(await page.locator('[data-test="knowledge-edit"]').count()).toBe(0);
    expect(await page.locator('[data-test="knowledge-row-status"]').allTextContents()).toEqual(Array(14).fill('已发布'));
    await page.locator('[data-test="knowledge-row-title"]', { hasText: '居住证' }).click();
    await page.waitForSelector('[data-test="knowledge-article-body"]');
    expect(await page.textContent('[data-test="knowledge-article-body"]')).toContain('居民身份证原件');
    await shot(page, '06-agent-article.png');

    // On a phone the table becomes a list of cards, and nothing overflows the screen.
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForSelector('[data-test="knowledge-cards"]');
    expect(await page.locator('[data-test="knowledge-row"]').count()).toBe(14);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, '10-page-phone.png');
    await context.close();
  });

  it('beside the intake form: search, read, copy the answer (wide and on a 390 px phone)', async () => {
    const { context, page } = await signedIn('agent1', { width: 1280, height: 800 });
    await page.waitForSelector('[data-test="intake-page"][data-state="loaded"]');
    await page.waitForSelector('[data-test="knowledge-panel"][data-state="loaded"]');
    const searched = page.waitForResponse((r) => r.url().includes('/api/knowledge?') && new URL(r.url()).searchParams.get('q') === '公积金提取');
    await page.fill('input[data-test="knowledge-panel-search"]', '公积金提取');
    await searched;
    await page.waitForSelector('[data-test="knowledge-panel"][data-state="loaded"]');
    expect(await page.locator('[data-test="knowledge-result-title"]').allTextContents()).toEqual(['住房公积金提取条件及办理流程']);
    expect(await page.locator('[data-test="knowledge-result-title"] mark').allTextContents()).toEqual(['公积金提取']);
    await shot(page, '07-intake-panel.png');
    await context.close();

    const phone = await signedIn('agent1', { width: 390, height: 844 });
    const mobile = phone.page;
    await mobile.waitForSelector('[data-test="knowledge-panel"][data-state="loaded"]');
    const typed = mobile.waitForResponse((r) => r.url().includes('/api/knowledge?') && new URL(r.url()).searchParams.get('q') === '供暖');
    await mobile.fill('input[data-test="knowledge-panel-search"]', '供暖');
    await typed;
    await mobile.waitForSelector('[data-test="knowledge-panel"][data-state="loaded"]');
    await mobile.locator('[data-test="knowledge-panel"]').scrollIntoViewIfNeeded();
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(mobile, '08-panel-phone.png');
    await mobile.locator('[data-test="knowledge-result"]').first().click();
    await mobile.waitForSelector('[data-test="knowledge-article-body"]');
    await shot(mobile, '09-article-phone.png');
    await mobile.click('[data-test="knowledge-copy"]');
    await mobile.waitForSelector('.el-message:has-text("已复制")');
    expect(await mobile.evaluate(() => navigator.clipboard.readText())).toContain('云川市法定供暖期为每年 11 月 15 日');
    await mobile.waitForSelector('[data-test="intake-answer-queued"]');
    await phone.context.close();
  });
});
