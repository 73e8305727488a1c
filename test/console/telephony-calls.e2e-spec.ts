import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { submitLogin, transitionsSettled } from '../support/console';
import { hasChromium, launchChromium, requireExternal } from '../support/external';
import { call, login, ROOT, type RunningServer, startServer } from '../support/server';

/** The operator's guide's pictures of these pages, and every step for looking at (gitignored). */
const GUIDE = join(ROOT, 'docs', 'operator-guide', 'img', 'telephony');
const SCREENSHOTS = join(ROOT, 'test', 'screenshots', 'telephony-calls');

const CTI_TOKEN = 'e2e-cti-token-for-the-console-calls';
/** The WAV uploaded for the answered call: 8 kHz mono PCM16 of this many seconds. */
const RECORDING_SECONDS = 3.5;

const runs = requireExternal('Chromium', hasChromium(), `install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
const describeIf = runs ? describe : describe.skip;

interface CallBody {
  id: number;
  callId: string;
  status: string;
  waitSeconds: number | null;
  talkSeconds: number | null;
  calledBackAt: string | null;
  survey: { digit: string; rating: string | null } | null;
  recording: { durationSeconds: number } | null;
  workOrders?: { id: number; number: string }[];
}

interface TreeNode {
  id: number;
  code: string;
  children?: TreeNode[];
}

const flatten = (nodes: TreeNode[]): TreeNode[] => nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);

/** A 440 Hz tone as a WAV file: RIFF header, fmt (PCM, mono, 8 kHz, 16 bit) and data. */
function toneWav(seconds: number, sampleRate = 8000): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / sampleRate) * 8000), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** The center's date (Asia/Shanghai) of an instant, YYYY-MM-DD. */
const centerDate = (time: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(time);

const isPath = (path: string, method = 'GET') => (response: Response) => new URL(response.url()).pathname === path && response.request().method() === method;

/** Logs in, then opens a page of the console and waits for its `data-state="loaded"`. */
async function open(page: Page, url: string, username: string, path: string, testId: string): Promise<void> {
  await submitLogin(page, url, username);
  await page.waitForURL((target) => !target.pathname.startsWith('/login'));
  await page.goto(`${url}${path}`);
  await page.waitForSelector(`[data-test="${testId}"][data-state="loaded"]`);
}

/** Waits until the list has loaded after a change (its request answered and the page says loaded). */
async function listReloaded(page: Page, change: () => Promise<void>): Promise<URL> {
  const answered = page.waitForResponse(isPath('/api/calls'));
  await change();
  const response = await answered;
  expect(response.status()).toBe(200);
  await page.waitForSelector('[data-test="call-list"][data-state="loaded"]');
  return new URL(response.url());
}

/** The record ids of the rows shown, top to bottom. */
const shownIds = (page: Page) => page.locator('[data-test="call-table"] [data-test="call-link"]').evaluateAll((links) => links.map((link) => Number(link.getAttribute('data-id'))));

/** Picks an option of an open Element Plus select by its text. */
async function pickOption(page: Page, select: string, text: string): Promise<void> {
  await page.click(`[data-test="${select}"]`);
  const option = page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: text }).first();
  await option.waitFor();
  await option.click();
  await transitionsSettled(page);
}

/** Screenshots without a passing toast or a hover. */
async function still(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page.waitForFunction(() => document.querySelectorAll('.el-message').length === 0, undefined, { timeout: 10_000 });
  await transitionsSettled(page);
}

/** 通话记录, 未接来电, 实时监控 and 坐席分机 in a real Chromium against the built server fed as the SIP bridge feeds it. */
describeIf('telephony: call records, call-back list, live view, agent phones (Chromium)', () => {
  let server: RunningServer;
  let browser: Browser;
  let recordings: string;
  const run = Date.now().toString(36);
  const id = (name: string) => `${name}-${run}@e2e.pbx`;
  /** The calls' record ids by name. */
  const records = new Map<string, number>();
  let order: { id: number; number: string };
  const base = Date.now() - 30 * 60_000;
  const at = (offsetSeconds: number, from = base) => new Date(from + offsetSeconds * 1000).toISOString();

  async function event(body: Record<string, unknown>): Promise<CallBody> {
    const answer = await call<{ duplicate: boolean; call: CallBody }>(server.url, 'POST', '/api/cti/events', CTI_TOKEN, body);
    expect({ body, status: answer.status }).toEqual({ body, status: 200 });
    records.set(String(body.callId), answer.body.call.id);
    return answer.body.call;
  }

  beforeAll(async () => {
    recordings = mkdtempSync(join(tmpdir(), 'jiesu-recordings-'));
    server = await startServer({ CTI_TOKEN, RECORDINGS_DIR: recordings });
    browser = await launchChromium();
    mkdirSync(GUIDE, { recursive: true });
    mkdirSync(SCREENSHOTS, { recursive: true });

    // Answered after 21 s by agent1, 2:51 talking, rated 1 (satisfied) — then its recording.
    await event({ event: 'newCall', callId: id('answered'), from: '13800138001', to: '12345', direction: 'inbound', at: at(0) });
    await event({ event: 'queued', callId: id('answered'), at: at(8) });
    await event({ event: 'answer', callId: id('answered'), answeringAgent: 'agent1', at: at(21) });
    await event({ event: 'survey', callId: id('answered'), digit: '1', at: at(189) });
    const answered = await event({ event: 'hangup', callId: id('answered'), cause: 'normalClearing', at: at(192) });
    expect(answered).toMatchObject({ status: 'answered', waitSeconds: 21, talkSeconds: 171, survey: { digit: '1', rating: 'satisfied' } });
    const upload = await fetch(`${server.url}/api/cti/calls/${encodeURIComponent(id('answered'))}/recording`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${CTI_TOKEN}`, 'Content-Type': 'audio/wav' },
      body: new Uint8Array(toneWav(RECORDING_SECONDS)),
    });
    expect(upload.status).toBe(200);
    expect(((await upload.json()) as CallBody).recording?.durationSeconds).toBeCloseTo(RECORDING_SECONDS, 3);

    // Missed: the caller hung up while it rang (never queued).
    await event({ event: 'newCall', callId: id('missed'), from: '13900139002', to: '12345', at: at(300) });
    expect(await event({ event: 'hangup', callId: id('missed'), cause: 'cancel', at: at(306) })).toMatchObject({ status: 'missed' });
    // Abandoned: the caller gave up in the queue.
    await event({ event: 'newCall', callId: id('abandoned'), from: '13700137003', to: '12345', at: at(400) });
    await event({ event: 'queued', callId: id('abandoned'), at: at(405) });
    expect(await event({ event: 'hangup', callId: id('abandoned'), cause: 'normalClearing', at: at(460) })).toMatchObject({ status: 'abandoned' });

    // An order registered for the answered call's caller, to link.
    const agent = await login(server.url, 'agent1');
    const categories = flatten((await call<TreeNode[]>(server.url, 'GET', '/api/categories', agent)).body);
    const leaf = categories.find((c) => !c.children?.length)!;
    const registered = await call<{ id: number; number: string }>(server.url, 'POST', '/api/work-orders', agent, {
      requestType: 'help',
      channel: 'phone',
      categoryId: leaf.id,
      address: '云川市东城区朝阳街道幸福路12号',
      title: '幸福路路灯不亮',
      content: '幸福路12号门前的路灯连续三晚不亮，夜间行人看不清路面。',
      citizenName: '王先生',
      citizenPhone: '13800138001',
    });
    expect(registered.status).toBe(201);
    order = registered.body;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (recordings) rmSync(recordings, { recursive: true, force: true });
  });

  it('the call list filters by status, phone, agent and days', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await open(page, server.url, 'supervisor1', '/calls', 'call-list');
    const answered = records.get(id('answered'))!;
    const missed = records.get(id('missed'))!;
    const abandoned = records.get(id('abandoned'))!;
    // The latest start first.
    const all = await shownIds(page);
    expect(all.filter((shown) => [answered, missed, abandoned].includes(shown))).toEqual([abandoned, missed, answered]);
    const row = page.locator('[data-test="call-table"] .el-table__body-wrapper tr', { has: page.locator(`[data-test="call-link"][data-id="${answered}"]`) });
    for (const text of ['13800138001', '已接听', '话务员张敏', '0:21', '2:51', '满意']) await row.getByText(text, { exact: true }).first().waitFor();
    await row.locator('[data-test="call-has-recording"]').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '00-list.png') });

    // Status: 排队放弃 only.
    let query = await listReloaded(page, async () => {
      await pickOption(page, 'call-filter-status', '排队放弃');
      await page.click('[data-test="call-search"]');
    });
    expect(query.searchParams.get('status')).toBe('abandoned');
    expect(await shownIds(page)).toContain(abandoned);
    expect(await page.locator('[data-test="call-table"] [data-test="call-status"]').evaluateAll((tags) => tags.map((tag) => tag.getAttribute('data-status')))).toEqual(
      expect.arrayContaining(['abandoned']),
    );
    expect(new Set(await page.locator('[data-test="call-table"] [data-test="call-status"]').evaluateAll((tags) => tags.map((tag) => tag.getAttribute('data-status'))))).toEqual(new Set(['abandoned']));
    // The address keeps it: a reload shows the same list.
    expect(new URL(page.url()).searchParams.get('status')).toBe('abandoned');

    // Phone (with the dashes people type), after resetting the status.
    await listReloaded(page, () => page.click('[data-test="call-reset"]'));
    query = await listReloaded(page, async () => {
      await page.fill('input[data-test="call-filter-phone"]', '138-0013-8001');
      await page.click('[data-test="call-search"]');
    });
    expect(query.searchParams.get('phone')).toBe('138-0013-8001');
    expect(await shownIds(page)).toEqual([answered]);

    // Agent: the calls 话务员张敏 answered.
    await listReloaded(page, () => page.click('[data-test="call-reset"]'));
    query = await listReloaded(page, async () => {
      await pickOption(page, 'call-filter-agent', '话务员张敏');
      await page.click('[data-test="call-search"]');
    });
    expect(Number(query.searchParams.get('agentId'))).toBeGreaterThan(0);
    const byAgent = await shownIds(page);
    expect(byAgent).toContain(answered);
    expect(byAgent).not.toContain(missed);

    // Days: yesterday only has none of them; today has all three.
    await listReloaded(page, () => page.click('[data-test="call-reset"]'));
    const today = centerDate(base);
    const yesterday = centerDate(base - 24 * 3600_000);
    const pickDays = async (from: string, to: string) => {
      const inputs = page.locator('[data-test="call-filter-dates"] input');
      await inputs.nth(0).click();
      await inputs.nth(0).fill(from);
      await inputs.nth(1).fill(to);
      await inputs.nth(1).press('Enter');
      await page.keyboard.press('Escape');
      await transitionsSettled(page);
      await page.click('[data-test="call-search"]');
    };
    query = await listReloaded(page, () => pickDays(yesterday, yesterday));
    expect(query.searchParams.get('from')).toBe(`${yesterday}T00:00:00+08:00`);
    expect(query.searchParams.get('to')).toBe(`${today}T00:00:00+08:00`);
    expect((await shownIds(page)).filter((shown) => [answered, missed, abandoned].includes(shown))).toEqual([]);
    query = await listReloaded(page, () => pickDays(today, today));
    expect(query.searchParams.get('from')).toBe(`${today}T00:00:00+08:00`);
    expect((await shownIds(page)).filter((shown) => [answered, missed, abandoned].includes(shown))).toEqual([abandoned, missed, answered]);
    await page.screenshot({ path: join(SCREENSHOTS, '01-list-filtered.png') });
    await page.close();
  });

  it('the detail plays the recording and links an order (and explains a wrong or repeated number)', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    // Which object URLs the page revokes (the recording's, when the page is left).
    await page.addInitScript(() => {
      const revoke = URL.revokeObjectURL.bind(URL);
      const revoked: string[] = [];
      (window as unknown as { revokedUrls: string[] }).revokedUrls = revoked;
      URL.revokeObjectURL = (url: string) => {
        revoked.push(url);
        revoke(url);
      };
    });
    await open(page, server.url, 'agent1', '/calls', 'call-list');
    const answered = records.get(id('answered'))!;
    const recording = page.waitForResponse(isPath(`/api/calls/${answered}/recording`));
    await page.click(`[data-test="call-link"][data-id="${answered}"]`);
    await page.waitForSelector('[data-test="call-detail"][data-state="loaded"]');
    expect((await recording).status()).toBe(200);
    expect(await page.textContent('[data-field="waitSeconds"]')).toBe('0:21');
    expect(await page.textContent('[data-field="talkSeconds"]')).toBe('2:51');
    expect(await page.textContent('[data-test="call-detail-agent"]')).toContain('话务员张敏');

    // The <audio> plays the WAV from a blob: its metadata says the uploaded duration.
    await page.waitForSelector('[data-test="call-recording"][data-state="ready"]');
    const audio = page.locator('audio[data-test="call-recording-audio"]');
    expect(await audio.getAttribute('src')).toMatch(/^blob:/);
    const loaded = await page.waitForFunction(() => {
      const element = document.querySelector<HTMLAudioElement>('audio[data-test="call-recording-audio"]');
      if (element?.error) return `error ${element.error.code}: ${element.error.message}`;
      return !!element && element.readyState >= 1 && Number.isFinite(element.duration) && 'metadata';
    });
    expect(await loaded.jsonValue()).toBe('metadata');
    const duration = await audio.evaluate((element) => (element as HTMLAudioElement).duration);
    expect(duration).toBeCloseTo(RECORDING_SECONDS, 1);

    // Link the order by its number.
    const linked = page.waitForResponse(isPath(`/api/calls/${answered}/work-orders`, 'POST'));
    await page.fill('input[data-test="call-link-number"]', order.number);
    await page.click('[data-test="call-link-submit"]');
    expect((await linked).status()).toBe(200);
    const link = page.locator(`[data-test="call-order-link"][data-number="${order.number}"]`);
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/work-orders/${order.id}`);
    expect(await page.inputValue('input[data-test="call-link-number"]')).toBe('');
    await still(page);
    await page.screenshot({ path: join(GUIDE, 'calls-detail.png') });

    // The same order again: 409, explained.
    const again = page.waitForResponse(isPath(`/api/calls/${answered}/work-orders`, 'POST'));
    await page.fill('input[data-test="call-link-number"]', order.number);
    await page.click('[data-test="call-link-submit"]');
    expect((await again).status()).toBe(409);
    await page.locator('[data-test="call-link-error"]', { hasText: `工单 ${order.number} 已关联到本通话` }).waitFor();
    // A number no order has: said before anything is linked.
    await page.fill('input[data-test="call-link-number"]', '20000101999999');
    await page.click('[data-test="call-link-submit"]');
    await page.locator('[data-test="call-link-error"]', { hasText: '没有编号为 20000101999999 的工单' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '02-detail-link-errors.png') });

    const admin = await login(server.url, 'admin');
    const detail = await call<CallBody>(server.url, 'GET', `/api/calls/${answered}`, admin);
    expect(detail.body.workOrders?.map((linkedOrder) => linkedOrder.id)).toEqual([order.id]);

    // Leaving the page frees the recording: its object URL is revoked.
    const src = (await audio.getAttribute('src'))!;
    await page.click('[data-test="call-back"]');
    await page.waitForSelector('[data-test="call-list"][data-state="loaded"]');
    expect(await page.evaluate(() => (window as unknown as { revokedUrls: string[] }).revokedUrls)).toContain(src);
    // The list names the linked order, with a link to it.
    const listed = page.locator('[data-test="call-table"] .el-table__body-wrapper tr', { has: page.locator(`[data-test="call-link"][data-id="${answered}"]`) });
    const orderLink = listed.locator('[data-col="orders"] a', { hasText: order.number });
    await orderLink.waitFor();
    expect(await orderLink.getAttribute('href')).toBe(`/work-orders/${order.id}`);
    await still(page);
    await page.screenshot({ path: join(GUIDE, 'calls-list.png') });
    await page.close();
  });

  it('the call-back list: called back (also by someone else first), and register an order with the number', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await open(page, server.url, 'agent1', '/calls/missed', 'missed-calls');
    const missed = records.get(id('missed'))!;
    const abandoned = records.get(id('abandoned'))!;
    const rows = () => page.locator('[data-test="missed-table"] [data-test="missed-row"]').evaluateAll((links) => links.map((link) => Number(link.getAttribute('data-id'))));
    // Newest first.
    expect((await rows()).filter((shown) => [missed, abandoned].includes(shown))).toEqual([abandoned, missed]);
    expect(await rows()).not.toContain(records.get(id('answered')));
    await still(page);
    await page.screenshot({ path: join(GUIDE, 'calls-missed.png') });

    // agent2 calls the abandoned caller back first; agent1's list still shows it.
    const agent2 = await login(server.url, 'agent2');
    expect((await call(server.url, 'POST', `/api/calls/${abandoned}/called-back`, agent2)).status).toBe(200);
    const refused = page.waitForResponse(isPath(`/api/calls/${abandoned}/called-back`, 'POST'));
    await page.click(`[data-test="missed-called-back-${abandoned}"]`);
    expect((await refused).status()).toBe(409);
    await page.locator('.el-message--error', { hasText: '该来电已由 话务员李娜 于' }).waitFor();
    await page.waitForSelector(`[data-test="missed-called-back-${abandoned}"]`, { state: 'detached' });

    // 登记工单: the intake page with the caller's number on the desk.
    await page.click(`[data-test="missed-register-${missed}"]`);
    await page.waitForURL((target) => target.pathname === '/intake');
    await page.waitForSelector('[data-test="intake-page"][data-state="loaded"]');
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-field="citizenPhone"] input')?.value === '13900139002');
    await page.locator('[data-test="incoming-call-phone"]', { hasText: '13900139002' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '03-intake-from-missed.png') });

    // Back on the list: 已回拨 takes the missed call off it.
    await page.goto(`${server.url}/calls/missed`);
    await page.waitForSelector('[data-test="missed-calls"][data-state="loaded"]');
    const marked = page.waitForResponse(isPath(`/api/calls/${missed}/called-back`, 'POST'));
    await page.click(`[data-test="missed-called-back-${missed}"]`);
    expect((await marked).status()).toBe(200);
    await page.locator('.el-message--success', { hasText: '已标记为已回拨' }).waitFor();
    await page.waitForSelector(`[data-test="missed-called-back-${missed}"]`, { state: 'detached' });
    const agent1 = await login(server.url, 'agent1');
    const record = await call<CallBody>(server.url, 'GET', `/api/calls/${missed}`, agent1);
    expect(record.body.calledBackAt).not.toBeNull();
    await page.close();
  });

  it('the live view shows calls in progress with ticking times and refreshes every 3 s; agents are refused it', async () => {
    // One caller waits in the queue, another talks with agent2.
    const now = Date.now();
    await event({ event: 'newCall', callId: id('live-queued'), from: '13600136004', to: '12345', at: at(-40, now) });
    await event({ event: 'queued', callId: id('live-queued'), at: at(-35, now) });
    await event({ event: 'newCall', callId: id('live-talking'), from: '13500135005', to: '12345', at: at(-90, now) });
    await event({ event: 'answer', callId: id('live-talking'), answeringAgent: 'agent2', at: at(-75, now) });

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await open(page, server.url, 'supervisor1', '/calls/live', 'live-view');
    const queuedRow = page.locator('[data-test="live-calls"] .el-table__body-wrapper tr', { has: page.locator(`[data-call-id="${id('live-queued')}"]`) });
    const talkingRow = page.locator('[data-test="live-calls"] .el-table__body-wrapper tr', { has: page.locator(`[data-call-id="${id('live-talking')}"]`) });
    await queuedRow.locator('[data-test="live-call-state"][data-status="queued"]').waitFor();
    await talkingRow.locator('[data-test="live-call-state"][data-status="answered"]').waitFor();
    expect(Number(await page.textContent('[data-test="live-queue-length"]'))).toBeGreaterThanOrEqual(1);
    expect(await talkingRow.textContent()).toContain('话务员李娜');

    // The next reading comes by itself about 3 s later, and the times tick meanwhile.
    const before = await talkingRow.locator('[data-col="talking"]').textContent();
    const started = Date.now();
    const next = await page.waitForResponse(isPath('/api/cti/live'), { timeout: 10_000 });
    expect(next.status()).toBe(200);
    expect(Date.now() - started).toBeLessThan(6000);
    await page.waitForFunction(
      ([callId, previous]) => {
        const row = document.querySelector(`[data-test="live-calls"] [data-call-id="${callId}"]`)?.closest('tr');
        const talking = row?.querySelector('[data-col="talking"]')?.textContent;
        return !!talking && talking !== previous;
      },
      [id('live-talking'), before] as const,
      { timeout: 5000 },
    );
    await still(page);
    await page.screenshot({ path: join(GUIDE, 'calls-live.png') });
    await page.close();

    // Not for agents: the menu has no entry and the page answers 无权访问.
    const agentPage = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await submitLogin(agentPage, server.url, 'agent1');
    await agentPage.waitForURL((target) => !target.pathname.startsWith('/login'));
    await agentPage.goto(`${server.url}/calls/live`);
    await agentPage.waitForURL((target) => target.pathname === '/403');
    await agentPage.close();
  });

  it('an administrator gives an agent an extension with a SIP password', async () => {
    // A new agent without a phone (the demo city may give agent1 and agent2 theirs).
    const admin = await login(server.url, 'admin');
    const center = (await call<{ items: { unitId: number }[] }>(server.url, 'GET', '/api/users?keyword=agent1', admin)).body.items[0].unitId;
    const created = await call<{ user: { id: number } }>(server.url, 'POST', '/api/users', admin, { username: 'agent_zhoujie', displayName: '话务员周杰', role: 'agent', unitId: center });
    expect(created.status).toBe(201);
    const taken = new Set((await call<{ extension: string }[]>(server.url, 'GET', '/api/cti/agent-phones', admin)).body.map((phone) => phone.extension));
    const extension = ['8123', '8124', '8125', '8126'].find((candidate) => !taken.has(candidate))!;
    const password = 'Sip-phone-8123';

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await open(page, server.url, 'admin', '/admin/agent-phones', 'agent-phones');
    await page.click('[data-test="agent-phone-add"]');
    await page.waitForSelector('[data-test="agent-phone-dialog"]');
    await transitionsSettled(page);
    await page.fill('input[data-test="agent-phone-extension-input"]', extension);
    await page.click('[data-test="agent-phone-agent"]');
    await page.keyboard.type('周杰');
    const option = page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '话务员周杰' }).first();
    await option.waitFor();
    await option.click();
    // Too short first: refused before sending.
    await page.fill('input[data-test="agent-phone-password"]', 'short');
    await page.click('[data-test="agent-phone-save"]');
    await page.locator('.el-form-item__error', { hasText: '密码长度为 8–64 个字符' }).waitFor();
    await page.fill('input[data-test="agent-phone-password"]', password);
    // The message goes away as the password becomes long enough.
    await page.waitForSelector('.el-form-item__error', { state: 'detached' });
    await page.mouse.move(0, 0);
    await transitionsSettled(page);
    await page.screenshot({ path: join(GUIDE, 'admin-agent-phone-dialog.png') });
    const saved = page.waitForResponse(isPath(`/api/cti/agent-phones/${extension}`, 'PUT'));
    await page.click('[data-test="agent-phone-save"]');
    expect((await saved).status()).toBe(200);
    await page.locator(`[data-test="agent-phone-extension"][data-extension="${extension}"]`).waitFor();
    await page.waitForSelector('[data-test="agent-phone-dialog"]', { state: 'hidden' });
    await still(page);
    await page.screenshot({ path: join(GUIDE, 'admin-agent-phones.png') });
    await page.close();

    // What the bridge's registrar gets: HA1 = MD5(extension:realm:password) for the new agent.
    const credentials = await call<{ ha1: string; realm: string; userId: number }>(server.url, 'GET', `/api/cti/registrar/credentials/${extension}`, CTI_TOKEN);
    expect(credentials.status).toBe(200);
    expect(credentials.body.userId).toBe(created.body.user.id);
    expect(credentials.body.ha1).toBe(createHash('md5').update(`${extension}:${credentials.body.realm}:${password}`).digest('hex'));
  });
});
