import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { openSeededApp } from '../helpers/databases.js';
import { ROOT } from '../helpers/processes.js';

/** Where the browser tests write their screenshots, for a person to look at. */
const SHOTS = path.join(ROOT, 'test-results');
/** The two widths every page is tried at. */
export const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The system's Chromium, headless, as the suite runs it everywhere. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}

/**
 * The seeded app in PGlite, in this process, listening on a port of its own, and Chromium to talk
 * to it over that port: what a browser test opens first, with settings `env`. `close` ends both.
 */
export async function openBrowserApp(env: Record<string, string> = {}) {
  const seeded = await openSeededApp('pglite', env);
  const base = await seeded.app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchChromium();
  return {
    seeded,
    base,
    browser,
    close: async () => {
      await browser.close();
      await seeded.close();
    },
  };
}

/**
 * A full-page screenshot of the page as it is, `test-results/NAME.png`, for a person to look
 * at. Not under CI, whose machine nobody looks into afterwards: the screenshots were a third of
 * the page tour's time.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.CI) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * How long a step may wait for what the user waits for (a page, a button, a file chosen): the
 * machines are shared, and a loaded one once took over 30 s, Playwright's default, to show a form.
 */
const STEP_TIMEOUT_MS = 120_000;

/** A new browser context whose every step waits as long as a loaded machine needs. */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  return context;
}

/**
 * Runs axe-core (WCAG 2.1 A and AA, and its best practices when asked) on the page as it is and
 * fails with the violations. The page's context must bypass the CSP: the pages rightly refuse
 * the inline script axe is.
 */
export async function assertAccessible(
  page: Page,
  label: string,
  options: { bestPractice?: boolean } = {},
): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', ...(options.bestPractice ? ['best-practice'] : [])];
  const violations = await page.evaluate(async (values) => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values } });
    return result.violations;
  }, tags);
  assert.deepEqual(violations, [], `${label} : ${JSON.stringify(violations, null, 2)}`);
}
