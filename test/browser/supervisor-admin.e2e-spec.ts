import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { submitLogin, transitionsSettled } from '../support/console';
import { hasChromium, launchChromium, requireExternal } from '../support/external';
import { call, login, ROOT, type RunningServer, startServer } from '../support/server';

/** Every step, for looking at (gitignored), and the few the operator's guides show. */
const SCREENSHOTS = join(ROOT, 'test', 'screenshots', 'supervisor-admin');
const SUPERVISOR_GUIDE = join(ROOT, 'docs', 'operator-guide', 'img', 'supervisor');
const ADMIN_GUIDE = join(ROOT, 'docs', 'operator-guide', 'img', 'admin');

const runs = requireExternal('Chromium', hasChromium(), `install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
const describeIf = runs ? describe : describe.skip;

interface Figure {
  count: number;
  query: Record<string, string | number | boolean>;
}

interface Dashboard {
  todayIntake: Figure;
  open: Figure;
  overdue: Figure;
  yellow: Figure;
  openByStatus: (Figure & { status: string })[];
  units: (Record<'open' | 'overdue' | 'yellow' | 'received' | 'closed', Figure> & { code: string; name: string })[];
}

/** The list filters GET /api/work-orders has: a figure drills into the list only through these. */
const LIST_FILTERS = new Set(['status', 'open', 'warning', 'channel', 'requestType', 'categoryId', 'leadUnitId', 'createdFrom', 'createdTo']);
const listable = (figure: Figure) => figure.count > 0 && Object.keys(figure.query).every((name) => LIST_FILTERS.has(name));

interface CategoryNode {
  id: number;
  code: string;
  children: CategoryNode[];
}

const flatten = <T extends { children: T[] }>(nodes: T[]): T[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

/**
 * The dashboard once the deadline scheduler (ticking every second here) has set the demo orders' warning levels:
 * the same warned figures twice in a row, some of them non-zero.
 */
async function settledDashboard(url: string): Promise<Dashboard> {
  const token = await login(url, 'supervisor1');
  let previous = '';
  for (let attempt = 0; attempt < 40; attempt++) {
    const body = (await call<Dashboard>(url, 'GET', '/api/dashboard', token)).body;
    const key = JSON.stringify([body.overdue.count, body.yellow.count, body.units.map((row) => [row.overdue.count, row.yellow.count])]);
    if (key === previous && body.overdue.count + body.yellow.count > 0) return body;
    previous = key;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
  }
  throw new Error('The warning levels did not settle');
}

async function openPage(page: Page, url: string, username: string, path: string, marker: string): Promise<void> {
  await submitLogin(page, url, username);
  await page.waitForURL((target) => !target.pathname.startsWith('/login'));
  await page.goto(`${url}${path}`);
  await page.waitForSelector(`[data-test="${marker}"][data-state="loaded"]`);
}

/** Waits until an Element Plus dialog has finished fading in, for a clean screenshot. */
async function dialogOpened(page: Page, testId: string): Promise<void> {
  await page.locator(`[data-test="${testId}"]`).waitFor();
  await page.waitForFunction(() => !document.querySelector('.dialog-fade-enter-active'));
}

/** Picks an option of an el-select by its visible text. */
async function choose(page: Page, select: string, text: string): Promise<void> {
  await page.locator(select).click();
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: text }).first().click();
  await transitionsSettled(page);
}

/** Picks a unit in a UnitTreeSelect by typing part of its name and clicking it. */
async function chooseUnit(page: Page, within: string, name: string): Promise<void> {
  const select = page.locator(`${within} [data-testid="unit-tree-select"]`);
  await select.click();
  await select.locator('input').fill(name.slice(0, 3));
  await page.locator('.el-select-dropdown:visible .el-tree-node__content', { hasText: name }).first().click();
  await transitionsSettled(page);
}

describeIf('supervisor dashboard and administration (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    // The deadline scheduler runs (every second), so the demo orders get their yellow and red warning levels.
    server = await startServer({ ESCALATION_TICK_SECONDS: '1' });
    browser = await launchChromium();
    for (const directory of [SCREENSHOTS, SUPERVISOR_GUIDE, ADMIN_GUIDE]) mkdirSync(directory, { recursive: true });
    // A few orders registered today, through several channels and of several types.
    const agent = await login(server.url, 'agent1');
    const categories = flatten((await call<CategoryNode[]>(server.url, 'GET', '/api/categories', agent)).body);
    const today: [string, string, string, string][] = [
      ['phone', 'C010101', 'report', '幸福路路灯不亮'],
      ['wechat', 'C020101', 'complaint', '农贸市场门口占道经营'],
      ['web', 'C060201', 'consultation', '咨询灵活就业社保缴费'],
      ['phone', 'C020102', 'complaint', '小区垃圾两天未清运'],
      ['app', 'C010101', 'report', '东关路口路灯闪烁'],
    ];
    for (const [channel, code, requestType, title] of today) {
      const registered = await call(server.url, 'POST', '/api/work-orders', agent, {
        requestType,
        channel,
        categoryId: categories.find((c) => c.code === code)!.id,
        address: '云川市东城区朝阳街道幸福路18号',
        title,
        content: `${title}，请尽快处理。`,
        citizenName: '王先生',
        citizenPhone: '13900003333',
      });
      expect(registered.status).toBe(201);
    }
    await settledDashboard(server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the supervisor’s dashboard shows the figures of GET /api/dashboard, and a figure opens the list of exactly its orders', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await openPage(page, server.url, 'supervisor1', '/dashboard', 'dashboard');
    await page.waitForSelector('[data-test="chart-trend"] canvas');
    await page.waitForTimeout(600); // the charts' entry animation, for the screenshot only
    const api = (await call<Dashboard>(server.url, 'GET', '/api/dashboard', await login(server.url, 'supervisor1'))).body;

    for (const key of ['todayIntake', 'open', 'overdue', 'yellow'] as const) {
      expect({ key, count: Number(await page.getAttribute(`[data-test="stat-${key}"]`, 'data-count')) }).toEqual({ key, count: api[key].count });
    }
    for (const figure of api.openByStatus) {
      expect(Number(await page.getAttribute(`[data-test="open-status-${figure.status}"]`, 'data-count'))).toBe(figure.count);
    }
    for (const row of api.units) {
      for (const key of ['open', 'overdue', 'yellow', 'received', 'closed'] as const) {
        expect({ unit: row.code, key, count: Number(await page.getAttribute(`[data-test="unit-${row.code}-${key}"]`, 'data-count')) }).toEqual({ unit: row.code, key, count: row[key].count });
      }
    }
    expect(await page.locator('[data-test="dashboard-scope"]').textContent()).toContain('全市');
    await page.screenshot({ path: join(SCREENSHOTS, '01-dashboard.png') });
    await page.screenshot({ path: join(SUPERVISOR_GUIDE, 'dashboard.png') });
    for (const [part, name] of [['chart-trend', 'trend'], ['chart-categories', 'categories'], ['unit-table-card', 'unit-table']]) {
      const card = page.locator(`[data-test="${part}"]`);
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: join(SCREENSHOTS, `02-${name}.png`) });
      await card.screenshot({ path: join(SUPERVISOR_GUIDE, `${name}.png`) });
    }

    // A stat card whose filters the list has (overdue → warning=red, due soon, today's intake), else an open status.
    const cards = (['overdue', 'yellow', 'todayIntake'] as const).filter((key) => listable(api[key]));
    const status = api.openByStatus.find(listable);
    const target = cards.length > 0 ? { selector: `[data-test="stat-${cards[0]}"]`, figure: api[cards[0]] } : { selector: `[data-test="open-status-${status!.status}"]`, figure: status! };
    const listed = page.waitForResponse((response) => response.url().includes('/api/work-orders?') && response.request().method() === 'GET');
    await page.click(target.selector);
    const list = (await (await listed).json()) as { total: number; items: unknown[] };
    await page.waitForSelector('[data-test="work-order-table"][data-state="loaded"]');
    const url = new URL(page.url());
    expect(url.pathname).toBe('/work-orders');
    // The list asked the API with the figure's own filters.
    const asked = new URL((await listed).url()).searchParams;
    for (const [name, value] of Object.entries(target.figure.query)) {
      const sent = asked.get(name);
      expect({ name, sent: name.startsWith('created') && sent ? new Date(sent).getTime() : sent }).toEqual({ name, sent: name.startsWith('created') ? new Date(String(value)).getTime() : String(value) });
    }
    expect(list.total).toBe(target.figure.count);
    expect(await page.locator('.el-pagination__total').first().textContent()).toContain(String(target.figure.count));
    await page.screenshot({ path: join(SCREENSHOTS, '03-drilled-list.png') });
    await page.close();
  });

  it('on a phone the dashboard stacks its cards and charts without scrolling sideways', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await openPage(page, server.url, 'supervisor1', '/dashboard', 'dashboard');
    await page.waitForSelector('[data-test="chart-trend"] canvas');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, '04-dashboard-phone.png'), fullPage: true });
    await page.close();
  });

  it('the administrator creates a unit, a user (one-time password shown once) and a category', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await openPage(page, server.url, 'admin', '/admin/units', 'unit-admin');
    await page.fill('input[data-test="unit-search"]', '东城');
    await page.locator('[data-test="unit-node-dc"]').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '05-units-search.png') });
    await page.click('[data-test="unit-add-dc"]');
    await dialogOpened(page, 'unit-dialog');
    await page.fill('input[data-test="unit-code"]', 'dc_hp');
    await page.fill('input[data-test="unit-name"]', '和平街道办事处');
    await choose(page, '[data-test="unit-type"]', '街镇');
    await page.screenshot({ path: join(SCREENSHOTS, '06-unit-dialog.png') });
    await page.locator('.el-dialog').screenshot({ path: join(ADMIN_GUIDE, 'unit-dialog.png') });
    const created = page.waitForResponse((response) => response.url().endsWith('/api/units') && response.request().method() === 'POST');
    await page.click('[data-test="unit-save"]');
    expect((await created).status()).toBe(201);
    await page.waitForSelector('[data-test="unit-admin"][data-state="loaded"]');
    await page.fill('input[data-test="unit-search"]', '');
    await page.locator('[data-test="unit-node-dc_hp"]').waitFor();
    await page.locator('.el-message').waitFor({ state: 'detached' });
    await transitionsSettled(page);
    await page.screenshot({ path: join(SCREENSHOTS, '07-unit-created.png') });
    await page.screenshot({ path: join(ADMIN_GUIDE, 'units.png') });

    await page.goto(`${server.url}/admin/users`);
    await page.waitForSelector('[data-test="user-admin"][data-state="loaded"]');
    await page.screenshot({ path: join(SCREENSHOTS, '08-users.png') });
    await page.screenshot({ path: join(ADMIN_GUIDE, 'users.png') });
    await page.click('[data-test="user-add"]');
    await dialogOpened(page, 'user-dialog');
    await page.fill('input[data-test="user-username"]', 'dc_hp_handler');
    await page.fill('input[data-test="user-display-name"]', '和平街道承办人周敏');
    await choose(page, '[data-test="user-role"]', '承办人员');
    await chooseUnit(page, '[data-test="user-dialog"]', '和平街道办事处');
    await page.screenshot({ path: join(SCREENSHOTS, '09-user-dialog.png') });
    await page.click('[data-test="user-save"]');
    await dialogOpened(page, 'one-time-password-dialog');
    const password = (await page.locator('[data-test="one-time-password"]').textContent())?.trim() ?? '';
    expect(password.length).toBeGreaterThanOrEqual(10);
    await page.screenshot({ path: join(SCREENSHOTS, '10-one-time-password.png') });
    await page.locator('.el-dialog:visible').last().screenshot({ path: join(ADMIN_GUIDE, 'one-time-password.png') });
    // The password works (the account must change it first) and is not shown again once the dialog is closed.
    const loggedIn = await call<{ user: { mustChangePassword: boolean } }>(server.url, 'POST', '/api/auth/login', undefined, { username: 'dc_hp_handler', password });
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.body.user.mustChangePassword).toBe(true);
    await page.click('[data-test="one-time-password-done"]');
    await page.locator('[data-test="one-time-password"]').waitFor({ state: 'detached' });
    await page.waitForSelector('[data-test="user-admin"][data-state="loaded"]');
    await page.fill('input[data-test="user-keyword"]', 'dc_hp');
    const searched = page.waitForResponse((response) => response.url().includes('/api/users?') && response.url().includes('keyword=dc_hp'));
    await page.click('[data-test="user-search"]');
    await searched;
    await page.waitForSelector('[data-test="user-admin"][data-state="loaded"]');
    expect(await page.locator('[data-test="user-table"]').textContent()).toContain('dc_hp_handler');
    expect(await page.locator('[data-test="user-table"]').textContent()).toContain('待改密');
    await page.screenshot({ path: join(SCREENSHOTS, '11-user-created.png') });

    await page.goto(`${server.url}/admin/categories`);
    await page.waitForSelector('[data-test="category-admin"][data-state="loaded"]');
    await page.screenshot({ path: join(SCREENSHOTS, '12-categories.png') });
    await page.screenshot({ path: join(ADMIN_GUIDE, 'categories.png') });
    await page.click('[data-test="category-add-root"]');
    await dialogOpened(page, 'category-dialog');
    await page.fill('input[data-test="category-code"]', 'C99');
    await page.fill('input[data-test="category-name"]', '社区服务');
    await chooseUnit(page, '[data-test="category-dialog"]', '和平街道办事处');
    await choose(page, '[data-test="category-type"]', '求助');
    await page.screenshot({ path: join(SCREENSHOTS, '13-category-dialog.png') });
    await page.locator('.el-dialog:visible').screenshot({ path: join(ADMIN_GUIDE, 'category-dialog.png') });
    const category = page.waitForResponse((response) => response.url().endsWith('/api/categories') && response.request().method() === 'POST');
    await page.click('[data-test="category-save"]');
    const answer = await category;
    expect(answer.status()).toBe(201);
    expect(await answer.json()).toMatchObject({ code: 'C99', name: '社区服务', defaultRequestType: 'help', level: 1 });
    await page.locator('[data-test="category-node-C99"]').waitFor();
    expect(await page.locator('[data-test="category-node-C99"]').textContent()).toContain('和平街道办事处');
    await page.locator('.el-message').waitFor({ state: 'detached' });
    await transitionsSettled(page);
    await page.screenshot({ path: join(SCREENSHOTS, '14-category-created.png') });
    await page.close();
  });
});
