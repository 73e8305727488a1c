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

/** Waits until no Element Plus transition is running (dialogs, dropdowns, tags), for a clean screenshot or the next click. */
export async function transitionsSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[class*="-enter-active"], [class*="-leave-active"]'));
}

/** Types into the category cascader (it has the focus) and takes the first match with ↓ and Enter. */
export async function pickCategory(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
  await page.locator('.el-cascader__suggestion-item:visible').first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}
