import { createTestDatabase, type TestDatabase } from '@srs/testkit';
import { AnalysisRepository, StatsRollupRepository } from '../src';

/**
 * Reports are found again by id and received_at (which names their month).
 * JavaScript dates hold milliseconds and PostgreSQL microseconds: a report
 * stored with microseconds (backfilled, migrated, written by SQL) must still
 * be found, or the analyser and the rollup would take it again forever.
 */
describe('reports found again by id and received_at, microseconds and all', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  async function insert(id: string, receivedAt: string): Promise<void> {
    await db.pool.query(
      `INSERT INTO reports (reference, operator_id, gateway, gateway_message_id, reporter_pseudonym, short_code, body, received_at, completion)
       VALUES ($1, 'demo-uk', 'kannel', $1, 'p', '7726', 'Pay the fee at https://parcel-fee.top/p', $2, 'no_sender_timeout')`,
      [id, receivedAt],
    );
  }
  const row = async (id: string) =>
    (await db.pool.query('SELECT analysed_at, stats_at, analysis_error FROM reports WHERE gateway_message_id = $1', [id])).rows[0];

  it('analyses, counts and sets aside reports whose received_at has microseconds', async () => {
    // Two months, each a microsecond value a millisecond date cannot hold (rounded down and up by a JavaScript reading).
    await insert('PRECIS01', '2026-10-31T23:59:59.999999Z');
    await insert('PRECIS02', '2026-11-01T00:00:00.000501Z');
    await insert('PRECIS03', '2026-11-02T10:00:00.123456Z');
    const analysis = new AnalysisRepository(db.pool);
    const pending = await analysis.pending(10);
    expect(pending.map((p) => p.body)).toHaveLength(3);

    const failing = pending.find((p) => p.receivedAt.toISOString().startsWith('2026-11-02'))!;
    await analysis.markFailed(failing.id, 'cannot analyse', failing.receivedAt);
    const rest = pending.filter((p) => p !== failing);
    await analysis.writeBatch(
      [],
      rest.map((p) => ({
        reportId: p.id,
        operatorId: p.operatorId,
        reporterPseudonym: p.reporterPseudonym,
        receivedAt: p.receivedAt,
        // no campaign: only the report's own columns matter here
        campaign: { id: null as unknown as number },
        textAnalysed: false,
        fingerprint: null,
        simhash: null,
        maskedText: null,
        modelProbability: 0.9,
        modelLogit: 2.2,
        spamCategory: 'smishing',
        lure: false,
        modelVersion: 'test',
        language: null,
        senderIncluded: false,
        linkKind: 'link',
        linkDomains: ['parcel-fee.top'],
        indicators: [],
      })),
      () => false,
      () => ({ spam: true, category: 'smishing', probability: 0.9, terms: {} }),
      () => ({ score: 0, publishable: false }),
      { reporters: 3, merge: (common) => common },
    );
    expect((await row('PRECIS01')).analysed_at).toBeInstanceOf(Date);
    expect((await row('PRECIS02')).analysed_at).toBeInstanceOf(Date);
    expect((await row('PRECIS03')).analysis_error).toBe('cannot analyse');
    expect(await analysis.pending(10)).toEqual([]);

    const rollup = new StatsRollupRepository(db.pool);
    expect(await rollup.rollUpReports(10, () => ({ reports: [], domains: [] }))).toBe(2);
    expect((await row('PRECIS01')).stats_at).toBeInstanceOf(Date);
    expect((await row('PRECIS02')).stats_at).toBeInstanceOf(Date);
    expect(await rollup.rollUpReports(10, () => ({ reports: [], domains: [] }))).toBe(0);
  });
});
