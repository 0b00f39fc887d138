/// <reference lib="dom" />
// Code inside page.evaluate runs in the browser, so this file is checked with the DOM's types.
import { readFile } from 'node:fs/promises';
import { inFeedTransaction } from '@srs/db';
import { uniqueSuffix } from '@srs/testkit';
import type { Browser, Page } from 'playwright-core';
import { startSharingService, type SharingService } from './attack-harness';
import { launchPortalBrowser, PHONE, portalPage } from './portal-browser';

/**
 * The operators' portal in a real headless Chromium against the whole sharing
 * API: sign-in, the "Now" list and its empty state, its CSV, the look-up,
 * on a phone-sized screen and by keyboard.
 */
describe('the operator portal in a browser', () => {
  let service: SharingService;
  let browser: Browser;
  let page: Page;
  let key: string;
  const category = `smishing-${uniqueSuffix()}`;
  const browserErrors: string[] = [];

  beforeAll(async () => {
    service = await startSharingService({ SHARE_TEXT_MIN_REPORTERS: '3' });
    key = await service.key('demo-fr', ['read']);
    browser = await launchPortalBrowser();
    // the refused sign-in and the unreadable look-up are meant to fail: Chromium logs the refused requests
    page = await portalPage(browser, browserErrors, /status of 40[01]/);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('refuses a wrong key, saying why', async () => {
    expect((await page.goto(`${service.server.url}/portal/`))?.status()).toBe(200);
    await page.getByLabel('Operator API key').fill('srs_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#login-error:not([hidden])');
    expect(await page.textContent('#login-error')).toMatch(/not accepted \(HTTP 401\)/);
    expect(await page.isVisible('#portal')).toBe(false);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('signs in by keyboard and says when no campaign is active', async () => {
    await page.getByLabel('Operator API key').fill(key);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#now[data-state="ready"]');
    expect(await page.isVisible('#now-empty')).toBe(true);
    expect(await page.textContent('#now-empty')).toMatch(/No campaign was reported in the last 24 hours/);
    expect(await page.isVisible('#now-table-wrap')).toBe(false);
    expect(await page.isDisabled('#now-csv')).toBe(true);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([key]);
  });

  it('lists the active campaigns as a table with text beside each sparkline, usable at 375 px, and exports it as CSV', async () => {
    await inFeedTransaction(service.db.pool, (client) =>
      client.query(
        `INSERT INTO campaigns (simhash, fingerprint, shared_text, masked_text, spam, ever_spam, category, confidence, language, first_seen,
                                last_seen, report_count, reporter_count, operator_count, text_reporters)
         VALUES ('0123456789abcdef', $1, 'Your parcel is held: pay at <URL>', 'x', true, true, $2, 0.93, 'en', now(), now(), 3, 3, 2, 3)`,
        [`fp-${uniqueSuffix()}`, category],
      ),
    );
    // a reload stays signed in
    await page.reload();
    await page.waitForSelector('#now[data-state="ready"] #now-rows tr');
    const row = page.locator(`#now-rows tr`, { hasText: category });
    expect(await row.textContent()).toContain('Your parcel is held: pay at <URL>');
    expect(await row.locator('.trend__text').textContent()).toMatch(/^0 reports; 0 in the last 6 h \(0\)$/);
    expect(await row.locator('svg.sparkline').getAttribute('aria-hidden')).toBe('true');
    expect(await row.textContent()).toMatch(/Spam, 93 %/);
    // nothing wider than the phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    // keyboard: the table and the CSV button are reachable with Tab
    const reached: string[] = [];
    await page.focus('#sign-out');
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    expect(reached).toEqual(expect.arrayContaining(['now-refresh', 'now-csv', 'now-table-wrap']));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#now-csv')]);
    const csv = await readFile((await download.path())!, 'utf8');
    const [header, first] = csv.split('\r\n');
    expect(header).toMatch(
      /^id,category,spam,probability,sample_text,reporters,operators,own_network,first_seen,last_seen,growth,reports_h-23,/,
    );
    expect(first).toMatch(new RegExp(`^campaign--[0-9a-f-]{36},${category},true,`));
    expect(browserErrors).toEqual([]);
  });
  it('looks a URL up by keyboard: its domain indicator and campaign as tables, the empty and error states, and CSV', async () => {
    const domain = `parcel-${uniqueSuffix()}.top`.toLowerCase();
    await inFeedTransaction(service.db.pool, async (client) => {
      const { rows: c } = await client.query<{ id: string }>(
        `INSERT INTO campaigns (simhash, fingerprint, shared_text, masked_text, spam, ever_spam, category, confidence, language, first_seen,
                                last_seen, report_count, reporter_count, operator_count, text_reporters)
         VALUES ('0123456789abcdef', $1, 'Pay the fee at <URL>', 'x', true, true, $2, 0.91, 'en', now(), now(), 3, 3, 1, 3) RETURNING id`,
        [`fp-${uniqueSuffix()}`, `${category}-lookup`],
      );
      const { rows: i } = await client.query<{ id: string }>(
        `INSERT INTO indicators (type, value, category, max_confidence, first_seen, last_seen, score, publishable, ever_published, reporter_count)
         VALUES ('domain', $1, 'smishing', 0.9, now(), now(), 0.85, true, true, 3) RETURNING id`,
        [domain],
      );
      await client.query('INSERT INTO campaign_indicators (campaign_id, indicator_id) VALUES ($1, $2)', [c[0]!.id, i[0]!.id]);
    });
    const search = page.getByLabel('Phone number, sender ID, domain or URL');
    // unreadable: the API's reason, named on the field
    await search.fill('!!!');
    await search.press('Enter');
    await page.waitForSelector('#lookup[data-state="error"]');
    expect(await page.textContent('#lookup-error')).toMatch(/^This cannot be looked up: q: /);
    expect(await search.getAttribute('aria-invalid')).toBe('true');
    // nothing shared: the empty state says what was searched for
    await search.fill(`unknown-${uniqueSuffix()}.top`);
    await search.press('Enter');
    await page.waitForSelector('#lookup[data-state="ready"]');
    expect(await page.isVisible('#lookup-empty')).toBe(true);
    expect(await page.textContent('#lookup-empty')).toMatch(/^Nothing shared with you matches url http:\/\/unknown-/);
    expect(await page.isDisabled('#lookup-csv')).toBe(true);
    // a link on the indicator's domain
    await search.fill(`https://www.${domain}/pay?id=1`);
    await search.press('Enter');
    await page.waitForSelector('#lookup[data-state="ready"] #lookup-indicator-rows tr');
    const indicator = page.locator('#lookup-indicator-rows tr');
    expect(await indicator.count()).toBe(1);
    expect(await indicator.textContent()).toContain(domain);
    expect(await indicator.textContent()).toMatch(/85 %.*Shared.*0 blocked, 0 false positive/);
    expect(await page.locator('#lookup-campaign-rows tr').textContent()).toContain('Pay the fee at <URL>');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.focus('#lookup-csv');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const lines = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^kind,id,type,value,source,tlp,category,/);
    expect(lines[1]).toMatch(new RegExp(`^indicator,c_[^,]+,domain,${domain.replace(/\./g, '\\.')},consortium,green,smishing,`));
    expect(lines[2]).toMatch(new RegExp(`^campaign,campaign--[0-9a-f-]{36},,,consortium,green,${category}-lookup,`));
    expect(browserErrors).toEqual([]);
  });
});
