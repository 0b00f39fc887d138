/// <reference lib="dom" />
// Code inside page.evaluate runs in the browser, so this file is checked with the DOM's types.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { listen, type RunningServer } from '@srs/http';
import { createRedis, type RedisClient } from '@srs/queue';
import { capturingLogger, createTestDatabase, eventually, REPO_ROOT, testConfig, type TestDatabase } from '@srs/testkit';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createStatsApp } from '../src/app';
import { DASHBOARD_DIR } from '../src/dashboard/dashboard-routes';
import { seedStatistics } from './seed-statistics';

const CHROMIUM = '/usr/bin/chromium';
const DASHBOARD_SCRIPT = path.join(DASHBOARD_DIR, 'app.js');
const RESULTS = path.join(REPO_ROOT, 'test-results');
const LAPTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
/** The time-series views and the canvas each draws on. */
const SERIES_VIEWS = { reports: 'chart-reports', campaigns: 'chart-campaigns', indicators: 'chart-indicators' } as const;

interface TimeSeries {
  measure: string;
  grain: string;
  by: string;
  buckets: string[];
  total: { values: Array<number | null>; published_sum: number; suppressed_cells: number };
  series: Array<{ key: string; label: string; values: Array<number | null> }>;
  rules: { min_cell: number; dominance_percent: number };
}

interface DrawnChart {
  labels: string[];
  datasets: Array<{ key?: string; label: string; data: Array<number | null>; seconds?: Array<number | null> }>;
}

/** The slice of Chart.js's global the page exposes that these tests read. */
interface ChartOnPage {
  Chart: { getChart(canvas: HTMLElement | null): { data: DrawnChart } };
}

/**
 * The regulator dashboard in a real headless Chromium against the real
 * statistics app and a database filled through the real pipeline: what the
 * charts draw is what the API answers.
 */
