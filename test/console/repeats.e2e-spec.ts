import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { pickCategory, submitLogin, transitionsSettled } from '../support/console';
import { hasChromium, launchChromium, requireExternal } from '../support/external';
import { call, login, ROOT, type RunningServer, startServer } from '../support/server';

/** Every step, for looking at (gitignored), and the few the operator's guide shows. */
const SCREENSHOTS = join(ROOT, 'test', 'screenshots', 'repeats');
const GUIDE = join(ROOT, 'docs', 'operator-guide', 'img', 'repeats');

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
  children: CategoryNode[];
}

interface Summary {
  id: number;
  number?: string;
}

interface Order {
  id: number;
  number: string;
  version: number;
  status: string;
  leadUnitId: number | null;
  repeatOfId: number | null;
  repeatCount: number;
  disputed: boolean;
  ruledUnitId: number | null;
  linkedOrders: Summary[];
  repeats: Summary[];
}

interface HotspotPage {
  items: { id: number; title: string; address: string; memberCount: number; callerCount: number }[];
}

const flatten = <T extends { children: T[] }>(nodes: T[]): T[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

async function openPage(page: Page, url: string, username: string, path: string, ready: string): Promise<void> {
  await submitLogin(page, url, username);
  await page.waitForURL((target) => !target.pathname.startsWith('/login'));
  await page.goto(`${url}${path}`);
  await page.waitForSelector(ready);
}

/** Picks a unit in a UnitTreeSelect (the element `selector` finds) by typing part of its name and clicking it. */
async function chooseUnit(page: Page, selector: string, name: string): Promise<void> {
  const select = page.locator(selector);
  await select.click();
  await select.locator('input').fill(name.slice(0, 4));
  await page.locator('.el-select-dropdown:visible .el-tree-node__content', { hasText: name }).first().click();
  await transitionsSettled(page);
}

/** Waits until the toasts (ElMessage) have gone, for a screenshot that shows the page itself. */
async function noToasts(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.el-message').length === 0, undefined, { timeout: 10_000 });
}

/** Clicks a button and waits for the POST it sends to the order's action. */
async function act(page: Page, button: string, orderId: number, action: string): Promise<void> {
  const answered = page.waitForResponse((r) => r.url().endsWith(`/api/work-orders/${orderId}/${action}`) && r.request().method() === 'POST');
  await page.click(button);
  expect((await answered).status()).toBe(200);
}

/** Reads the API until `check` holds (background listeners — shirking rules, hotspots — run after the answer). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeout = 15_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Repeats at intake, hotspots and the ruling of a disputed order, in a real Chromium against the built server. */
describeIf('repeats, hotspots and rulings (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let agent: string;
  let units: UnitNode[];
  let categories: CategoryNode[];
  const unit = (code: string) => units.find((u) => u.code === code)!;
  const category = (code: string) => categories.find((c) => c.code === code)!;

  async function register(body: Record<string, unknown>): Promise<Order> {
    const answer = await call<Order>(server.url, 'POST', '/api/work-orders', agent, {
      requestType: 'complaint',
      channel: 'phone',
      districtUnitId: unit('dc').id,
      ...body,
    });
    expect(answer.status).toBe(201);
    return answer.body;
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    mkdirSync(GUIDE, { recursive: true });
    agent = await login(server.url, 'agent1');
    units = flatten((await call<UnitNode[]>(server.url, 'GET', '/api/units', agent)).body);
    categories = flatten((await call<CategoryNode[]>(server.url, 'GET', '/api/categories', agent)).body);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The agent's form for a caller who reported the same street light before. */
  async function fillRepeat(page: Page, phone: string): Promise<void> {
    await openPage(page, server.url, 'agent1', '/intake', '[data-test="intake-page"][data-state="loaded"]');
    await page.locator('[data-field="categoryId"] input').focus();
    await pickCategory(page, '路灯');
    await page.fill('input[data-test="intake-citizen-name"]', '周女士');
    await page.fill('input[data-test="intake-citizen-phone"]', phone);
    await page.fill('input[data-test="intake-address"]', '云川市东城区朝阳街道幸福路18号');
    await page.fill('input[data-test="intake-title"]', '幸福路18号路灯还是不亮');
    await page.fill('textarea[data-test="intake-content"]', '周女士再次来电，幸福路18号门前两盏路灯仍然不亮，已经一个星期了，请尽快维修。');
  }

  let original: Order;
  const phone = '13900005555';

  /** The caller's earlier order, registered once for both intake tests. */
  async function earlierOrder(): Promise<Order> {
    original ??= await register({
      categoryId: category('C010101').id,
      streetUnitId: unit('dc_cy').id,
      address: '云川市东城区朝阳街道幸福路18号',
      title: '幸福路18号门前路灯连续三晚不亮',
      content: '幸福路18号门前两盏路灯连续三个晚上不亮，行人夜间出行不便，请尽快维修。',
      citizenName: '周女士',
      citizenPhone: phone,
    });
    return original;
  }

  it('the agent sees the earlier order of the same caller live while typing', async () => {
    await earlierOrder();

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await fillRepeat(page, phone);

    // Live, before registering: the same caller's earlier order, highlighted, with why it was found.
    const live = page.locator(`[data-test="intake-similar"] [data-test="similar-order"][data-id="${original.id}"]`);
    await live.waitFor();
    expect(await live.getAttribute('class')).toContain('is-same-caller');
    expect(await live.locator('[data-test="similar-reasons"]').textContent()).toContain('同一来电人');
    await page.locator('[data-test="similar-repeat-warning"]').waitFor();
    await transitionsSettled(page);
    await page.screenshot({ path: join(SCREENSHOTS, '01-intake-candidates.png') });
    await page.screenshot({ path: join(GUIDE, 'intake-candidates.png') });
    await page.close();
  });

  it('after registering, the agent marks the new order a repeat of the earlier one and links them from the panel', async () => {
    await earlierOrder();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await fillRepeat(page, phone);
    const registered = page.waitForResponse((r) => r.url().endsWith('/api/work-orders') && r.request().method() === 'POST');
    await page.click('[data-test="intake-submit"]');
    const created = (await (await registered).json()) as Order;
    const candidate = page.locator(`[data-test="registered-candidates"] [data-test="similar-order"][data-id="${original.id}"]`);
    await candidate.waitFor();

    // The detector marks an evident repeat itself right after the answer (the panel follows workOrder.changed); the
    // agent can take it back and decide from the panel.
    expect(created.repeatOfId).toBeNull();
    await page.locator('[data-test="registered-repeat-of"]').getByText(original.number).waitFor();
    expect((await call<Order>(server.url, 'GET', `/api/work-orders/${created.id}`, agent)).body.repeatOfId).toBe(original.id);
    await page.screenshot({ path: join(SCREENSHOTS, '02-auto-marked.png') });
    await act(page, '[data-test="registered-unmark-repeat"]', created.id, 'unmark-repeat');
    await page.locator('[data-test="registered-repeat-of"]').waitFor({ state: 'detached' });

    await act(page, `[data-test="registered-candidates"] [data-id="${original.id}"] [data-action="link"]`, created.id, 'link');
    await candidate.locator('[data-test="candidate-relation"]', { hasText: '已关联' }).waitFor();
    await act(page, `[data-test="registered-candidates"] [data-id="${original.id}"] [data-action="mark-repeat"]`, created.id, 'mark-repeat');
    await candidate.locator('[data-test="candidate-relation"]', { hasText: '已标记为其重复件' }).waitFor();
    await candidate.locator('[data-test="candidate-relation"]', { hasText: '已关联' }).waitFor();
    await page.locator('[data-test="registered-repeat-of"]').getByText(`本单已标记为 ${original.number} 的重复件`).waitFor();
    await noToasts(page);
    await transitionsSettled(page);
    await page.screenshot({ path: join(SCREENSHOTS, '03-marked-and-linked.png') });
    await page.screenshot({ path: join(GUIDE, 'registered-candidates.png') });
    await page.close();

    const after = (await call<Order>(server.url, 'GET', `/api/work-orders/${created.id}`, agent)).body;
    expect(after.repeatOfId).toBe(original.id);
    expect(after.linkedOrders.map((o) => o.id)).toContain(original.id);

    // The original's page lists the repeat, with the count.
    const detail = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await openPage(detail, server.url, 'agent1', `/work-orders/${original.id}`, '.work-order-detail[data-state="loaded"]');
    const repeats = detail.locator('[data-test="related-repeats"]');
    await repeats.getByText(created.number).waitFor();
    expect(await repeats.locator('[data-test="related-count"]').textContent()).toBe('（1）');
    expect(await detail.locator('[data-test="detail-repeat-count"]').textContent()).toContain('重复反映 1 次');
    await detail.click('[data-test="similar-find"]');
    await detail.locator('[data-test="detail-similar"][data-state="loaded"]').waitFor();
    await detail.locator('[data-test="detail-related"]').scrollIntoViewIfNeeded();
    await transitionsSettled(detail);
    await detail.screenshot({ path: join(SCREENSHOTS, '04-original-related.png') });
    await detail.locator('[data-test="detail-related"]').screenshot({ path: join(GUIDE, 'order-related.png') });
    await detail.close();
  });

  it('a supervisor sees the hotspot three callers formed, with its orders', async () => {
    const texts = [
      ['东关新村5号楼前路灯坏了', '东关新村5号楼前面的路灯坏了好几天，晚上一片漆黑，请修一下。', '13900006661'],
      ['东关新村5号楼门口路灯不亮', '东关新村5号楼门口的路灯一直不亮，老人晚上出门不安全。', '13900006662'],
      ['东关新村5号楼路灯晚上不亮', '东关新村5号楼附近路灯晚上不亮，希望尽快维修。', '13900006663'],
    ];
    const members: Order[] = [];
    for (const [title, content, phone] of texts) {
      members.push(
        await register({
          categoryId: category('C010101').id,
          streetUnitId: unit('dc_dg').id,
          address: '云川市东城区东关街道东关新村5号楼',
          title,
          content,
          citizenPhone: phone,
        }),
      );
    }
    const supervisor = await login(server.url, 'supervisor1');
    const hotspots = await eventually(
      () => call<HotspotPage>(server.url, 'GET', '/api/hotspots', supervisor).then((r) => r.body),
      (page) => page.items.some((h) => h.address.includes('东关新村5号楼')),
    );
    const formed = hotspots.items.find((h) => h.address.includes('东关新村5号楼'))!;
    expect(formed.callerCount).toBeGreaterThanOrEqual(3);

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await openPage(page, server.url, 'supervisor1', '/hotspots', '[data-test="hotspots-page"][data-state="loaded"]');
    const row = page.locator('.hotspots__table tbody tr.el-table__row', { has: page.locator(`[data-test="hotspot-row"][data-id="${formed.id}"]`) });
    await row.waitFor();
    expect(await row.locator('[data-test="hotspot-members-count"]').textContent()).toBe(String(formed.memberCount));
    expect(await row.locator('[data-test="hotspot-callers"]').textContent()).toBe(String(formed.callerCount));
    await row.locator('.el-table__expand-icon').click();
    const links = page.locator('[data-test="hotspot-members"] [data-test="hotspot-member"]');
    await links.first().waitFor();
    for (const member of members) await page.locator(`[data-test="hotspot-member"][data-number="${member.number}"]`).waitFor();
    await transitionsSettled(page);
    await page.screenshot({ path: join(SCREENSHOTS, '05-hotspots.png') });
    await page.screenshot({ path: join(GUIDE, 'hotspots.png') });

    // A fourth caller while the page is open: the hotspot grows on the screen (hotspot.changed).
    const fourth = await register({
      categoryId: category('C010101').id,
      streetUnitId: unit('dc_dg').id,
      address: '云川市东城区东关街道东关新村5号楼',
      title: '东关新村5号楼路灯坏了没人修',
      content: '东关新村5号楼前的路灯坏了一周了，一直没有人来修。',
      citizenPhone: '13900006664',
    });
    await page.locator(`[data-test="hotspot-member"][data-number="${fourth.number}"]`).waitFor({ timeout: 15_000 });
    await row.locator('[data-test="hotspot-members-count"]', { hasText: String(formed.memberCount + 1) }).waitFor();
    await page.close();
  });

  it('a supervisor rules a disputed order, and the ruled unit can no longer return it', async () => {
    const dispatcher = await login(server.url, 'dispatcher1');
    const supervisor = await login(server.url, 'supervisor1');
    let order = await register({
      categoryId: category('C010102').id,
      streetUnitId: unit('dc_cy').id,
      address: '云川市东城区朝阳街道新华路与朝阳路交叉口',
      title: '新华路朝阳路口路面塌陷',
      content: '新华路与朝阳路交叉口东侧路面塌陷一个大坑，车辆经过很危险，请尽快处理。',
      citizenPhone: '13900007777',
    });
    const step = async (token: string, action: string, body: Record<string, unknown>) => {
      const answer = await call<Order>(server.url, 'POST', `/api/work-orders/${order.id}/${action}`, token, { version: order.version, ...body });
      expect({ action, status: answer.status }).toEqual({ action, status: 200 });
      order = answer.body;
    };
    // Dispatched to two units in turn; each returns it ("not ours"), the center approves: returned twice = disputed.
    for (const [code, other] of [['zjj', 'cgj'], ['cgj', 'zjj']] as const) {
      await step(dispatcher, 'dispatch', { leadUnitId: unit(code).id });
      await step(await login(server.url, `${code}_admin`), 'return', { reasonCode: 'not_our_responsibility', reason: '不属于本单位职责', suggestedUnitId: unit(other).id });
      await step(dispatcher, 'approve-return', {});
    }
    order = await eventually(
      () => call<Order>(server.url, 'GET', `/api/work-orders/${order.id}`, supervisor).then((r) => r.body),
      (current) => current.disputed,
    );
    expect(order.disputed).toBe(true);

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await openPage(page, server.url, 'supervisor1', '/shirking', '[data-test="shirking-page"][data-state="loaded"]');
    const row = page.locator('[data-test="shirking-queue"] tr.el-table__row', { has: page.locator(`a[data-number="${order.number}"]`) });
    await row.waitFor();
    await row.locator('[data-test="shirking-disputed-tag"]').waitFor();
    expect(await row.locator('[data-test="shirking-flag"][data-rule="returned"]').count()).toBeGreaterThan(0);
    await noToasts(page);
    await transitionsSettled(page);
    await page.screenshot({ path: join(SCREENSHOTS, '06-shirking-queue.png') });
    await page.screenshot({ path: join(GUIDE, 'shirking-queue.png') });

    await page.click('[data-test="shirking-tabs"] #tab-units');
    await page.locator('[data-test="shirking-units"] [data-test="shirking-unit-name"]', { hasText: unit('zjj').name }).waitFor();
    await transitionsSettled(page);
    await page.waitForFunction(() => {
      const bar = document.querySelector<HTMLElement>('[data-test="shirking-tabs"] .el-tabs__active-bar');
      const tab = document.querySelector<HTMLElement>('[data-test="shirking-tabs"] #tab-units');
      return !!bar && !!tab && Math.abs(bar.getBoundingClientRect().left - tab.getBoundingClientRect().left) < 24;
    });
    await page.screenshot({ path: join(SCREENSHOTS, '07-shirking-units.png') });
    await page.screenshot({ path: join(GUIDE, 'shirking-units.png') });
    await page.click('[data-test="shirking-tabs"] #tab-queue');

    await row.locator('[data-test="shirking-rule-action"]').click();
    await page.locator('[data-test="rule-form"]').waitFor();
    // The reason is required: submitting without one sends nothing.
    await page.click('[data-test="rule-form"] [data-test="action-submit"]');
    await page.locator('[data-test="rule-form"] .el-form-item.is-error').first().waitFor();
    await chooseUnit(page, '[data-test="rule-form"] [data-test="rule-lead"]', unit('zjj').name);
    await page.fill('[data-test="rule-form"] textarea[data-test="rule-reason"]', '路面塌陷属于市政道路设施养护，由住建局主办');
    await transitionsSettled(page);
    await page.locator('.el-dialog').screenshot({ path: join(SCREENSHOTS, '08-ruling-dialog.png') });
    await page.locator('.el-dialog').screenshot({ path: join(GUIDE, 'ruling-dialog.png') });
    await act(page, '[data-test="rule-form"] [data-test="action-submit"]', order.id, 'rule');
    // The ruling settles the dispute flags: the order leaves the queue of open flags, and shows as ruled among all.
    await row.waitFor({ state: 'detached' });
    await page.click('[data-test="shirking-open"]');
    await row.locator('[data-test="shirking-ruled"]').waitFor();
    await page.close();

    const ruled = (await call<Order>(server.url, 'GET', `/api/work-orders/${order.id}`, supervisor)).body;
    expect(ruled.status).toBe('dispatched');
    expect(ruled.leadUnitId).toBe(unit('zjj').id);
    expect(ruled.ruledUnitId).toBe(unit('zjj').id);
    const unitAdmin = await login(server.url, 'zjj_admin');
    const refused = await call<{ message: string }>(server.url, 'POST', `/api/work-orders/${order.id}/return`, unitAdmin, {
      version: ruled.version,
      reasonCode: 'not_our_responsibility',
      reason: '仍不属于本单位职责',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/rul/i);

    // The order page shows the ruling; the unit sees no return button.
    const detail = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await openPage(detail, server.url, 'zjj_admin', `/work-orders/${order.id}`, '.work-order-detail[data-state="loaded"]');
    await detail.locator('[data-test="detail-ruled-tag"]').waitFor();
    await detail.locator('[data-test="detail-ruling"] [data-test="ruling-unit"]', { hasText: unit('zjj').name }).waitFor();
    expect(await detail.locator('[data-test="detail-actions"] [data-action="return"]').count()).toBe(0);
    await detail.locator('[data-test="detail-ruling"]').scrollIntoViewIfNeeded();
    await noToasts(detail);
    await transitionsSettled(detail);
    await detail.screenshot({ path: join(SCREENSHOTS, '09-ruled-order.png') });
    await detail.locator('[data-test="detail-ruling"]').screenshot({ path: join(GUIDE, 'ruled-order.png') });
    await detail.close();
  });
});
