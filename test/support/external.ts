import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/**
 * Suites that need an outside program skip with a loud notice where it is missing on a developer's machine;
 * under CI=true its absence fails the run.
 */
export function requireExternal(what: string, available: boolean, howToGet: string): boolean {
  if (available) return true;
  const message = `${what} is not available: ${howToGet}`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: this suite must run)`);
  const line = '!'.repeat(100);
  process.stderr.write(`\n${line}\n!! SKIPPED: ${message}\n${line}\n\n`);
  return false;
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = () => existsSync(CHROMIUM_PATH);

/** The flags this machine's Chromium needs headless as root without network access to Google's services. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's Chromium driven by playwright-core (which downloads no browser of its own). */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
