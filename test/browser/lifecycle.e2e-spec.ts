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
async function logIn(page: Page, url: string, username: string, password?: string): Promise<void> {
  await submitLogin(page, url, username, password);
  await page.waitForURL((target) => !target.pathname.startsWith('/login'));
  await page.goto(`${url}/work-orders`);
  await page.waitForSelector('[data-test="work-order-table"][data-state="loaded"]');
}

interface UnitNode {
  id: number;
  code: string;
  children: UnitNode[];
}

interface Order {
  id: number;
  version: number;
  status: string;
}

const flatten = (nodes: UnitNode[]): UnitNode[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

/** Issue 7 in a real Chromium against the built server: a one-time password is changed at the first login; assisting units' parts on the order. */
describeIf('lifecycle in the console (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let units: Map<string, number>;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    const admin = await login(server.url, 'admin');
    const tree = await call<UnitNode[]>(server.url, 'GET', '/api/units', admin);
    units = new Map(flatten(tree.body).map((u) => [u.code, u.id]));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a new agent logs in with the one-time password, must change it first, then works with the new one', async () => {
    const admin = await login(server.url, 'admin');
    const created = await call<{ oneTimePassword: string }>(server.url, 'POST', '/api/users', admin, {
      username: 'agent_new',
      displayName: '新话务员',
      role: 'agent',
      unitId: units.get('center'),
    });
    expect(created.status).toBe(201);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await submitLogin(page, server.url, 'agent_new', created.body.oneTimePassword);
    await page.waitForSelector('[data-test="must-change-notice"]');
    expect(page.url()).toContain('/change-password');
    // Any other page sends the user back here.
    await page.goto(`${server.url}/work-orders`);
    await page.waitForSelector('[data-test="must-change-notice"]');
    await page.screenshot({ path: join(SCREENSHOTS, 'change-password.png'), fullPage: false });

    await page.fill('input[data-test="current-password"]', created.body.oneTimePassword);
    await page.fill('input[data-test="new-password"]', 'Hotline2026new');
    await page.fill('input[data-test="confirm-password"]', 'Hotline2026new');
    await page.click('[data-test="change-password-submit"]');
    await page.waitForURL(/\/login/);

    await logIn(page, server.url, 'agent_new', 'Hotline2026new');
    await page.close();
  });

  it("the lead unit sees each assisting unit's part on the order: submitted text, or not yet submitted", async () => {
    const agent = await login(server.url, 'agent1');
    const categories = await call<{ id: number; children?: { id: number; children?: { id: number }[] }[] }[]>(server.url, 'GET', '/api/categories', agent);
    const leaf = categories.body.flatMap((c) => c.children ?? []).flatMap((c) => c.children ?? [])[0];
    const registered = await call<Order>(server.url, 'POST', '/api/work-orders', agent, {
      channel: 'phone',
      categoryId: leaf.id,
      address: '云川市东城区朝阳街道幸福路12号',
      title: '幸福路井盖破损需多部门处理',
      content: '幸福路12号门前井盖破损，夜间有安全隐患，需城管与住建部门协同处理。',
      citizenName: '王先生',
      citizenPhone: '13800001234',
    });
    expect(registered.status).toBe(201);
    const dispatcher = await login(server.url, 'dispatcher1');
    const dispatched = await call<Order>(server.url, 'POST', `/api/work-orders/${registered.body.id}/dispatch`, dispatcher, {
      version: registered.body.version,
      leadUnitId: units.get('cgj'),
      assistingUnitIds: [units.get('zjj'), units.get('dc')],
    });
    expect(dispatched.status).toBe(200);
    const zjj = await login(server.url, 'zjj_handler');
    const part = await call<Order>(server.url, 'POST', `/api/work-orders/${registered.body.id}/assist-reply`, zjj, {
      version: dispatched.body.version,
      content: '住建局已安排检修队更换井盖，预计两日内完成。',
    });
    expect(part.status).toBe(200);

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await logIn(page, server.url, 'cgj_handler');
    await page.goto(`${server.url}/work-orders/${registered.body.id}`);
    const submitted = page.locator('[data-test="assist-part"][data-unit="zjj"] [data-test="assist-reply"]');
    await submitted.waitFor();
    expect(await submitted.textContent()).toContain('住建局已安排检修队更换井盖');
    expect(await page.locator('[data-test="assist-part"][data-unit="dc"] [data-test="assist-reply"]').textContent()).toContain('未提交');
    await page.locator('[data-test="assist-part"]').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'assisting-parts.png'), fullPage: true });
    await page.close();
  });
});
