import path from 'node:path';
import { ReportsRepository } from '@srs/db';
import { capturingLogger, createTestDatabase, eventually, testConfig, testReport, type TestDatabase } from '@srs/testkit';
import type { AnalyserMetrics } from '../src/analysis/batch-analyser';

// The thread runs the built script: `npm test` builds first.
const { AnalyserThreadHandle } = require(
  path.join(__dirname, '..', 'dist', 'analysis', 'analyser-thread-handle.js'),
) as typeof import('../src/analysis/analyser-thread-handle');

const SPAM = 'URGENT: your parcel is held, pay the £1.99 fee at https://parcel-held-fee.top/pay today or it is returned';

describe('the analyser on a thread of its own', () => {
  let db: TestDatabase;
  let reports: ReportsRepository;
  const counted = { analysed: 0, failed: 0, campaigns: 0 };
  const metrics: AnalyserMetrics = {
    reportsAnalysed: { inc: ({ result }, value) => void (counted[result] += value) },
    campaignsCreated: { inc: (value) => void (counted.campaigns += value) },
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    reports = new ReportsRepository(db.pool);
  });
  afterAll(() => db.drop());

  const store = async (n: number) => {
    const rows = await Promise.all(Array.from({ length: n }, () => reports.insertOnce(testReport({ body: SPAM }))));
    return rows.map((r) => r.row.id);
  };
  const analysed = async (ids: string[]) =>
    (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports WHERE id = ANY($1) AND analysed_at IS NOT NULL', [ids]))
      .rows[0]!.n;

  it('analyses stored reports, counts them in the worker metrics, takes the thread back up when it dies, and stops cleanly', async () => {
    const config = testConfig({ DATABASE_URL: db.url, ANALYSER_IDLE_MS: '50' });
    const logs = capturingLogger('worker');
    const analyser = new AnalyserThreadHandle(config, logs.logger, metrics);
    analyser.start();
    try {
      const first = await store(3);
      analyser.wake();
      expect(
        await eventually(
          () => analysed(first),
          (n) => n === 3,
          20_000,
        ),
      ).toBe(3);
      // The thread posts each count as a message of its own.
      expect(
        await eventually(
          () => ({ ...counted }),
          (c) => c.analysed === 3 && c.campaigns === 1,
        ),
      ).toEqual({ analysed: 3, failed: 0, campaigns: 1 });
      expect((await db.pool.query('SELECT id FROM campaigns')).rows).toHaveLength(1);

      // A thread that dies is started again and goes on with what waits in the table.
      await (analyser as unknown as { thread: { terminate(): Promise<number> } }).thread.terminate();
      const second = await store(2);
      expect(
        await eventually(
          () => analysed(second),
          (n) => n === 2,
          20_000,
        ),
      ).toBe(2);
      expect(logs.lines.some((l) => l.includes('analyser thread exited; starting it again'))).toBe(true);
    } finally {
      await analyser.stop();
    }

    // Stopped: nothing analyses any more.
    const third = await store(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await analysed(third)).toBe(0);
  });
});
