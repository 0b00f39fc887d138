import { newReportReference, pseudonymise, type TextClassification } from '@srs/core';
import type { NewReport, ReportsRepository } from '@srs/db';
import { testConfig, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import type { BatchAnalyser } from '../src/analysis/batch-analyser';
import { analyserOnTestDatabase } from './analyser-on-test-database';

/** A stand-in classifier with known answers, so these tests are about counting, not about the model. */
function fakeClassifier(text: string): TextClassification {
  if (/boom/.test(text)) throw new Error('the classifier choked');
  const spam = !/verification code|see you/i.test(text);
  return {
    spam,
    category: spam ? 'smishing' : 'not_spam',
    confidence: spam ? 0.9 : 0.95,
    language: 'en',
    probability: spam ? 0.9 : 0.05,
    spamCategory: 'smishing',
    lure: false,
    modelVersion: 'test',
  };
}

describe('analyser: from stored reports to campaigns and scored indicators', () => {
  let db: TestDatabase;
  let reports: ReportsRepository;
  let analyser: BatchAnalyser;
  const config = testConfig({ INDICATOR_MIN_REPORTERS: '2', INDICATOR_PUBLISH_SCORE: '0.4', ALLOWLIST: 'domain:mybank.co.uk' });

  beforeAll(async () => {
    ({ db, reports, analyser } = await analyserOnTestDatabase(config, fakeClassifier));
  });
  afterAll(() => db.drop());

  const reporter = (name: string) => pseudonymise(`+4477009${name.padStart(5, '0').slice(-5)}`, config.privacy.msisdnHmacKey);
  async function report(text: string, options: { reporter: string; operator?: string; sender?: NewReport['sender']; receivedAt?: Date }) {
    const { row } = await reports.insertOnce({
      reference: newReportReference(),
      operatorId: options.operator ?? 'demo-uk',
      gateway: 'kannel',
      gatewayMessageId: `a-${uniqueSuffix()}`,
      reporterPseudonym: reporter(options.reporter),
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
  async function drain() {
    let total = 0;
    for (let i = 0; i < 20; i++) {
      const outcome = await analyser.runOnce();
      total += outcome.reports;
      if (outcome.reports === 0) return total;
    }
    throw new Error('analyser never ran dry');
  }
  const reportRow = (id: number) => db.pool.query('SELECT * FROM reports WHERE id = $1', [id]).then((r) => r.rows[0]);
  const campaign = (id: number) => db.pool.query('SELECT * FROM campaigns WHERE id = $1', [id]).then((r) => r.rows[0]);
  const indicator = (type: string, value: string) =>
    db.pool.query('SELECT * FROM indicators WHERE type = $1 AND value = $2', [type, value]).then((r) => r.rows[0]);

  it('puts variants of one text from many reporters and operators into one campaign, counting each reporter once', async () => {
    const a = await report(
      'Royal Mail: your parcel is held, a £1.45 fee is unpaid. Pay at https://rm-fee-a1.example/track?id=8F3K2 today',
      { reporter: '101' },
    );
    const b = await report(
      'ROYAL MAIL: your parcel is held, a £2.99 fee is unpaid. Pay at https://rm-fee-b2.example/track?id=Z9Q7W today',
      { reporter: '102' },
    );
    const again = await report(
      'Royal Mail: your parcel is held, a £1.45 fee is unpaid. Pay at https://rm-fee-a1.example/track?id=8F3K2 today',
      { reporter: '101' },
    );
    const fr = await report(
      'Royal Mail: your  parcel is held, a £3.10 fee is unpaid. Pay at https://rm-fee-c3.example/track?id=PP0Q1 today',
      {
        reporter: '103',
        operator: 'demo-fr',
      },
    );
    const other = await report('Congratulations! You have won a brand new iPhone 15, call 09061234567 to claim your prize now', {
      reporter: '101',
    });
    expect(await drain()).toBe(5);

    const rows = await Promise.all([a, b, again, fr, other].map((r) => reportRow(Number(r.id))));
    const ids = new Set(rows.slice(0, 4).map((r) => r.campaign_id));
    expect(ids.size).toBe(1);
    expect(rows[4].campaign_id).not.toBe(rows[0].campaign_id);
    expect(rows.map((r) => r.counted)).toEqual([true, true, false, true, true]);
    expect(await campaign(Number(rows[0].campaign_id))).toMatchObject({
      report_count: 3,
      reporter_count: 3,
      operator_count: 2,
      category: 'smishing',
      spam: true,
    });
    expect(rows[0]).toMatchObject({ status: 'confirmed_spam', spam: true, category: 'smishing' });
  });

  it('extracts indicators from spam, scores them by distinct reporters and publishes the corroborated ones', async () => {
    await report('Your bank account is suspended. Verify at http://secure-login.phish-a.top/verify now', { reporter: '201' });
    await drain();
    const once = await indicator('domain', 'phish-a.top');
    expect(once).toMatchObject({ reporter_count: 1, operator_count: 1, publishable: false, allowlisted: false });
    await report('Your bank account is suspended. Verify at http://secure-login.phish-a.top/verify now', {
      reporter: '202',
      operator: 'demo-fr',
    });
    await drain();
    const twice = await indicator('domain', 'phish-a.top');
    expect(twice).toMatchObject({ reporter_count: 2, operator_count: 2, publishable: true });
    expect(twice.score).toBeGreaterThan(once.score);
    expect(Number(twice.seq)).toBeGreaterThan(Number(once.seq));
    expect(await indicator('url', 'http://secure-login.phish-a.top/verify')).toMatchObject({ reporter_count: 2 });
  });

  it('never publishes an allowlisted domain or an operator short code, however often reported', async () => {
    for (const who of ['301', '302', '303']) {
      await report('Security alert: log in at https://mybank.co.uk/secure to unlock your card', {
        reporter: who,
        sender: { kind: 'short_code', value: '7726', display: '7726' },
      });
    }
    await drain();
    expect(await indicator('domain', 'mybank.co.uk')).toMatchObject({ reporter_count: 3, allowlisted: true, publishable: false });
    expect(await indicator('sender_short_code', '7726')).toMatchObject({ allowlisted: true, publishable: false });
  });

  it("shares a shortened link but never the shortener's domain, which carries everyone's links", async () => {
    for (const who of ['311', '312', '313'])
      await report('Your parcel fee is due: https://bit.ly/3pFeeDue', { reporter: who, operator: who === '313' ? 'demo-fr' : 'demo-uk' });
    await drain();
    expect(await indicator('domain', 'bit.ly')).toMatchObject({ reporter_count: 3, allowlisted: true, publishable: false });
    expect(await indicator('url', 'https://bit.ly/3pFeeDue')).toMatchObject({ reporter_count: 3, allowlisted: false, shortener: true });
  });

  it('shares nothing from a mistaken report: it is marked not spam, and its links are kept unshared with no confidence', async () => {
    const otp = await report('Your verification code is 493021. Do not share it. https://accounts.legit-bank.com', { reporter: '401' });
    await drain();
    expect(await reportRow(Number(otp.id))).toMatchObject({ spam: false, status: 'not_spam', category: 'not_spam', model_version: 'test' });
    expect(await indicator('domain', 'legit-bank.com')).toMatchObject({
      max_confidence: 0,
      score: 0,
      publishable: false,
      ever_published: false,
    });
  });

  it('indexes a sender that arrives after the text was analysed', async () => {
    const opened = await report('Final notice: unpaid toll of $4.15, pay at https://tollpay-x.example before a $50 fine', {
      reporter: '501',
    });
    await drain();
    await reports.attachSender(
      { operatorId: 'demo-uk', gateway: 'kannel', gatewayMessageId: opened.gatewayMessageId },
      { kind: 'msisdn', value: '+15551234567', display: '+1 555 123 4567' },
    );
    expect(await drain()).toBe(1);
    expect(await indicator('sender_msisdn', '+15551234567')).toMatchObject({ reporter_count: 1 });
    expect((await reportRow(Number(opened.id))).sender_indexed_at).not.toBeNull();
    expect(await drain()).toBe(0);
  });

  it('sets aside a report it cannot analyse and goes on with the others', async () => {
    const bad = await report('boom', { reporter: '601' });
    const good = await report('Claim your tax refund of £312.50 at https://hmrc-refund-z.example', { reporter: '602' });
    await drain();
    expect((await reportRow(Number(bad.id))).analysis_error).toMatch(/choked/);
    expect((await reportRow(Number(good.id))).analysed_at).not.toBeNull();
  });

  it("shares the text its first k reporters' copies have in common, and leaves it as it is after that", async () => {
    const lure = (name: string, extra = '') =>
      `Dear ${name}, your tax refund of £420.18 is ready. Claim it at https://hmrc-refund-k.example/r today${extra}`;
    const first = await report(lure('Ann Lee', ' thx Ann'), { reporter: '301' });
    await report(lure('Ben Ode'), { reporter: '302' });
    await report(lure('Ann Lee', ' thx Ann'), { reporter: '301' });
    await drain();
    const id = Number((await reportRow(Number(first.id))).campaign_id);
    expect(await campaign(id)).toMatchObject({ text_reporters: 2 });
    await report(lure('Cy Dee'), { reporter: '303' });
    await drain();
    const shared = await campaign(id);
    expect(shared).toMatchObject({
      text_reporters: 3,
      shared_text: 'dear <name>, your tax refund of <amount> is ready. claim it at <url> today …',
    });
    await report(`Re: ${lure('Di Eve')}`, { reporter: '304' });
    await drain();
    expect(await campaign(id)).toMatchObject({ text_reporters: 3, shared_text: shared.shared_text, reporter_count: 4 });
  });

  it("dates a campaign by its reports' times, not by when they were analysed", async () => {
    const first = new Date(Date.now() - 50 * 3_600_000);
    const last = new Date(Date.now() - 30 * 3_600_000);
    const older = await report('Your tax refund of 312.50 is ready: claim it at https://refund-dates.example/claim before midnight', {
      reporter: '701',
      receivedAt: first,
    });
    await report('Your tax refund of 188.20 is ready: claim it at https://refund-dates.example/claim before midnight', {
      reporter: '702',
      receivedAt: last,
    });
    await drain();
    const c = await campaign(Number((await reportRow(Number(older.id))).campaign_id));
    expect(c.report_count).toBe(2);
    expect([new Date(c.first_seen).getTime(), new Date(c.last_seen).getTime()]).toEqual([first.getTime(), last.getTime()]);
  });

  it('changes nothing when run again', async () => {
    const before = await db.pool.query('SELECT sum(report_count)::int AS r, sum(reporter_count)::int AS p FROM campaigns');
    const indicatorsBefore = await db.pool.query('SELECT sum(reporter_count)::int AS r, max(seq)::text AS s FROM indicators');
    expect(await drain()).toBe(0);
    expect((await db.pool.query('SELECT sum(report_count)::int AS r, sum(reporter_count)::int AS p FROM campaigns')).rows).toEqual(
      before.rows,
    );
    expect((await db.pool.query('SELECT sum(reporter_count)::int AS r, max(seq)::text AS s FROM indicators')).rows).toEqual(
      indicatorsBefore.rows,
    );
  });
});
