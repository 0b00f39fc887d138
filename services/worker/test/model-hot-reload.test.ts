import path from 'node:path';
import { loadModel } from '@srs/classifier';
import { AnalysisRepository, ModelRepository, ReportsRepository } from '@srs/db';
import { capturingLogger, createTestDatabase, eventually, testConfig, testReport, type TestDatabase } from '@srs/testkit';
import { ActiveModel } from '../src/analysis/active-model';
import { BatchAnalyser } from '../src/analysis/batch-analyser';

// The thread runs the built script: `npm test` builds first.
const { AnalyserThreadHandle } = require(
  path.join(__dirname, '..', 'dist', 'analysis', 'analyser-thread-handle.js'),
) as typeof import('../src/analysis/analyser-thread-handle');

const SPAM = 'URGENT: your parcel is held, pay the £1.99 fee at https://parcel-held-fee.top/pay today or it is returned';

describe('the worker swaps in the active model without a restart', () => {
  let db: TestDatabase;
  let reports: ReportsRepository;
  let models: ModelRepository;
  const shipped = loadModel();

  beforeAll(async () => {
    db = await createTestDatabase();
    reports = new ReportsRepository(db.pool);
    models = new ModelRepository(db.pool);
    // The shipped weights under other names: which version judged is what this test reads.
    await models.insert({ version: 'hot-1', artifact: { ...shipped, version: 'hot-1' }, metrics: {}, notes: null });
    await models.insert({ version: 'hot-2', artifact: { ...shipped, version: 'hot-2' }, metrics: {}, notes: null });
  });
  afterAll(() => db.drop());

  const store = async (n: number) =>
    (await Promise.all(Array.from({ length: n }, () => reports.insertOnce(testReport({ body: SPAM }))))).map((r) => r.row.id);
  /** The versions that judged these reports, once all of them are analysed. */
  const judgedBy = (ids: string[]) =>
    eventually(
      async () =>
        (
          await db.pool.query<{ v: string | null; analysed: boolean }>(
            'SELECT model_version AS v, analysed_at IS NOT NULL AS analysed FROM reports WHERE id = ANY($1)',
            [ids],
          )
        ).rows,
      (rows) => rows.length === ids.length && rows.every((r) => r.analysed),
      20_000,
    ).then((rows) => [...new Set(rows.map((r) => r.v))]);
  /** Reports one at a time until one is judged by `version` (the analyser looks every MODEL_REFRESH_MS): the version that judged the last. */
  const swappedTo = (version: string) =>
    eventually(
      async () => (await judgedBy(await store(1)))[0],
      (v) => v === version,
      10_000,
    );

  it('judges with the shipped model, then with each version activated, in the analyser thread and its analysis threads', async () => {
    const config = testConfig({ DATABASE_URL: db.url, ANALYSER_IDLE_MS: '50', ANALYSER_THREADS: '1', MODEL_REFRESH_MS: '100' });
    const analyser = new AnalyserThreadHandle(config, capturingLogger('worker').logger);
    analyser.start();
    try {
      // Nothing active: the shipped model.
      expect(await judgedBy(await store(2))).toEqual([shipped.version]);

      await models.activate('hot-1');
      // The swap is seen at the next look (every 100 ms here, MODEL_REFRESH_MS); from then on, every report carries the new version.
      expect(await swappedTo('hot-1')).toBe('hot-1');
      expect(await judgedBy(await store(3))).toEqual(['hot-1']);

      // The same text again: nothing remembered from the old model answers for the new one.
      await models.activate('hot-2');
      expect(await swappedTo('hot-2')).toBe('hot-2');
      expect(await judgedBy(await store(2))).toEqual(['hot-2']);

      // Rolled back to the shipped model.
      await models.ensureShipped(shipped.version, {});
      await models.activate(shipped.version);
      expect(await swappedTo(shipped.version)).toBe(shipped.version);
      expect(await judgedBy(await store(2))).toEqual([shipped.version]);
    } finally {
      await analyser.stop();
    }
  });

  it('does the same on the worker’s main thread (ANALYSER_OWN_THREAD=false), with no restart', async () => {
    const config = testConfig({ DATABASE_URL: db.url, ANALYSER_THREADS: '0' });
    const logs = capturingLogger('worker');
    const model = new ActiveModel({ versions: models, logger: logs.logger, intervalMs: 60_000 });
    const analyser = new BatchAnalyser({
      repository: new AnalysisRepository(db.pool),
      config,
      logger: logs.logger,
      classify: model.classify,
    });
    const drain = async () => {
      while ((await analyser.runOnce()).reports > 0);
    };
    await models.ensureShipped(shipped.version, {});
    await models.activate(shipped.version);
    await model.start();
    const before = await store(1);
    await drain();
    expect(await judgedBy(before)).toEqual([shipped.version]);

    await models.activate('hot-1');
    expect(await model.refresh()).toBe(true);
    expect(await model.refresh()).toBe(false);
    const after = await store(2);
    await drain();
    expect(await judgedBy(after)).toEqual(['hot-1']);
    // What was judged before keeps the version that judged it.
    expect(await judgedBy(before)).toEqual([shipped.version]);
    expect(logs.lines.some((l) => l.includes('classifier model swapped') && l.includes('"model":"hot-1"'))).toBe(true);
    await model.stop();
  });

  it('keeps the model it has when the active version cannot be loaded, and says so', async () => {
    const logs = capturingLogger('worker');
    const changes: string[] = [];
    const versions = {
      active: async () => ({ version: 'broken', hasArtifact: true, activatedAt: new Date() }),
      artifact: async () => ({ format: 'something else' }),
    };
    const model = new ActiveModel({ versions, logger: logs.logger, intervalMs: 60_000, onChange: (c) => changes.push(c.version) });
    expect(await model.refresh()).toBe(false);
    expect(model.version).toBe(shipped.version);
    expect(model.classify(SPAM).modelVersion).toBe(shipped.version);
    expect(changes).toEqual([]);
    expect(logs.lines.some((l) => l.includes('active model could not be loaded'))).toBe(true);
  });
});
