import path from 'node:path';
import type { TextClassification } from '@srs/core';
import { AnalysisRepository, createPool, ReportsRepository, type Pool } from '@srs/db';
import { capturingLogger, createTestDatabase, testConfig, testReport, type TestDatabase } from '@srs/testkit';
import { BatchAnalyser } from '../src/analysis/batch-analyser';
import { wakeOnStoredReports } from '../src/analysis/stored-report-notices';

// The thread runs the built script: `npm test` builds first.
const { AnalyserThreadHandle } = require(
  path.join(__dirname, '..', 'dist', 'analysis', 'analyser-thread-handle.js'),
) as typeof import('../src/analysis/analyser-thread-handle');

const SPAM = 'URGENT: your parcel is held, pay the £1.99 fee at https://parcel-held-fee.top/pay today or it is returned';

function classify(): TextClassification {
  return {
    spam: true,
    category: 'smishing',
    confidence: 0.9,
    language: 'en',
    probability: 0.9,
    spamCategory: 'smishing',
    lure: false,
    modelVersion: 'test',
  };
}

/**
 * The analyser's idle look is set to an hour, so only a notification wakes it
 * within the test's timeout: the reports are stored through a pool of their
 * own, as another worker process would, and nobody calls `wake()`.
 */
describe('the analyser wakes when another process stores a report (LISTEN srs_reports)', () => {
  let db: TestDatabase;
  /** the "other worker process": its own connections, its own repository */
  let otherProcess: Pool;
  let reports: ReportsRepository;
  const config = () => testConfig({ DATABASE_URL: db.url, ANALYSER_IDLE_MS: String(3600_000) });

  beforeAll(async () => {
    db = await createTestDatabase();
    otherProcess = createPool({ url: db.url, max: 2, applicationName: 'srs-test-other-worker' });
    reports = new ReportsRepository(otherProcess);
  });
  afterAll(async () => {
    await otherProcess.end();
    await db.drop();
  });

  const store = async () => (await reports.insertOnce(testReport({ body: SPAM }))).row.id;
  /** Until the report is analysed: no clock, the test's own timeout is the bound. */
  async function analysed(id: string): Promise<void> {
    for (;;) {
      const { rows } = await db.pool.query('SELECT analysed_at FROM reports WHERE id = $1', [id]);
      if (rows[0]?.analysed_at) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('on the main thread: wakes on each stored report, and again after its listening connection is killed', async () => {
    const { logger } = capturingLogger('worker');
    const pool = createPool({ url: db.url, max: 4, applicationName: 'srs-test-analyser' });
    const analyser = new BatchAnalyser({ repository: new AnalysisRepository(pool), config: config(), logger, classify });
    const listener = wakeOnStoredReports(analyser, db.url, logger);
    analyser.start();
    try {
      await listener.ready();
      // The first is found by the leader's first look; after it, the analyser idles for an hour.
      await analysed(await store());
      await analysed(await store());
      await analysed(await store());

      const pid = await listener.backendPid();
      await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      // Not listening for a moment, then listening again on a new connection.
      for (;;) {
        await listener.ready();
        const now = await listener.backendPid().catch(() => undefined);
        if (now !== undefined && now !== pid) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await analysed(await store());
    } finally {
      await listener.close();
      await analyser.stop();
      await pool.end();
    }
  });

  it('on its own thread: wakes on reports stored by another process', async () => {
    const logs = capturingLogger('worker');
    const analyser = new AnalyserThreadHandle(config(), logs.logger);
    analyser.start();
    try {
      await analysed(await store());
      await analysed(await store());
      await analysed(await store());
    } finally {
      await analyser.stop();
    }
  });
});
