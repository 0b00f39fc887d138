/// <reference lib="dom" />
// Code inside page.evaluate runs in the browser, so this file is checked with the DOM's types.
import { readFile } from 'node:fs/promises';
import { uniqueSuffix } from '@srs/testkit';
import type { Browser, Page } from 'playwright-core';
import { startSharingService, type SharingService } from './attack-harness';
import { launchPortalBrowser, PHONE, portalPage } from './portal-browser';
import { seedCampaign } from './portal-seed';

/**
 * The portal's campaign page, feedback and feedback history in a real
 * headless Chromium at phone size: from "Now" to a campaign by keyboard, its
 * tables beside its chart, feedback with a note recorded as sightings and
 * revoked again, and a read-only key offered none of it.
 */
describe('the portal: campaign page and feedback, in a browser', () => {
  let service: SharingService;
  let browser: Browser;
  const suffix = uniqueSuffix();
  const domain = `parcel-${suffix}.top`.toLowerCase();
  const sender = `+447700900${String(100 + Math.floor(Math.random() * 900))}`;
  let ours: { stixId: string };
  let theirs: { stixId: string };
  const browserErrors: string[] = [];

  beforeAll(async () => {
    service = await startSharingService({ SHARE_TEXT_MIN_REPORTERS: '3' });
    ours = await seedCampaign(service, {
      category: `ours-${suffix}`,
      reporters: 5,
      operators: ['demo-fr', 'demo-uk'],
      reportsHoursAgo: [0.2, 1.2, 1.4, 2.5, 2.6],
      reportOperators: ['demo-fr', 'demo-fr', 'demo-uk', 'demo-uk', 'demo-uk'],
      indicators: [
        { type: 'domain', value: domain },
        { type: 'sender_msisdn', value: sender },
      ],
    });
    theirs = await seedCampaign(service, {
      category: `theirs-${suffix}`,
      reporters: 3,
      operators: ['demo-uk'],
      reportsHoursAgo: [0.5, 3],
      indicators: [{ type: 'domain', value: domain }],
    });
    browser = await launchPortalBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function signedIn(key: string): Promise<Page> {
    const page = await portalPage(browser, browserErrors);
    await page.goto(`${service.server.url}/portal/`);
    await page.getByLabel('Operator API key').fill(key);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#now[data-state="ready"]');
    return page;
  }

  const fitsPhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  it('filters "Now" to the own network and opens a campaign by keyboard: summary, reports beside the chart, indicators, related, TAXII', async () => {
    const page = await signedIn(await service.key('demo-fr', ['read', 'feedback']));
    expect(await page.textContent('#session-who')).toMatch(/read, feedback/);
    expect(await page.isVisible('#nav-subscriptions')).toBe(false);
    expect(await page.locator('#now-rows tr').count()).toBe(2);
    await page.selectOption('#now-filter', 'own');
    expect(await page.locator('#now-rows tr').count()).toBe(1);
    expect(await page.textContent('#now-count')).toMatch(/^1 campaign reported on your network/);

    await page.getByRole('link', { name: `ours-${suffix}` }).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#campaign[data-state="ready"]');
    expect(await page.isVisible('#now')).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('campaign-title');
    expect(await page.textContent('#campaign-title')).toBe(`Campaign: ours-${suffix}`);
    const summary = await page.textContent('#campaign .summary');
    expect(summary).toContain('5 from 5 subscribers on 2 operators');
    expect(summary).toContain(ours.stixId);
    expect(summary).toMatch(/\/taxii2\/api\/collections\/[0-9a-f-]{36}\/objects\/campaign--/);

    // the chart is decoration; the table beside it has every figure: 2 from demo-fr (own), 3 from the other operator
    expect(await page.locator('#campaign svg.timeline').getAttribute('aria-hidden')).toBe('true');
    const sums = await page.$$eval('#campaign-timeline-rows tr', (rows) =>
      rows.reduce((s, r) => [s[0]! + Number(r.children[1]!.textContent), s[1]! + Number(r.children[2]!.textContent)], [0, 0]),
    );
    expect(sums).toEqual([2, 3]);
    expect(await page.textContent('#campaign-timeline')).toContain('Other operators (1)');
    expect(await page.textContent('#campaign')).not.toContain('demo-uk');

    expect(await page.locator('#campaign-indicators-rows tr').count()).toBe(2);
    expect(await page.locator('#campaign-related-rows tr').textContent()).toMatch(new RegExp(`theirs-${suffix}.*1`));
    expect(await page.locator('#campaign-related-rows a').getAttribute('href')).toBe(`#campaign/${theirs.stixId}`);
    expect(await fitsPhone(page)).toBeLessThanOrEqual(PHONE.width);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#campaign-indicators-csv')]);
    const lines = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,stix_id,type,value,/);
    expect(lines).toHaveLength(3);

    // a related campaign is one link away, and back
    await page.getByRole('link', { name: `theirs-${suffix}` }).click();
    await page.waitForFunction((id) => document.querySelector('#campaign-title')?.textContent?.includes(id), `theirs-${suffix}`);
    await page.goBack();
    await page.waitForFunction((id) => document.querySelector('#campaign-title')?.textContent?.includes(id), `ours-${suffix}`);
    expect(browserErrors).toEqual([]);
    await page.context().close();
  });

  it('records feedback with a note as sightings, shows it in the history, and revokes it', async () => {
    const key = await service.key('demo-fr', ['read', 'feedback']);
    const page = await signedIn(key);
    await page.goto(`${service.server.url}/portal/#campaign/${ours.stixId}`);
    await page.waitForSelector('#campaign[data-state="ready"]');

    // a false positive on one indicator, with a note, by keyboard through the dialog
    const row = page.locator('#campaign-indicators-rows tr', { hasText: sender });
    await row.getByRole('button', { name: 'False positive' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#feedback-dialog[open]');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe('false_positive');
    await page.getByLabel(/^Note/).fill('Our own delivery notices use this number');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.waitForSelector('#feedback-dialog:not([open])', { state: 'attached' });
    await page.waitForFunction(
      (value) =>
        Array.from(document.querySelectorAll('#campaign-indicators-rows tr')).some(
          (tr) => tr.textContent?.includes(value) && tr.textContent.includes('1 false positive'),
        ),
      sender,
    );

    // "blocked" on the campaign: one sighting on each of its shared indicators
    await page.locator('#campaign .feedback-buttons').first().getByRole('button', { name: 'Blocked' }).click();
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.waitForSelector('#feedback-dialog:not([open])', { state: 'attached' });
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('#campaign-indicators-rows tr')).every((tr) => tr.textContent?.includes('1 blocked')),
    );

    // the history: three sightings, the note kept, and the false positive revoked again
    await page.getByRole('link', { name: 'Our feedback' }).click();
    await page.waitForSelector('#feedback[data-state="ready"] #feedback-list-rows tr');
    expect(await page.locator('#feedback-list-rows tr').count()).toBe(3);
    const fp = page.locator('#feedback-list-rows tr', { hasText: 'False positive' });
    expect(await fp.textContent()).toContain('Our own delivery notices use this number');
    await fp.getByRole('button', { name: /^Revoke/ }).click();
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('#feedback-list-rows tr')).some((tr) => /False positive.*Revoked/.test(tr.textContent ?? '')),
    );
    const listed = await service.get('/v1/sightings', key);
    const revoked = (listed.body as { data: Array<{ kind: string; revoked_at: string | null }> }).data.filter((s) => s.revoked_at);
    expect(revoked.map((s) => s.kind)).toEqual(['false_positive']);
    expect(await fitsPhone(page)).toBeLessThanOrEqual(PHONE.width);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#feedback-list-csv')]);
    expect((await readFile((await download.path())!, 'utf8')).trimEnd().split('\r\n')).toHaveLength(4);
    expect(browserErrors).toEqual([]);
    await page.context().close();
  });

  it('offers a read-only key no feedback and no revocation', async () => {
    const page = await signedIn(await service.key('demo-fr', ['read']));
    await page.goto(`${service.server.url}/portal/#campaign/${ours.stixId}`);
    await page.waitForSelector('#campaign[data-state="ready"]');
    expect(await page.locator('#campaign button[data-feedback]').count()).toBe(0);
    await page.getByRole('link', { name: 'Our feedback' }).click();
    await page.waitForSelector('#feedback[data-state="ready"]');
    expect(await page.locator('#feedback button', { hasText: 'Revoke' }).count()).toBe(0);
    // the look-up offers no feedback either
    await page.getByRole('link', { name: 'Now and look-up' }).click();
    await page.getByLabel('Phone number, sender ID, domain or URL').fill(domain);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#lookup[data-state="ready"] #lookup-indicator-rows tr');
    expect(await page.locator('#lookup button[data-feedback]').count()).toBe(0);
    expect(browserErrors).toEqual([]);
    await page.context().close();
  });
});
