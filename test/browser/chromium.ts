/**
 * Debian's Chromium driven by playwright-core, for browser tests: one launch per test file, headless,
 * no sandbox (CI containers), nothing fetched from the network by the browser itself. With
 * SCREENSHOTS=1, every page a test checks is saved as a full-page PNG in artifacts/screenshots/
 * (git-ignored), named by the test file's prefix and the page; without it none is (a full-page
 * screenshot costs Chromium about 0.14 s of CPU, and nothing in the suite reads them), except the one
 * test that proves the helper still works (saveScreenshot, test/browser/admin.test.ts).
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

/**
 * `--max-opt=0`: V8 runs the pages' and axe-core's JavaScript in its interpreter only. Every document
 * here lives for a second or less, so the optimising compilers' work (on background threads) was
 * never paid back: about 15 % less CPU for the accessibility walk (docs/testing.md, 2026-12-04).
 */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--js-flags=--max-opt=0'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

/** Whether screenshots were asked for (`SCREENSHOTS=1 npm run test:browser`, e.g. for a CI artifact). */
export const SCREENSHOTS = process.env.SCREENSHOTS === '1';

/** With SCREENSHOTS=1, saves a full-page screenshot as artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string | undefined> {
  return SCREENSHOTS ? saveScreenshot(page, name) : undefined;
}

/** Saves a full-page screenshot as artifacts/screenshots/<name>.png, asked for or not; returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

