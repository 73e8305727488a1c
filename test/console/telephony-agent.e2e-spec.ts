import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, pickCategory, submitLogin, transitionsSettled } from '../support/console';
import { hasChromium, launchChromium, requireExternal } from '../support/external';
import { call, login, ROOT, type RunningServer, startServer } from '../support/server';

/** Every step, for looking at (gitignored), and the ones the operator's guide shows. */
const SCREENSHOTS = join(ROOT, 'test', 'screenshots', 'telephony-agent');
const GUIDE = join(ROOT, 'docs', 'operator-guide', 'img', 'telephony');

const runs = requireExternal('Chromium', hasChromium(), `install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
const describeIf = runs ? describe : describe.skip;

/** The bridge's shared secret (CTI_TOKEN), sent as the bridge sends it. */
const CTI_TOKEN = 'e2e-telephony-agent-cti-token';
/** A demo caller with an earlier order (路灯, demo-data/demo-requests.ts); the test gives them an open one too. */
const CALLER = '18334356856';
const EXTENSION = '8001';

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

interface CallDetail {
  id: number;
  callId: string;
  status: string;
  workOrders: { id: number; number: string }[];
}

interface RouteAnswer {
  callId: string;
  agent: { username: string };
  extension: string;
}

const flatten = <T extends { children: T[] }>(nodes: T[]): T[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);

/** The agent's state as the header shows it (data-state of the control). */
const headerState = (page: Page, state: string) => page.waitForSelector(`[data-test="agent-status"][data-state="${state}"]`);

/** Waits until the toasts (ElMessage) have gone, for a screenshot that shows the page itself. */
async function noToasts(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.el-message').length === 0, undefined, { timeout: 10_000 });
}

/** The agent's console in Chromium: state in the header, screen pop, intake from the call, orders linked to it (issue 12). */
describeIf('the agent’s telephony desk (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: string;
  let agentToken: string;
  let sequence = 0;

  /** A CTI event as the bridge (or a PBX) posts it. */
  async function cti(body: Record<string, unknown>): Promise<void> {
    const answer = await fetch(`${server.url}/api/cti/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${CTI_TOKEN}` },
      body: JSON.stringify({ at: new Date().toISOString(), ...body }),
    });
    expect({ event: body.event, status: answer.status }).toEqual({ event: body.event, status: 200 });
  }

  /** The ACD's route of a call (the bridge asks it once the caller is queued): which agent's phone to ring. */
  async function route(callId: string): Promise<RouteAnswer> {
    const answer = await fetch(`${server.url}/api/cti/calls/${encodeURIComponent(callId)}/route`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${CTI_TOKEN}` },
    });
    expect(answer.status).toBe(200);
    return (await answer.json()) as RouteAnswer;
  }

  /** A call from `from` arrives, is queued and offered to the ready agent. */
  async function incomingCall(from: string): Promise<string> {
    sequence += 1;
    const callId = `e2e-agent-${Date.now()}-${sequence}@bridge`;
    await cti({ event: 'newCall', callId, from, to: '12345', direction: 'inbound' });
    await cti({ event: 'queued', callId });
    const routed = await route(callId);
    expect(routed).toMatchObject({ callId, extension: EXTENSION, agent: { username: 'agent1' } });
    return callId;
  }

  async function callRecord(callId: string): Promise<CallDetail> {
    const page = await call<{ items: CallDetail[] }>(server.url, 'GET', `/api/calls?phone=${CALLER}&pageSize=100`, admin);
    const found = page.body.items.find((item) => item.callId === callId);
    if (!found) throw new Error(`No call record for ${callId}`);
    return (await call<CallDetail>(server.url, 'GET', `/api/calls/${found.id}`, admin)).body;
  }

  /** Fills the intake form (the phone is there from the call) and registers; waits for the order and its link to the call. */
  async function registerFromCall(page: Page, title: string, recordId: number): Promise<number> {
    await page.locator('[data-field="categoryId"] input').first().click();
    await pickCategory(page, '路灯');
    await page.fill('input[data-test="intake-citizen-name"]', '董先生');
    await page.fill('input[data-test="intake-address"]', '朝阳街道朝阳路18号至26号');
    await page.fill('input[data-test="intake-title"]', title);
    await page.fill('textarea[data-test="intake-content"]', `${title}。来电人请求尽快处理。`);
    const registered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/work-orders' && r.request().method() === 'POST');
    const linked = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/calls/${recordId}/work-orders` && r.request().method() === 'POST');
    await page.click('[data-test="intake-submit"]');
    const order = await registered;
    expect(order.status()).toBe(201);
    expect((await linked).status()).toBe(200);
    await page.waitForSelector('[data-test="registered-call-link"][data-state="linked"]');
    return ((await order.json()) as { id: number }).id;
  }

  beforeAll(async () => {
    server = await startServer({ CTI_TOKEN });
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    mkdirSync(GUIDE, { recursive: true });
    admin = await login(server.url, 'admin');
    agentToken = await login(server.url, 'agent1');
    const me = await call<{ id: number }>(server.url, 'GET', '/api/me', agentToken);
    // agent1's phone (the demo data may have given it already: then this changes nothing but the password).
    const phone = await call(server.url, 'PUT', `/api/cti/agent-phones/${EXTENSION}`, admin, { userId: me.body.id, password: DEMO_PASSWORD });
    expect(phone.status).toBe(200);

    // The caller has an open order: the screen pop must show it as a likely repeat.
    const units = flatten((await call<UnitNode[]>(server.url, 'GET', '/api/units', admin)).body);
    const categories = flatten((await call<CategoryNode[]>(server.url, 'GET', '/api/categories', admin)).body);
    const open = await call(server.url, 'POST', '/api/work-orders', agentToken, {
      requestType: 'report',
      channel: 'phone',
      categoryId: categories.find((c) => c.code === 'C010101')!.id,
      districtUnitId: units.find((u) => u.code === 'dc')!.id,
      streetUnitId: units.find((u) => u.code === 'dc_cy')!.id,
      citizenName: '董先生',
      citizenPhone: CALLER,
      address: '朝阳街道朝阳路22号',
      title: '朝阳路22号门前路灯杆倾斜',
      content: '朝阳路22号门前一根路灯杆明显倾斜，担心倒下伤人。',
    });
    expect(open.status).toBe(201);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sets ready, gets the screen pop, takes the call to intake and links the orders registered to it', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    await submitLogin(page, server.url, 'agent1');
    await page.waitForURL(/\/intake$/);
    await page.waitForSelector('[data-test="intake-page"][data-state="loaded"]');

    // The header: a fresh agent is offline; the menu sets ready.
    await headerState(page, 'offline');
    expect(await page.textContent('[data-test="agent-status-label"]')).toBe('离线');
    await page.click('[data-test="agent-status-button"]');
    await page.locator('[data-test="agent-state-ready"]').waitFor({ state: 'visible' });
    await transitionsSettled(page);
    await page.screenshot({ path: join(GUIDE, 'agent-state-menu.png'), clip: { x: 300, y: 0, width: 720, height: 200 } });
    const put = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/cti/agents/me/state' && r.request().method() === 'PUT');
    await page.click('[data-test="agent-state-ready"]');
    expect((await put).status()).toBe(200);
    await headerState(page, 'ready');
    expect(await page.textContent('[data-test="agent-status-label"]')).toBe('就绪');
    await page.waitForFunction(() => /^\d+:\d\d$/.test(document.querySelector('[data-test="agent-status-time"]')?.textContent ?? ''));

    // A call: the ACD rings agent1, whose console pops it — number, likely repeat, earlier orders.
    const callId = await incomingCall(CALLER);
    await page.waitForSelector('[data-test="screen-pop"][data-phase="ringing"]');
    await headerState(page, 'ringing');
    expect(await page.textContent('[data-test="agent-status-label"]')).toBe('振铃');
    expect(await page.textContent('[data-test="screen-pop-phone"]')).toBe(CALLER);
    expect(await page.locator('[data-test="screen-pop-repeat"]').first().textContent()).toContain('朝阳路22号门前路灯杆倾斜');
    const earlier = await page.locator('[data-test="screen-pop-order"]').allTextContents();
    expect(earlier.length).toBeGreaterThanOrEqual(2);
    expect(earlier.join('\n')).toContain('朝阳路路灯连续多晚不亮');
    await noToasts(page);
    await page.screenshot({ path: join(GUIDE, 'agent-screen-pop.png') });

    // The agent answers on the phone: busy in the call, as the server pushes.
    await cti({ event: 'answer', callId, answeringAgent: EXTENSION });
    await headerState(page, 'busy');
    await page.waitForSelector('[data-test="screen-pop"][data-phase="inCall"]');
    expect(await page.textContent('[data-test="agent-status-label"]')).toBe('忙碌');

    // 受理: the intake page with the caller's number and history.
    await page.click('[data-test="screen-pop-accept"]');
    await page.waitForSelector('[data-test="screen-pop"]', { state: 'detached' });
    await page.waitForURL(/\/intake$/);
    await page.waitForSelector('[data-test="incoming-call-state"][data-state="active"]');
    expect(await page.textContent('[data-test="incoming-call-telephony"]')).toContain('话务来电');
    expect(await page.inputValue('input[data-test="intake-citizen-phone"]')).toBe(CALLER);
    await page.waitForSelector('[data-test="caller-history"][data-state="loaded"]');
    expect(await page.locator('[data-test="caller-history-item"]').count()).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(SCREENSHOTS, '01-intake-from-call.png') });

    const record = await callRecord(callId);
    const first = await registerFromCall(page, '朝阳路路灯修好后又不亮了', record.id);
    await noToasts(page);
    // The registered panel's head: the order's number and the call it is linked to.
    await page.locator('[data-test="registered-panel"]').evaluate((panel) => panel.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(GUIDE, 'agent-order-linked.png') });

    // The caller has a second matter in the same call: another order, linked to the call too.
    await page.click('[data-test="same-call-next"]');
    await page.waitForSelector('[data-test="intake-form-card"]');
    expect(await page.inputValue('input[data-test="intake-citizen-phone"]')).toBe(CALLER);
    const second = await registerFromCall(page, '朝阳路人行道井盖缺失', record.id);

    const linked = await callRecord(callId);
    expect(linked.workOrders.map((order) => order.id).sort()).toEqual([first, second].sort());

    // The caller hangs up: the agent is ready again (pushed); the desk keeps the call until the agent ends it.
    await cti({ event: 'hangup', callId, cause: 'normalClearing' });
    await headerState(page, 'ready');
    expect(await page.locator('[data-test="incoming-call-state"]').getAttribute('data-state')).toBe('active');
    await page.click('[data-test="next-call"]');
    await page.waitForSelector('[data-test="incoming-call-state"][data-state="idle"]');
    await page.close();
  });

  it('pops a ringing call again after a reload, and drops it when the phone rings out (the agent is set away)', async () => {
    const ready = await call(server.url, 'PUT', '/api/cti/agents/me/state', agentToken, { state: 'ready' });
    expect(ready.status).toBe(200);
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    await submitLogin(page, server.url, 'agent1');
    await page.waitForURL(/\/intake$/);
    await headerState(page, 'ready');

    const callId = await incomingCall(CALLER);
    await page.waitForSelector('[data-test="screen-pop"][data-phase="ringing"]');
    // 稍后: the pop goes aside; the header's button brings it back.
    await page.click('[data-test="screen-pop-later"]');
    await page.waitForSelector('[data-test="screen-pop-reopen"]');
    await noToasts(page);
    await page.screenshot({ path: join(GUIDE, 'agent-pop-aside.png'), clip: { x: 300, y: 0, width: 1066, height: 60 } });

    // A reload while it rings: the console asks for the pop again (GET /api/calls/{id}/screen-pop).
    const restored = page.waitForResponse((r) => /\/api\/calls\/\d+\/screen-pop$/.test(new URL(r.url()).pathname));
    await page.reload();
    expect((await restored).status()).toBe(200);
    await page.waitForSelector('[data-test="screen-pop"][data-phase="ringing"]');
    expect(await page.textContent('[data-test="screen-pop-phone"]')).toBe(CALLER);

    // Nobody answers: the bridge reports it, the ACD sets the agent away; the pop goes.
    const noAnswer = await fetch(`${server.url}/api/cti/calls/${encodeURIComponent(callId)}/no-answer`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${CTI_TOKEN}` },
    });
    expect([200, 409]).toContain(noAnswer.status);
    await headerState(page, 'away');
    await page.waitForSelector('[data-test="screen-pop"]', { state: 'detached' });
    expect(await page.textContent('[data-test="agent-status-label"]')).toBe('离开');
    await cti({ event: 'hangup', callId, cause: 'cancel' });

    // On a phone's width the state stays in the header, condensed, and the page does not scroll sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForSelector('[data-test="agent-status"].is-compact');
    await page.screenshot({ path: join(SCREENSHOTS, '02-phone-header.png'), clip: { x: 0, y: 0, width: 390, height: 120 } });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });
});
