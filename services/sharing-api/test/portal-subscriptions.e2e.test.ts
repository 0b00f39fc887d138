/// <reference lib="dom" />
// Code inside page.evaluate runs in the browser, so this file is checked with the DOM's types.
import { readFile } from 'node:fs/promises';
import { eventually, uniqueSuffix } from '@srs/testkit';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import request from 'supertest';
import { startSharingService, startWebhookReceiver, type SharingService, type WebhookReceiver } from './attack-harness';
import { launchPortalBrowser, PHONE, portalPage } from './portal-browser';

const OPERATOR = 'demo-fr';

/**
 * The portal's "Webhooks and keys" view (issue 29, point 5) in a real headless
 * Chromium on a phone-sized screen, against the whole sharing API with a
 * webhook receiver: an admin key creates, pauses, resumes, rotates, inspects,
 * replays and deletes a webhook, creates and revokes a key, cannot revoke
 * itself, and exports every list; a read-only key sees no control that
 * changes anything. Operated by keyboard; no console errors.
 */
describe('the portal’s webhooks and keys in a browser', () => {
  let service: SharingService;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let page: Page;
  let adminKey: string;
  let readKey: string;
  let publishKey: string;
  let firstSecret = '';
  let newKey = '';
  const keyName = `firewall-${uniqueSuffix()}`;
  const browserErrors: string[] = [];

  beforeAll(async () => {
    service = await startSharingService();
    receiver = await startWebhookReceiver();
    adminKey = await service.key(OPERATOR, ['read', 'admin']);
    readKey = await service.key(OPERATOR, ['read']);
    publishKey = await service.key(OPERATOR, ['publish']);
    browser = await launchPortalBrowser();
    // the refused URL (400) and the replay while paused (409) are meant to fail: Chromium logs the refused requests
    page = await portalPage(browser, browserErrors, /status of 40[09]/);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    receiver?.close();
    await service?.close();
  });

  const focusedText = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
  /** presses a button the way a keyboard user does */
  const press = async (button: Locator) => {
    await button.focus();
    await page.keyboard.press('Enter');
  };
  const fitsThePhone = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  const csvOf = async (button: Locator) => {
    await button.focus();
    const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    return (await readFile((await download.path())!, 'utf8')).trimEnd().split('\r\n');
  };
  const webhookRow = () => page.locator('#subs-webhook-rows tr');
  /** a cell's text by its column: the phone shows the label before it, which textContent does not hold */
  const cellOf = (row: Locator, label: string) => row.locator(`td[data-label="${label}"]`).textContent();
  const keyRow = (name: string) => page.locator('#subs-key-rows tr', { hasText: name });

  async function signIn(key: string): Promise<void> {
    await page.goto(`${service.server.url}/portal/`);
    await page.getByLabel('Operator API key').fill(key);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#now[data-state="ready"]');
  }

  async function openView(): Promise<void> {
    await page.evaluate(() => (location.hash = '#subscriptions'));
    await page.waitForSelector('#subs-webhooks[data-state="ready"]');
    await page.waitForSelector('#subs-keys[data-state="ready"]');
  }

  it('an admin key reaches the view by keyboard and is told it has no webhook yet', async () => {
    await signIn(adminKey);
    const link = page.getByRole('link', { name: 'Webhooks and keys' });
    await press(link);
    await page.waitForSelector('#subs-webhooks[data-state="ready"]');
    await page.waitForSelector('#subs-keys[data-state="ready"]');
    expect(await page.textContent('#subs-webhooks-empty')).toBe('You have no webhooks. Create one below.');
    expect(await page.isDisabled('#subs-webhooks-csv')).toBe(true);
    expect(await page.isVisible('#subs-webhooks-readonly')).toBe(false);
    await fitsThePhone();
  });

  it('creates a webhook from the form and shows its signing secret once', async () => {
    // refused by the API, whose own message is shown beside the form and names the field
    await page.getByLabel('Receiver URL').fill('ftp://example.com/hook');
    await page.getByLabel('Receiver URL').press('Enter');
    await page.waitForSelector('#subs-webhook-form-error:not([hidden])');
    expect(await page.textContent('#subs-webhook-form-error')).toBe('The webhook was not created: url: must be http or https');
    expect(await page.getByLabel('Receiver URL').getAttribute('aria-invalid')).toBe('true');
    expect(await focusedId()).toBe('subs-webhook-url');

    await page.getByLabel('Receiver URL').fill(receiver.url);
    await page.getByLabel('Description (optional)').fill('SMS firewall');
    // only indicators: campaign changes unticked with the space bar
    await page.getByLabel('Campaign changes (campaign.changed)').focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Description (optional)').press('Enter');
    await page.waitForSelector('#subs-webhook-secret');
    const secretField = page.getByRole('textbox', { name: 'Signing secret' });
    firstSecret = await secretField.inputValue();
    expect(firstSecret).toMatch(/^whsec_[A-Za-z0-9+/=]{32,}$/);
    expect(await focusedId()).toBe('subs-webhook-secret-value');
    expect(await page.textContent('#subs-webhook-secret')).toContain('it will not be shown again');
    await page.waitForSelector('#subs-webhooks[data-state="ready"] #subs-webhook-rows tr');
    expect(await webhookRow().count()).toBe(1);
    expect(await webhookRow().locator('th').textContent()).toBe(`${receiver.url}SMS firewall`);
    expect(await cellOf(webhookRow(), 'Events')).toBe('Indicators');
    expect(await cellOf(webhookRow(), 'Status')).toBe('Active');
    expect(await cellOf(webhookRow(), 'Signing')).toBe('1 secret signing');
    expect(await cellOf(webhookRow(), 'Last delivery')).toBe('Nothing sent yet');
    expect(await cellOf(webhookRow(), 'Last failure')).toBe('None');
    expect(await page.textContent('#subs-webhooks-status')).toMatch(/was created\. 1 webhook\./);
    // the form is ready for another one
    expect(await page.getByLabel('Receiver URL').inputValue()).toBe('');
    expect(await page.getByLabel('Campaign changes (campaign.changed)').isChecked()).toBe(true);
    await fitsThePhone();

    // "I have stored it" takes it off the page for good; the keyboard goes on to the webhook's row
    await press(page.getByRole('button', { name: 'I have stored it' }));
    expect(await page.isVisible('#subs-webhook-secret')).toBe(false);
    expect(await page.content()).not.toContain(firstSecret);
    expect(await focusedText()).toBe(`Deliveries of webhook ${receiver.url}`);
  });

  it('pauses and resumes the webhook, the focus staying on its button', async () => {
    await press(page.getByRole('button', { name: `Pause webhook ${receiver.url}` }));
    await page.waitForSelector('#subs-webhook-rows tr[data-status="disabled"]');
    expect(await cellOf(webhookRow(), 'Status')).toBe('Paused (disabled by the operator)');
    expect(await page.textContent('#subs-webhooks-status')).toMatch(/is paused: nothing is sent to it until it is resumed/);
    expect(await focusedText()).toBe(`Resume webhook ${receiver.url}`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#subs-webhook-rows tr[data-status="active"]');
    expect(await focusedText()).toBe(`Pause webhook ${receiver.url}`);
    expect(await page.textContent('#subs-webhooks-status')).toMatch(/is active again/);
  });

  it('shows the deliveries, a failed one replayed (refused while paused, with the API’s reason), and exports them', async () => {
    const domain = `parcel-${uniqueSuffix()}.top`.toLowerCase();
    const published = await service.post(
      '/v1/indicators',
      { type: 'domain', value: domain, category: 'smishing', tlp: 'green' },
      publishKey,
    );
    expect(published.status).toBeLessThan(300);
    await eventually(
      () => receiver.received.length,
      (n) => n >= 1,
    );
    expect(receiver.received[0]!.data).toMatchObject({ value: domain });
    // the worker records the delivery after the receiver answered: wait for that before changing it
    const hookId = ((await service.get('/v1/webhooks', adminKey)).body as { data: Array<{ id: string }> }).data[0]!.id;
    const recorded = await eventually(
      async () => (await service.get(`/v1/webhooks/${hookId}/deliveries`, adminKey)).body as { data: Array<{ status: string }> },
      (page) => page.data[0]?.status === 'delivered',
    );
    expect(recorded.data.map((d) => d.status)).toEqual(['delivered']);
    // A receiver fails for real only after ten attempts over some 42 minutes: the delivery is marked failed as the worker would.
    await service.db.pool.query(
      `UPDATE webhook_deliveries SET status = 'failed', last_status_code = 503, delivered_at = NULL WHERE id = $1`,
      [receiver.received[0]!.webhookId],
    );

    await page.reload();
    await openView();
    expect(await cellOf(webhookRow(), 'Last failure')).toMatch(/^Failed \d{4}-\d\d-\d\d \d\d:\d\d UTC \(HTTP 503\)$/);
    await press(page.getByRole('button', { name: `Deliveries of webhook ${receiver.url}` }));
    await page.waitForSelector('#subs-deliveries[data-state="ready"] #subs-delivery-rows tr');
    expect(await focusedId()).toBe('subs-deliveries-title');
    const delivery = page.locator('#subs-delivery-rows tr');
    expect(await delivery.count()).toBe(1);
    expect(await cellOf(delivery, 'Change')).toBe(`domain ${domain}`);
    expect(await cellOf(delivery, 'Status')).toBe('Failed');
    expect(await cellOf(delivery, 'Last answer')).toBe('HTTP 503');
    await fitsThePhone();

    // only the failed ones: the filter by keyboard
    await page.getByLabel('Which deliveries').focus();
    await page.getByLabel('Which deliveries').selectOption('delivered');
    await press(page.getByRole('button', { name: 'Show', exact: true }));
    await page.waitForSelector('#subs-deliveries[data-state="ready"] #subs-deliveries-empty');
    expect(await page.textContent('#subs-deliveries-empty')).toBe('No delivered deliveries to this webhook.');
    await page.getByLabel('Which deliveries').selectOption('failed');
    await press(page.getByRole('button', { name: 'Show', exact: true }));
    await page.waitForSelector('#subs-deliveries[data-state="ready"] #subs-delivery-rows tr');

    // paused, the replay is refused and the API says why
    await press(page.getByRole('button', { name: `Pause webhook ${receiver.url}` }));
    await page.waitForSelector('#subs-webhook-rows tr[data-status="disabled"]');
    await press(page.getByRole('button', { name: /^Replay delivery msg_/ }));
    await page.waitForSelector('#subs-deliveries-error:not([hidden])');
    expect(await page.textContent('#subs-deliveries-error')).toBe(
      'The delivery was not replayed: the webhook is disabled; set its status to active first',
    );
    await press(page.getByRole('button', { name: `Resume webhook ${receiver.url}` }));
    await page.waitForSelector('#subs-webhook-rows tr[data-status="active"]');
    await press(page.getByRole('button', { name: /^Replay delivery msg_/ }));
    // pending as the replay answered, unless the worker was quicker still
    await page.waitForSelector('#subs-delivery-rows tr:is([data-status="pending"], [data-status="delivered"])');
    expect(await page.textContent('#subs-deliveries-status')).toMatch(/is queued again/);
    expect(await focusedId()).toBe('subs-deliveries-status');
    // the long delivery id in the outcome line wraps
    await fitsThePhone();
    await eventually(
      () => receiver.received.length,
      (n) => n >= 2,
    );
    expect(receiver.received[1]!.webhookId).toBe(receiver.received[0]!.webhookId);

    const lines = await csvOf(page.locator('#subs-deliveries-csv'));
    expect(lines[0]).toBe(
      'id,event_type,change,status,attempt_count,replays,last_status_code,last_error,created_at,updated_at,delivered_at',
    );
    expect(lines[1]).toMatch(
      new RegExp(`^msg_[0-9a-f_]+,indicator\\.changed,domain ${domain.replace(/\./g, '\\.')},(pending|delivered),[12],1,`),
    );
    expect(lines).toHaveLength(2);

    await press(page.getByRole('button', { name: 'Close the deliveries' }));
    expect(await page.isVisible('#subs-deliveries')).toBe(false);
    expect(await focusedText()).toBe(`Deliveries of webhook ${receiver.url}`);
  });

  it('rotates the secret: the new one is shown once, the previous one keeps signing for a while', async () => {
    await press(page.getByRole('button', { name: `Rotate secret of webhook ${receiver.url}` }));
    await page.waitForSelector('#subs-webhook-secret');
    const rotated = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(firstSecret);
    expect(await focusedId()).toBe('subs-webhook-secret-value');
    expect(await page.textContent('#subs-webhook-secret')).toMatch(
      /The previous secret keeps signing beside it until \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
    );
    await page.waitForSelector('#subs-webhooks[data-state="ready"]');
    expect(await cellOf(webhookRow(), 'Signing')).toMatch(/^2 secrets signing; the previous one until \d{4}-/);
    await press(page.getByRole('button', { name: 'I have stored it' }));
    expect(await focusedText()).toBe(`Rotate secret of webhook ${receiver.url}`);

    const lines = await csvOf(page.locator('#subs-webhooks-csv'));
    expect(lines[0]).toBe(
      'id,url,description,events,filter,status,disabled_reason,secrets,created_at,updated_at,last_delivery_status,last_delivery_at,last_failure_at,last_failure_answer',
    );
    expect(lines[1]).toMatch(new RegExp(`^wh_[0-9a-f]{20},${receiver.url},SMS firewall,indicator\\.changed,,active,,2,`));
    expect(lines.join('\n')).not.toMatch(/whsec_/);
  });

  it('lists the keys with this one marked and its Revoke disabled, saying why', async () => {
    const own = page.locator('#subs-key-rows tr.subs-current');
    expect(await own.count()).toBe(1);
    expect(await own.textContent()).toContain('This key (you are signed in with it)');
    expect(await own.textContent()).toContain(`srs_${adminKey.slice(4, 14)}`);
    const revokeSelf = own.getByRole('button', { name: /^Revoke key/ });
    expect(await revokeSelf.isDisabled()).toBe(true);
    expect(await own.textContent()).toContain('You are signed in with this key: revoke it with another admin key.');
    expect(await page.locator('#subs-key-rows tr').count()).toBe(3);
  });

  it('creates a read key shown once, which works, then revokes it after a confirm step, and it is refused', async () => {
    await page.getByLabel('Name').fill(keyName);
    // read is ticked already; an expiry in 30 days
    await page.getByLabel('Expires after (days, optional)').fill('30');
    await page.getByLabel('Expires after (days, optional)').press('Enter');
    await page.waitForSelector('#subs-new-key');
    newKey = await page.getByRole('textbox', { name: 'Key', exact: true }).inputValue();
    expect(newKey).toMatch(/^srs_/);
    expect(await focusedId()).toBe('subs-new-key-value');
    expect(await page.textContent('#subs-new-key')).toMatch(/it will not be shown again/);
    expect(await page.textContent('#subs-new-key')).toMatch(/Scopes read; expires \d{4}-\d\d-\d\d/);
    await page.waitForSelector(`#subs-key-rows tr:has-text("${keyName}")`);
    expect(await cellOf(keyRow(keyName), 'Scopes')).toBe('read');
    expect(await cellOf(keyRow(keyName), 'Status')).toBe('Active');
    expect(await cellOf(keyRow(keyName), 'Expires')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    await fitsThePhone();
    expect((await request(service.server.url).get('/v1/portal/now').set('authorization', `Bearer ${newKey}`)).status).toBe(200);

    await press(page.getByRole('button', { name: 'I have stored it' }));
    expect(await page.content()).not.toContain(newKey);

    // Escape backs out of the confirm step, the focus back on Revoke
    const revoke = keyRow(keyName).getByRole('button', { name: `Revoke key ${keyName}`, exact: false });
    await press(revoke);
    expect(await focusedText()).toBe('Revoke key');
    await page.keyboard.press('Escape');
    expect(await focusedText()).toMatch(new RegExp(`^Revoke key ${keyName}`));
    await page.keyboard.press('Enter');
    expect(await keyRow(keyName).textContent()).toMatch(/Whatever uses it is refused from now on/);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#subs-key-rows tr[data-status="revoked"]`);
    expect(await cellOf(keyRow(keyName), 'Status')).toBe('Revoked');
    expect(await cellOf(keyRow(keyName), 'Revoked')).toMatch(/^\d{4}-/);
    expect(await page.textContent('#subs-keys-status')).toMatch(new RegExp(`^${keyName} \\(srs_\\w+\\) is revoked\\.`));
    expect(await focusedText()).toContain(keyName);
    expect((await request(service.server.url).get('/v1/portal/now').set('authorization', `Bearer ${newKey}`)).status).toBe(401);

    const lines = await csvOf(page.locator('#subs-keys-csv'));
    expect(lines[0]).toBe('id,name,prefix,scopes,status,this_key,created_at,last_used_at,expires_at,revoked_at');
    expect(lines.find((l) => l.includes(keyName))).toMatch(/,read,revoked,false,\d{4}-[^,]+,(\d{4}-[^,]+)?,\d{4}-[^,]+,\d{4}-/);
    expect(lines.filter((l) => l.includes(',true,'))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(newKey);
    expect(browserErrors).toEqual([]);
  });

  it('a read-only key sees the webhooks and their deliveries, with no control that changes them and no keys', async () => {
    await press(page.getByRole('button', { name: 'Sign out' }));
    await signIn(readKey);
    expect(await page.isVisible('#nav-subscriptions')).toBe(false);
    await openView();
    expect(await page.textContent('#subs-webhooks-readonly')).toMatch(/need a key with the admin scope/);
    expect(await page.textContent('#subs-keys-readonly')).toMatch(/needs a key with the admin scope; this one has read\./);
    expect(await webhookRow().count()).toBe(1);
    const buttons = await page.locator('#subscriptions-body button').allTextContents();
    expect(buttons.map((b) => b.trim())).toEqual(['Download CSV of the webhooks', `Deliveries of webhook ${receiver.url}`]);
    expect(await page.locator('#subscriptions-body form').count()).toBe(0);
    expect(await page.locator('#subs-key-rows').count()).toBe(0);
    await press(page.getByRole('button', { name: `Deliveries of webhook ${receiver.url}` }));
    await page.waitForSelector('#subs-deliveries[data-state="ready"] #subs-delivery-rows tr');
    expect(await page.locator('#subs-deliveries button', { hasText: 'Replay' }).count()).toBe(0);
    await fitsThePhone();
    expect(browserErrors).toEqual([]);
  });

  it('the admin deletes the webhook after a confirm step and is told the list is empty', async () => {
    await press(page.getByRole('button', { name: 'Sign out' }));
    await signIn(adminKey);
    await openView();
    await press(page.getByRole('button', { name: `Delete webhook ${receiver.url}` }));
    expect(await focusedText()).toBe('Delete webhook');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#subs-webhooks-empty');
    expect(await page.textContent('#subs-webhooks-status')).toBe(`The webhook to ${receiver.url} was deleted.`);
    expect(await focusedId()).toBe('subs-webhooks-status');
    expect((await service.get('/v1/webhooks', adminKey)).body).toEqual({ data: [] });
    expect(browserErrors).toEqual([]);
  });
});
