/**
 * Debian's Chromium driven by playwright-core, for browser tests: one launch per test file, headless,
 * no sandbox (CI containers), nothing fetched from the network by the browser itself. Screenshots go
 * to artifacts/screenshots/ (git-ignored), named by the test file's prefix and the page.
 *
 * The browser is Debian's headless shell (package chromium-headless-shell, the same Chromium
 * release and Blink as package chromium, without the desktop browser's UI layers; what Playwright
 * itself runs for headless tests) when it is installed: about 40 % less CPU for the same pages than
 * the full browser in its headless mode (docs/testing.md). Otherwise the full browser.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url));

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

/** Saves a full-page screenshot as artifacts/screenshots/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

