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

/** Logs a demo user in and waits until the work-order list has loaded. */
export async function logIn(page: Page, url: string, username: string): Promise<void> {
  await submitLogin(page, url, username);
  await page.waitForSelector('[data-test="work-order-table"][data-state="loaded"]');
}
