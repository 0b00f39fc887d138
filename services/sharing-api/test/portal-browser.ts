import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PORTAL_DIR } from '../src/portal/portal-routes';

const CHROMIUM = '/usr/bin/chromium';

/** The screen every portal test is run on: a phone's. */
export const PHONE = { width: 375, height: 740 };

/**
 * Debian's Chromium, headless, for the portal's tests; it fails at once,
 * naming what is missing, when Chromium or the bundled page script is not
 * there (npm test provisions and builds both).
 */
export async function launchPortalBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (npm test does)`);
  const script = path.join(PORTAL_DIR, 'app.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: npm run build bundles it (npm test does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
}

/**
 * A phone-sized page in a context of its own (downloads on, UTC, en-GB) whose
 * script errors and console errors are pushed to `errors`, but for the
 * refused requests a test provokes on purpose (`expectedRefusals`, matched
 * against Chromium's "status of 4xx" console line).
 */
export async function portalPage(browser: Browser, errors: string[], expectedRefusals?: RegExp): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, acceptDownloads: true, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !(expectedRefusals && expectedRefusals.test(msg.text()))) errors.push(msg.text());
  });
  return page;
}
