import { newReportReference, pseudonymise, type TextClassification } from '@srs/core';
import { StatsRollupRepository, type NewReport, type ReportsRepository } from '@srs/db';
import { capturingLogger, testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import type { BatchAnalyser } from '../src/analysis/batch-analyser';
import { analyserOnTestDatabase } from './analyser-on-test-database';
import { StatsRollup } from '../src/statistics/stats-rollup';

function fakeClassifier(text: string): TextClassification {
  const spam = !/see you/i.test(text);
  return {
    spam,
    category: spam ? 'smishing' : 'not_spam',
    confidence: 0.9,
    language: 'en',
    probability: spam ? 0.9 : 0.1,
    spamCategory: 'smishing',
    lure: false,
    modelVersion: 'test',
  };
}

describe('statistics rollup: from analysed reports to the regulator rollups', () => {
  let db: TestDatabase;
  let reports: ReportsRepository;
  let analyser: BatchAnalyser;
  let rollup: StatsRollup;
  const config = testConfig({ INDICATOR_MIN_REPORTERS: '2', INDICATOR_PUBLISH_SCORE: '0.3' });

  beforeAll(async () => {
    ({ db, reports, analyser } = await analyserOnTestDatabase(config, fakeClassifier));
    rollup = new StatsRollup({
      repository: new StatsRollupRepository(db.pool),
      logger: capturingLogger('worker').logger,
      intervalMs: 60_000,
      retentionDays: 30,
    });
  });
  afterAll(() => db.drop());

  async function report(
    text: string,
    options: { reporter: string; operator?: string; sender?: NewReport['sender'] | null; receivedAt?: Date },
  ) {
    const { row } = await reports.insertOnce({
      reference: newReportReference(),
      operatorId: options.operator ?? 'demo-uk',
      gateway: 'kannel',
      gatewayMessageId: `s-${uniqueSuffix()}`,
      reporterPseudonym: pseudonymise(`+4477009${options.reporter.padStart(5, '0')}`, config.privacy.msisdnHmacKey),
      shortCode: '7726',
      body: text,
      coding: 'gsm7',
      smsc: null,
      channel: 'kannel',
      language: 'en',
      receivedAt: options.receivedAt ?? new Date(),
      ...(options.sender ? { sender: options.sender } : {}),
    });
    return row;
  }
  const sums = async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows;

  it('counts a report once it is analysed and its conversation is over, by hour and day, with its origin and links', async () => {
    const at = new Date('2026-11-04T10:20:00Z');
    await report('Your parcel is held. Pay the fee at https://parcel-fee.top/pay', {
      reporter: '1',
      receivedAt: at,
      sender: { kind: 'msisdn', value: '+2348031234567', display: '+2348031234567' },
    });
    await report('Claim your refund https://bit.ly/3xYz now', {
      reporter: '2',
      receivedAt: at,
      sender: { kind: 'alphanumeric', value: 'HMRC-REFUND', display: 'HMRC-REFUND' },
    });
    await report('See you at 6 tonight', {
      reporter: '3',
      receivedAt: at,
      sender: { kind: 'short_code', value: '60300', display: '60300' },
    });
    const waiting = await report('Your account is locked, call 0800 000 000', { reporter: '4', receivedAt: at });
    await analyser.runOnce();
    await rollup.runOnce();

    // Category, origin and sender type are one cuboid (bits 1, 2, 4); category and links another (1, 8).
    const hour = await sums(
      `SELECT category, origin_country, sender_type, operator_id, reports FROM stats_reports
        WHERE grain = 'hour' AND cuboid = 7 AND bucket = '2026-11-04T10:00:00Z' ORDER BY sender_type`,
    );
    expect(hour).toEqual([
      { category: 'smishing', origin_country: 'ZZ', sender_type: 'alphanumeric', operator_id: 'demo-uk', reports: 1 },
      { category: 'smishing', origin_country: 'NG', sender_type: 'long_number', operator_id: 'demo-uk', reports: 1 },
      { category: 'not_spam', origin_country: 'GB', sender_type: 'short_code', operator_id: 'demo-uk', reports: 1 },
    ]);
    const links = await sums(
      `SELECT link_kind, reports FROM stats_reports WHERE grain = 'hour' AND cuboid = 8 AND bucket = '2026-11-04T10:00:00Z' ORDER BY link_kind`,
    );
    expect(links).toEqual([
      { link_kind: 'link', reports: 1 },
      { link_kind: 'none', reports: 1 },
      { link_kind: 'shortener', reports: 1 },
    ]);
    // Every cuboid counts each report once.
    const perCuboid = await sums(
      `SELECT cuboid, sum(reports)::int AS n FROM stats_reports WHERE grain = 'day' AND bucket = '2026-11-04T00:00:00Z' GROUP BY cuboid`,
    );
    expect(perCuboid).toHaveLength(12);
    for (const row of perCuboid) expect(row.n).toBe(3);
    // Domains of spam only, in every cuboid of category and country.
    const domains = await sums(
      `SELECT domain, tld, reports FROM stats_domains WHERE cuboid = 0 AND week = '2026-11-02T00:00:00Z' ORDER BY domain`,
    );
    expect(domains).toEqual([
      { domain: 'bit.ly', tld: 'ly', reports: 1 },
      { domain: 'parcel-fee.top', tld: 'top', reports: 1 },
    ]);

    // The report still waiting for its sender is counted once the conversation ends.
    await reports.completeWithoutSender(
      { operatorId: 'demo-uk', gateway: 'kannel', gatewayMessageId: waiting.gatewayMessageId },
      'no_sender_timeout',
    );
    await rollup.runOnce();
    const none = await sums(`SELECT sum(reports)::int AS n FROM stats_reports WHERE grain = 'day' AND cuboid = 4 AND sender_type = 'none'`);
    expect(none[0].n).toBe(1);
  });

  it('never counts a report twice, however often or concurrently it runs', async () => {
    const before = await sums(`SELECT COALESCE(sum(reports), 0)::int AS n FROM stats_reports WHERE grain = 'day' AND cuboid = 0`);
    for (let i = 0; i < 30; i++)
      await report(`Unique spam number ${i} https://win-${i}.example/x`, {
        reporter: `${100 + i}`,
        sender: { kind: 'msisdn', value: '+447700900123', display: '+447700900123' },
      });
    await analyser.runOnce();
    const other = new StatsRollup({
      repository: new StatsRollupRepository(db.pool),
      logger: capturingLogger('worker').logger,
      intervalMs: 60_000,
      retentionDays: 0,
    });
    await Promise.all([rollup.runOnce(), other.runOnce(), rollup.runOnce()]);
    await rollup.runOnce();
    const after = await sums(`SELECT sum(reports)::int AS n FROM stats_reports WHERE grain = 'day' AND cuboid = 0`);
    expect(after[0].n - before[0].n).toBe(30);
    const uncounted = await sums(`SELECT count(*)::int AS n FROM reports WHERE stats_at IS NULL`);
    expect(uncounted[0].n).toBe(0);
  });

  it('counts a cluster as a campaign once two subscribers reported it, and an indicator when first shared, with its delay', async () => {
    const text = 'URGENT your bank card is blocked, verify at https://card-verify.top/x';
    await report(text, { reporter: '201', operator: 'demo-uk' });
    await analyser.runOnce();
    await rollup.runOnce();
    const campaignsBefore = await sums(`SELECT COALESCE(sum(campaigns), 0)::int AS n FROM stats_campaigns WHERE grain = 'day'`);
    await report(text, { reporter: '202', operator: 'demo-fr' });
    await report(text, { reporter: '203', operator: 'demo-fr' });
    await analyser.runOnce();
    await rollup.runOnce();
    const campaignsAfter = await sums(`SELECT sum(campaigns)::int AS n FROM stats_campaigns WHERE grain = 'day'`);
    expect(campaignsAfter[0].n - campaignsBefore[0].n).toBe(1);
    const shared = await sums(`SELECT shared_at FROM indicators WHERE type = 'domain' AND value = 'card-verify.top'`);
    expect(shared[0].shared_at).toBeInstanceOf(Date);
    const indicators = await sums(
      `SELECT type, indicators FROM stats_indicators WHERE grain = 'day' AND type = 'domain' AND category = 'smishing'`,
    );
    expect(indicators.reduce((n, r) => n + r.indicators, 0)).toBeGreaterThanOrEqual(1);
    const delays = await sums(`SELECT sum(indicators)::int AS n FROM stats_share_delays`);
    expect(delays[0].n).toBeGreaterThanOrEqual(1);
  });

  it('deletes raw reports past retention once counted, and the rollups keep them', async () => {
    const old = new Date(Date.now() - 40 * 86_400_000);
    await report('Old spam https://old-spam.top/a', {
      reporter: '300',
      receivedAt: old,
      sender: { kind: 'msisdn', value: '+447700900123', display: '+447700900123' },
    });
    await analyser.runOnce();
    const day = old.toISOString().slice(0, 10);
    const fresh = new StatsRollup({
      repository: new StatsRollupRepository(db.pool),
      logger: capturingLogger('worker').logger,
      intervalMs: 60_000,
      retentionDays: 30,
    });
    const outcome = await fresh.runOnce();
    expect(outcome.deleted).toBeGreaterThanOrEqual(1);
    expect((await sums(`SELECT count(*)::int AS n FROM reports WHERE received_at < now() - interval '30 days'`))[0].n).toBe(0);
    expect(
      (await sums(`SELECT sum(reports)::int AS n FROM stats_reports WHERE grain = 'day' AND cuboid = 0 AND bucket = $1::date`, [day]))[0].n,
    ).toBe(1);
  });
});