describe('the regulator dashboard in a browser', () => {
  let db: TestDatabase;
  let redis: RedisClient;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let regulatorKey: string;
  let operatorKey: string;
  const shutdown = new AbortController();
  const browserErrors: string[] = [];

  const api = async (pathAndQuery: string, accept = 'application/json') => {
    const res = await fetch(`${server.url}${pathAndQuery}`, { headers: { authorization: `Bearer ${regulatorKey}`, accept } });
    expect(res.status).toBe(200);
    return res;
  };
  const apiJson = async <T>(pathAndQuery: string) => (await (await api(pathAndQuery)).json()) as T;

  /** What a Chart.js instance on the page holds. */
  const drawn = (canvasId: string) =>
    page.evaluate((id) => {
      const chart = (window as unknown as ChartOnPage).Chart.getChart(document.getElementById(id));
      return {
        labels: chart.data.labels.slice(),
        datasets: chart.data.datasets.map((d) => ({ key: d.key, label: d.label, data: d.data.slice(), seconds: d.seconds })),
      };
    }, canvasId) as Promise<DrawnChart>;

  const query = (view: string) => page.getAttribute(`[data-view="${view}"]`, 'data-query') as Promise<string>;

  /** Waits until a view has drawn the answer to a query holding every given parameter. */
  const readyWith = (view: string, params: Record<string, string> = {}) =>
    page.waitForFunction(
      ([v, p]) => {
        const card = document.querySelector<HTMLElement>(`[data-view="${v}"]`);
        if (!card || card.dataset.state !== 'ready' || !card.dataset.query) return false;
        const q = new URL(card.dataset.query, 'http://x').searchParams;
        return Object.entries(p).every(([name, value]) => q.get(name) === value);
      },
      [view, params] as const,
      { timeout: 15_000 },
    );

  const allReady = () =>
    page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll<HTMLElement>('[data-view]'))
          .filter((card) => card.dataset.view !== 'live')
          .every((card) => card.dataset.state === 'ready'),
      undefined,
      { timeout: 15_000 },
    );

  /** A chart holds exactly the series of the API's answer to the query the page made. */
  async function expectChartMatchesApi(view: keyof typeof SERIES_VIEWS): Promise<TimeSeries> {
    const q = await query(view);
    const answer = await apiJson<TimeSeries>(q);
    const chart = await drawn(SERIES_VIEWS[view]);
    expect(chart.labels).toHaveLength(answer.buckets.length);
    const expected =
      answer.by !== 'none' && answer.series.length
        ? answer.series.map((s) => ({ key: s.key, data: s.values }))
        : [{ key: '__total', data: answer.total.values }];
    expect(chart.datasets.map((d) => ({ key: d.key, data: d.data }))).toEqual(expected);
    return answer;
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (npm test does)`);
    if (!existsSync(DASHBOARD_SCRIPT)) throw new Error(`${DASHBOARD_SCRIPT} is missing: npm run build bundles it (npm test does)`);
    db = await createTestDatabase();
    ({ regulatorKey, operatorKey } = await seedStatistics(db.pool));
    const config = testConfig({ DATABASE_URL: db.url, STATS_LIVE_INTERVAL_MS: '400' });
    redis = createRedis(config.redis.url, 'producer');
    const app = createStatsApp({ config, logger: capturingLogger('stats').logger, pool: db.pool, redis, shutdown: shutdown.signal });
    server = await listen(app, 0, '127.0.0.1');
    await mkdir(RESULTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Playwright gives every launch a new, temporary user-data-dir.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext({ viewport: LAPTOP, acceptDownloads: true, locale: 'en-GB', timezoneId: 'UTC' });
    page = await context.newPage();
    page.on('pageerror', (err) => browserErrors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      // The refused sign-ins are meant to fail: Chromium logs each refused request.
      if (msg.type() === 'error' && !/status of 40[13]/.test(msg.text())) browserErrors.push(msg.text());
    });
  }, 120_000);

  afterAll(async () => {
    shutdown.abort();
    await browser?.close();
    await server?.close(1000);
    redis?.disconnect();
    await db?.drop();
  });

  it('serves the page under /dashboard/ with Chart.js beside it, and sends / there', async () => {
    const root = await fetch(`${server.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/dashboard/');
    const html = await fetch(`${server.url}/dashboard/`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(html.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const chartJs = await fetch(`${server.url}/dashboard/vendor/chart.umd.js`);
    expect(chartJs.status).toBe(200);
    expect(chartJs.headers.get('content-type')).toMatch(/javascript/);
    expect((await chartJs.text()).length).toBeGreaterThan(100_000);
  });

  it('refuses a wrong key and an operator key, saying why', async () => {
    const response = await page.goto(`${server.url}/`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${server.url}/dashboard/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByLabel('Regulator key').fill('srs_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#login-error:not([hidden])');
    expect(await page.textContent('#login-error')).toMatch(/not accepted \(HTTP 401\)/);
    await page.getByLabel('Regulator key').fill(operatorKey);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /403/.test(document.getElementById('login-error')?.textContent ?? ''));
    expect(await page.textContent('#login-error')).toMatch(/regulator key/);
    expect(await page.isVisible('#dashboard')).toBe(false);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('signs in with a regulator key and draws what the API answers', async () => {
    await page.getByLabel('Regulator key').fill(regulatorKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#dashboard:not([hidden])');
    await allReady();
    expect(await page.isVisible('#login')).toBe(false);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([regulatorKey]);

    // Every call carried the key and the default period: the last 30 days, by day.
    const reportsQuery = new URL(await query('reports'), server.url).searchParams;
    expect(reportsQuery.get('grain')).toBe('day');
    expect(reportsQuery.get('by')).toBe('category');
    const from = reportsQuery.get('from')!;
    const to = reportsQuery.get('to')!;
    expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBe(30);

    const reports = await expectChartMatchesApi('reports');
    expect(reports.total.published_sum).toBeGreaterThan(0);
    expect(reports.series.length).toBeGreaterThan(0);
    const campaigns = await expectChartMatchesApi('campaigns');
    expect(campaigns.by).toBe('category');
    const indicators = await expectChartMatchesApi('indicators');
    expect(indicators.by).toBe('category');

    const domains = await apiJson<{ domains: Array<{ domain: string; reports: number }>; tlds: Array<{ tld: string; reports: number }> }>(
      await query('domains'),
    );
    const domainChart = await drawn('chart-domains');
    expect(domainChart.labels).toEqual(domains.domains.map((d) => d.domain));
    expect(domainChart.datasets[0]!.data).toEqual(domains.domains.map((d) => d.reports));
    const tldChart = await drawn('chart-tlds');
    expect(tldChart.labels).toEqual(domains.tlds.map((t) => `.${t.tld}`));
    expect(tldChart.datasets[0]!.data).toEqual(domains.tlds.map((t) => t.reports));

    const tts = await apiJson<{ buckets: string[]; median_seconds: Array<number | null>; p90_seconds: Array<number | null> }>(
      await query('time-to-share'),
    );
    const ttsChart = await drawn('chart-time-to-share');
    expect(ttsChart.labels).toHaveLength(tts.buckets.length);
    expect(ttsChart.datasets.map((d) => d.seconds)).toEqual([tts.median_seconds, tts.p90_seconds]);

    const summary = await apiJson<{ reports: number; campaigns: number; indicators_shared: number }>(await query('summary'));
    expect(summary.reports).toBeGreaterThan(0);
    const count = (n: number) => new Intl.NumberFormat('en').format(n);
    expect(await page.textContent('[data-tile="reports"]')).toBe(count(summary.reports));
    expect(await page.textContent('[data-tile="campaigns"]')).toBe(count(summary.campaigns));
    expect(await page.textContent('[data-tile="indicators_shared"]')).toBe(count(summary.indicators_shared));

    // Suppression is explained with the rule the API applied.
    const note = await page.textContent('[data-view="reports"] [data-note]');
    expect(note).toMatch(
      new RegExp(
        `^Cells under ${reports.rules.min_cell} reports, or with more than ${reports.rules.dominance_percent} % from one operator, are suppressed`,
      ),
    );
    if (reports.total.suppressed_cells + reports.series.reduce((n, s) => n + s.values.filter((v) => v === null).length, 0) > 0) {
      expect(note).toMatch(/\d+ suppressed cells? here/);
    }

    // Text alternatives: a description on every chart and the numbers as a table.
    for (const id of [
      'chart-reports',
      'chart-campaigns',
      'chart-indicators',
      'chart-domains',
      'chart-tlds',
      'chart-time-to-share',
      'chart-live',
    ]) {
      expect(await page.getAttribute(`#${id}`, 'role')).toBe('img');
      expect((await page.getAttribute(`#${id}`, 'aria-label'))!.length).toBeGreaterThan(20);
    }
    expect(await page.locator('[data-view="reports"] table tbody tr').count()).toBe(reports.buckets.length);
    // Every control has a label.
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select'))
        .filter((el) => !el.labels || el.labels.length === 0)
        .map((el) => el.id),
    );
    expect(unlabelled).toEqual([]);

    await page.screenshot({ path: path.join(RESULTS, 'dashboard.png'), fullPage: true });
  });

  it('asks again when a filter changes, and draws the new answer', async () => {
    const before = await drawn('chart-reports');
    const reports = await apiJson<TimeSeries>(await query('reports'));
    // The category with most reports, so the filtered chart has data and differs from all categories.
    const category = [...reports.series].sort((a, b) => sum(b.values) - sum(a.values))[0]!.key;
    await page.getByLabel('Category', { exact: true }).selectOption(category);
    await readyWith('reports', { category });
    await readyWith('campaigns', { category });
    const filtered = await expectChartMatchesApi('reports');
    expect(filtered.series.every((s) => s.key === category || sum(s.values) === 0)).toBe(true);
    expect(await drawn('chart-reports')).not.toEqual(before);
    await expectChartMatchesApi('campaigns');

    await page.getByLabel('Grain', { exact: true }).selectOption('week');
    await readyWith('reports', { grain: 'week', category });
    const weekly = await expectChartMatchesApi('reports');
    expect(weekly.grain).toBe('week');
    const weeklyChart = await drawn('chart-reports');
    expect(weeklyChart.labels.length).toBeLessThan(before.labels.length);
    expect(weeklyChart.labels[0]).toMatch(/^w\/c /);

    await page.getByLabel('Break reports down by', { exact: true }).selectOption('link');
    await readyWith('reports', { by: 'link' });
    const byLink = await expectChartMatchesApi('reports');
    expect(byLink.by).toBe('link');

    // Back to the defaults for what follows.
    await page.getByLabel('Category', { exact: true }).selectOption('');
    await page.getByLabel('Grain', { exact: true }).selectOption('day');
    await page.getByLabel('Break reports down by', { exact: true }).selectOption('category');
    await readyWith('reports', { grain: 'day', by: 'category' });
    await allReady();
  });

  it('downloads each view as CSV, methodology first', async () => {
    const q = await query('reports');
    const from = new URL(q, server.url).searchParams.get('from')!;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-view="reports"] [data-csv]')]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^reports-category-day-${from}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const file = path.join(RESULTS, download.suggestedFilename());
    await download.saveAs(file);
    const csv = await readFile(file, 'utf8');
    const lines = csv.split(/\r?\n/);
    expect(lines[0]).toMatch(/^#/);
    const header = lines.find((line) => !line.startsWith('#') && line.trim() !== '');
    expect(header).toBeDefined();
    expect(header!.split(',').length).toBeGreaterThan(1);
    // The very bytes the API sends for the same query.
    const direct = await (await api(`${q}&format=csv`, 'text/csv')).text();
    expect(csv).toBe(direct);

    const [domains] = await Promise.all([page.waitForEvent('download'), page.click('[data-view="domains"] [data-csv]')]);
    expect(domains.suggestedFilename()).toMatch(/^domains-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const domainsCsv = await readFile((await domains.path())!, 'utf8');
    expect(domainsCsv.startsWith('#')).toBe(true);
  });

  it('keeps the live counter updating, and reconnects when the stream drops', async () => {
    const updates = async () => Number((await page.getAttribute('[data-view="live"]', 'data-updates')) ?? 0);
    const first = await eventually(updates, (n) => n >= 2, 10_000);
    expect(first).toBeGreaterThanOrEqual(2);
    expect(await page.textContent('#live-updated')).toMatch(/^\d{2}:\d{2}:\d{2} UTC$/);
    const live = await drawn('chart-live');
    expect(live.labels).toHaveLength(60);
    expect(live.datasets.length).toBeGreaterThan(0);
    expect(await page.textContent('#live-status')).toBe('Live: connected');

    // Drop every connection: the page backs off, reconnects and carries on.
    const errorsBefore = browserErrors.length;
    server.server.closeAllConnections();
    const before = await updates();
    const after = await eventually(updates, (n) => n > before + 1, 15_000);
    expect(after).toBeGreaterThan(before + 1);
    await eventually(
      () => page.textContent('#live-status'),
      (t) => t === 'Live: connected',
      5_000,
    );
    expect(await page.textContent('#live-status')).toBe('Live: connected');
    // Chromium logs the stream cut short; nothing else may have gone wrong.
    const dropped = browserErrors.splice(errorsBefore);
    expect(
      dropped.filter((e) => !/net::ERR_(INCOMPLETE_CHUNKED_ENCODING|EMPTY_RESPONSE|CONNECTION_RESET|CONNECTION_CLOSED)/.test(e)),
    ).toEqual([]);
  });

  it('fits a phone screen without scrolling sideways', async () => {
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(300); // charts follow their boxes on the next frame
    const widths = await page.evaluate(() => {
      const cards = Array.from(document.querySelectorAll('.card, .filters')).map((el) => el.getBoundingClientRect().right);
      return { scroll: document.documentElement.scrollWidth, viewport: window.innerWidth, rightmost: Math.max(...cards) };
    });
    expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
    expect(widths.rightmost).toBeLessThanOrEqual(widths.viewport);
    await page.screenshot({ path: path.join(RESULTS, 'dashboard-phone.png'), fullPage: true });
    await page.setViewportSize(LAPTOP);
  });

  it('is usable from the keyboard', async () => {
    await page.focus('#f-grain');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-category');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowUp'); // a focused select changes with the arrow keys
    await readyWith('reports', { grain: 'hour' });
    await expectChartMatchesApi('reports');
    await page.keyboard.press('ArrowDown');
    await readyWith('reports', { grain: 'day' });
    const outline = await page.evaluate(() => {
      return document.activeElement ? getComputedStyle(document.activeElement).outlineStyle : 'none';
    });
    expect(outline).not.toBe('none');
  });

  it('signs out, forgetting the key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('#login:not([hidden])');
    expect(await page.isVisible('#dashboard')).toBe(false);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // A reload stays signed out.
    await page.reload();
    await page.waitForSelector('#login:not([hidden])');
    expect(browserErrors).toEqual([]);
  });
});

function sum(values: Array<number | null>): number {
  return values.reduce<number>((a, v) => a + (v ?? 0), 0);
}
