/**
 * `npm run bench:console`: what a browser loads and how long the first list takes, against the real built server
 * (frontend/dist served by backend/dist on a fresh SQLite database with the demo data) in Debian's headless Chromium.
 *
 * - Gzipped JS per page: every script the page loads until the network is idle, counted by the size of its gzip file
 *   (level 9, written by the build beside each asset) — the login page, then each role's workspace opened signed in.
 * - Time to the first rendered list: from navigation to `/work-orders` (signed in, empty cache) until the table says
 *   `data-state="loaded"`; median of 5 fresh browser contexts.
 * Targets (issue 9): ≤ 400 KB gzip per page; ≤ 1.5 s.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { CHROMIUM_PATH, hasChromium, launchChromium } from '../support/external';
import { login, ROOT, startServer } from '../support/server';

const DIST = join(ROOT, 'frontend', 'dist');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** `BENCH_DETAIL=1` also lists each page's scripts, largest first (to see what a page's budget goes to). */
const DETAIL = process.env.BENCH_DETAIL === '1';
const JS_TARGET_KB = 400;
const FIRST_LIST_TARGET_MS = 1500;

/** Each workspace as its role opens it (the role's home page). */
const WORKSPACES = [
  { name: 'agent: /intake', username: 'agent1', path: '/intake' },
  { name: 'dispatcher: /center', username: 'dispatcher1', path: '/center' },
  { name: 'unit handler: /inbox', username: 'dc_handler', path: '/inbox' },
  { name: 'supervisor: /dashboard', username: 'supervisor1', path: '/dashboard' },
  { name: 'supervisor: /reports', username: 'supervisor1', path: '/reports' },
  { name: 'admin: /admin/units', username: 'admin', path: '/admin/units' },
  { name: 'any role: /work-orders', username: 'dispatcher1', path: '/work-orders' },
  { name: 'citizen: /portal/submit', username: null, path: '/portal/submit' },
] as const;

function gzipBytesOf(pathname: string): number {
  const file = join(DIST, decodeURIComponent(pathname));
  const gz = `${file}.gz`;
  if (existsSync(gz)) return statSync(gz).size;
  // Files under 1 KB are not pre-compressed: count them whole (an upper bound).
  return existsSync(file) ? statSync(file).size : 0;
}

async function signedInContext(browser: Browser, url: string, username: string | null): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  if (username) {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password: 'Demo@12345' }),
    });
    const session = (await response.json()) as { accessToken: string; refreshToken: string };
    await context.addInitScript(([access, refresh]) => {
      localStorage.setItem('jiesu.accessToken', access);
      localStorage.setItem('jiesu.refreshToken', refresh);
    }, [session.accessToken, session.refreshToken] as const);
  }
  return context;
}

interface ScriptsLoaded {
  kb: number;
  files: number;
  status: string;
  /** Each script's pathname and gzip size in KB, largest first. */
  scripts: { pathname: string; kb: number }[];
}

async function scriptsLoaded(browser: Browser, url: string, username: string | null, path: string): Promise<ScriptsLoaded> {
  const context = await signedInContext(browser, url, username);
  const page = await context.newPage();
  const scripts = new Set<string>();
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if (pathname.startsWith('/assets/') && pathname.endsWith('.js')) scripts.add(pathname);
  });
  await page.goto(`${url}${path}`, { waitUntil: 'networkidle' });
  const landed = new URL(page.url()).pathname;
  await context.close();
  const sizes = [...scripts].map((pathname) => ({ pathname, kb: gzipBytesOf(pathname) / 1024 })).sort((a, b) => b.kb - a.kb);
  const kb = sizes.reduce((sum, script) => sum + script.kb, 0);
  return { kb, files: scripts.size, status: landed === path ? 'ok' : `landed on ${landed}`, scripts: sizes };
}

async function firstListMs(browser: Browser, url: string): Promise<number> {
  const context = await signedInContext(browser, url, 'dispatcher1');
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(`${url}/work-orders`);
  await page.waitForSelector('[data-state="loaded"]', { timeout: 30_000 });
  const elapsed = performance.now() - started;
  await context.close();
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  if (!hasChromium()) throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('frontend/dist is missing: run npm run build');
  const server = await startServer({ LOG_LEVEL: 'error', RATE_LIMIT_LOGIN_PER_USERNAME: '100000', RATE_LIMIT_LOGIN_PER_IP: '100000' });
  const browser = await launchChromium();
  try {
    // Warm the server (first requests compile SQLite statements), not the browser: every measured context is new.
    await login(server.url, 'dispatcher1');
    const rows: string[] = ['| page | JS files | JS gzip KB | target ≤ 400 KB |', '|---|---:|---:|---|'];
    const details: string[] = [];
    let worst = 0;
    for (const page of [{ name: 'login page: /login', username: null, path: '/login' }, ...WORKSPACES]) {
      const loaded = await scriptsLoaded(browser, server.url, page.username, page.path);
      worst = Math.max(worst, loaded.kb);
      const verdict = loaded.status !== 'ok' ? loaded.status : loaded.kb <= JS_TARGET_KB ? 'met' : 'MISSED';
      rows.push(`| ${page.name} | ${loaded.files} | ${loaded.kb.toFixed(1)} | ${verdict} |`);
      if (DETAIL) details.push(`${page.name}: ${loaded.scripts.map((script) => `${script.pathname.replace('/assets/', '')} ${script.kb.toFixed(1)}`).join(', ')}`);
    }
    const times: number[] = [];
    // BENCH_RUNS=0 measures the scripts only.
    if (RUNS > 0) await firstListMs(browser, server.url); // the server's first list, not counted
    for (let run = 0; run < RUNS; run++) times.push(await firstListMs(browser, server.url));
    console.log(rows.join('\n'));
    console.log('');
    if (DETAIL) console.log(`${details.join('\n\n')}\n`);
    if (RUNS > 0) console.log(`first rendered list (/work-orders, signed in, empty browser cache): runs ${times.map((t) => t.toFixed(0)).join(', ')} ms; median ${median(times).toFixed(0)} ms (target ≤ ${FIRST_LIST_TARGET_MS} ms: ${median(times) <= FIRST_LIST_TARGET_MS ? 'met' : 'MISSED'})`);
    console.log(`largest page: ${worst.toFixed(1)} KB gzip of JS (target ≤ ${JS_TARGET_KB} KB: ${worst <= JS_TARGET_KB ? 'met' : 'MISSED'})`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
