import { pseudonymise, type TextClassification } from '@srs/core';
import type { ReportsRepository } from '@srs/db';
import { testConfig, testReport, type TestDatabase } from '@srs/testkit';
import type { BatchAnalyser } from '../src/analysis/batch-analyser';
import { analyserOnTestDatabase } from './analyser-on-test-database';

/** Kinds of spam by the digit a test text ends with: numbers are masked, so texts that differ only there are one campaign. */
const KINDS = ['smishing', 'fraud', 'marketing'];

/** A stand-in classifier that reads its answer off the text ("0.95 / 1": 0.95, fraud), so the test is about the campaign, not the model. */
function classifierReadingTheText(text: string): TextClassification {
  const [, p, k] = /([\d.]+) \/ (\d)\)$/.exec(text) ?? [];
  const probability = Number(p);
  const kind = KINDS[Number(k)]!;
  return {
    spam: probability >= 0.5,
    category: probability >= 0.5 ? kind : 'not_spam',
    confidence: Math.max(probability, 1 - probability),
    language: 'en',
    probability,
    spamCategory: kind,
    lure: false,
    modelVersion: 'test',
  };
}

describe("a campaign's kind of spam", () => {
  let db: TestDatabase;
  let reports: ReportsRepository;
  let analyser: BatchAnalyser;
  const config = testConfig({});

  beforeAll(async () => {
    ({ db, reports, analyser } = await analyserOnTestDatabase(config, classifierReadingTheText));
  });
  afterAll(() => db.drop());

  const text = (answer: string) =>
    `Your account at Northbank is locked after a failed payment. Restore it today at https://northbank-restore.example/login (${answer})`;
  let reporters = 0;
  async function report(answer: string, options: { withSender?: boolean } = {}) {
    const reporter = pseudonymise(`+4477009${String(700 + reporters++).padStart(5, '0')}`, config.privacy.msisdnHmacKey);
    const stored = testReport({
      reporterPseudonym: reporter,
      body: text(answer),
      sender: { kind: 'alphanumeric', value: 'NORTHBANK', display: 'NORTHBANK' },
    });
    if (options.withSender === false) delete stored.sender;
    return (await reports.insertOnce(stored)).row;
  }
  const campaignOf = async (reportId: string | number) => {
    const { rows } = await db.pool.query(
      'SELECT c.spam_category, c.category, c.model_texts, c.model_logit_sum FROM reports r JOIN campaigns c ON c.id = r.campaign_id WHERE r.id = $1',
      [reportId],
    );
    return rows[0] as { spam_category: string; category: string; model_texts: number; model_logit_sum: number };
  };

  it('follows the text the classifier is surest of, not each batch that holds a text above the mean', async () => {
    const first = await report('0.99 / 0');
    await report('0.9 / 0');
    await analyser.runOnce();
    expect(await campaignOf(first.id)).toMatchObject({ spam_category: 'smishing', category: 'smishing', model_texts: 2 });

    // Above the campaign's mean, below its surest text: the kind stays.
    await report('0.97 / 1');
    await analyser.runOnce();
    expect(await campaignOf(first.id)).toMatchObject({ spam_category: 'smishing', category: 'smishing', model_texts: 3 });

    // Surer than any before: the kind follows it, and so do the campaign's earlier reports.
    const last = await report('0.999 / 1');
    await analyser.runOnce();
    expect(await campaignOf(first.id)).toMatchObject({ spam_category: 'fraud', category: 'fraud', model_texts: 4 });
    expect(await campaignOf(last.id)).toEqual(await campaignOf(first.id));
    const { rows } = await db.pool.query('SELECT category FROM reports WHERE id = $1', [first.id]);
    expect(rows[0].category).toBe('fraud');
  });

  it('leaves the kind and the mean of the texts as they are when a report only brings its sender', async () => {
    const opened = await report('0.98 / 2', { withSender: false });
    await analyser.runOnce();
    const before = await campaignOf(opened.id);
    await reports.attachSender(
      { operatorId: 'demo-uk', gateway: 'kannel', gatewayMessageId: opened.gatewayMessageId },
      { kind: 'alphanumeric', value: 'NORTHBANK', display: 'NORTHBANK' },
    );
    expect((await analyser.runOnce()).reports).toBe(1);
    expect(await campaignOf(opened.id)).toEqual(before);
  });
});
