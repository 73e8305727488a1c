import type { Page } from 'playwright-core';

/** The password every demo account has. */
export const DEMO_PASSWORD = 'Demo@12345';

/** Fills in and sends the console's login form; what comes next (the list, the password change) is the caller's to wait for. */
export async function submitLogin(page: Page, url: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${url}/login`);
  await page.fill('input[data-test="login-username"]', username);
  await page.fill('input[data-test="login-password"]', password);
  await page.click('[data-test="login-submit"]');
}

/** Logs a demo user in (each role lands on its own workspace), then opens the work-order list and waits until it has loaded. */
export async function logIn(page: Page, url: string, username: string): Promise<void> {
  await submitLogin(page, url, username);
  await page.waitForURL((address) => !address.pathname.startsWith('/login'));
  if (new URL(page.url()).pathname !== '/work-orders') await page.goto(`${url}/work-orders`);
  await page.waitForSelector('[data-test="work-order-table"][data-state="loaded"]');
}
