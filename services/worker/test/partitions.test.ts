import { PartitionsRepository, ReportsRepository, StatsRollupRepository } from '@srs/db';
import { capturingLogger, createTestDatabase, type TestDatabase } from '@srs/testkit';
import { PartitionMaintenance, REPORT_KEY_DAYS } from '../src/maintenance/partition-maintenance';
import { StatsRollup } from '../src/statistics/stats-rollup';

/**
 * The worker's side of the monthly partitions, against PostgreSQL: months
 * made ahead, and retention that drops whole months of counted reports and
 * deletes the rest row by row.
 */
describe('monthly partitions: made ahead, dropped by retention', () => {
  let db: TestDatabase;
  let partitions: PartitionsRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    partitions = new PartitionsRepository(db.pool);
  });
  afterAll(() => db.drop());

  const names = async (table: 'reports' | 'audit_log') => (await partitions.list(table)).map((p) => p.name);
  let seq = 0;
  /** Reports straight into the table: `counted` ones as the rollup leaves them, the others not yet analysed (the rollup skips them). */
  async function insert(receivedAt: string, counted: boolean, n = 1): Promise<void> {
    await db.pool.query(
      `INSERT INTO reports (reference, operator_id, gateway, gateway_message_id, reporter_pseudonym, short_code, body, received_at,
                            analysed_at, category, completion, stats_at)
       SELECT 'P' || lpad(($1 + g)::text, 7, '0'), 'demo-uk', 'kannel', 'part-' || ($1 + g), 'p', '7726', 'text', $2,
              CASE WHEN $3 THEN now() END, 'smishing', 'no_sender_timeout', CASE WHEN $3 THEN now() END
         FROM generate_series(1, $4) g`,
      [seq, receivedAt, counted, n],
    );
    seq += n;
  }
  const countIn = async (partition: string) =>
    (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM reports WHERE tableoid::regclass::text = $1`, [partition])).rows[0]!
      .n;

  it('makes the current month and the months ahead of reports and audit_log, and forgets old keys', async () => {
    const maintenance = new PartitionMaintenance({
      partitions,
      reports: new ReportsRepository(db.pool),
      logger: capturingLogger('worker').logger,
      premakeMonths: 2,
    });
    // A year from now: three months the migration did not make.
    const outcome = await maintenance.runOnce(new Date('2027-11-15T12:00:00Z'));
    expect(outcome.made).toEqual([
      'reports_p202711',
      'reports_p202712',
      'reports_p202801',
      'audit_log_p202711',
      'audit_log_p202712',
      'audit_log_p202801',
    ]);
    expect(await names('reports')).toEqual(expect.arrayContaining(['reports_p202711', 'reports_p202712', 'reports_p202801']));
    expect((await maintenance.runOnce(new Date('2027-11-15T12:00:00Z'))).made).toEqual([]);

    await db.pool.query(
      `INSERT INTO report_keys (operator_id, gateway, gateway_message_id, reference, received_at, created_at)
       VALUES ('demo-uk', 'kannel', 'old-key', 'OLDKEY01', now(), now() - make_interval(days => $1 + 1)),
              ('demo-uk', 'kannel', 'new-key', 'NEWKEY01', now(), now())`,
      [REPORT_KEY_DAYS],
    );
    expect((await maintenance.runOnce()).keysForgotten).toBe(1);
    const { rows } = await db.pool.query(`SELECT gateway_message_id FROM report_keys WHERE gateway_message_id IN ('old-key', 'new-key')`);
    expect(rows).toEqual([{ gateway_message_id: 'new-key' }]);
  });

  it('drops a month of counted reports, keeps one with an uncounted report, and keeps the month holding the cutoff whole', async () => {
    for (const month of ['2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01'])
      await partitions.ensureMonth('reports', new Date(`${month}T00:00:00Z`));
    await insert('2026-05-10T10:00:00Z', true, 40); // all counted: dropped whole
    await insert('2026-06-10T10:00:00Z', true, 30); // counted, but one report of June is not:
    await insert('2026-06-20T10:00:00Z', false); //   June is kept, its counted reports deleted row by row
    await insert('2026-07-05T10:00:00Z', true, 20); // July holds the cutoff: kept whole until it is all past retention
    await insert('2026-08-05T10:00:00Z', true, 5); // within retention
    await insert('2001-02-03T00:00:00Z', true, 3); // the DEFAULT partition: deleted row by row up to the cutoff
    await insert('2001-02-04T00:00:00Z', false); //   unless uncounted

    const rollup = new StatsRollup({
      repository: new StatsRollupRepository(db.pool),
      partitions,
      logger: capturingLogger('worker').logger,
      intervalMs: 60_000,
      retentionDays: 30,
    });
    // 30 days before 2026-08-10: the cutoff is 11 July.
    const outcome = await rollup.runOnce(new Date('2026-08-10T00:00:00Z'));

    expect(outcome.partitionsDropped).toBe(1);
    expect(outcome.deleted).toBe(30 + 3);
    const left = await names('reports');
    expect(left).not.toContain('reports_p202605');
    expect(left).toEqual(expect.arrayContaining(['reports_p202606', 'reports_p202607', 'reports_p202608']));
    expect(await countIn('reports_p202606')).toBe(1);
    expect(await countIn('reports_p202607')).toBe(20);
    expect(await countIn('reports_p202608')).toBe(5);
    const defaults = await db.pool.query(`SELECT received_at FROM reports_default WHERE received_at < '2002-01-01'`);
    expect(defaults.rows).toEqual([{ received_at: new Date('2001-02-04T00:00:00Z') }]);

    // Once July is all past retention, it goes whole too; June waits for its last report to be counted.
    const later = new StatsRollup({
      repository: new StatsRollupRepository(db.pool),
      partitions,
      logger: capturingLogger('worker').logger,
      intervalMs: 60_000,
      retentionDays: 30,
    });
    const second = await later.runOnce(new Date('2026-09-01T00:00:00Z'));
    expect(second).toMatchObject({ partitionsDropped: 1, deleted: 0 });
    expect(await names('reports')).not.toContain('reports_p202607');
    expect(await countIn('reports_p202606')).toBe(1);
    await db.pool.query(`UPDATE reports SET stats_at = now() WHERE received_at = '2026-06-20T10:00:00Z'`);
    const third = new StatsRollup({
      repository: new StatsRollupRepository(db.pool),
      partitions,
      logger: capturingLogger('worker').logger,
      intervalMs: 60_000,
      retentionDays: 30,
    });
    expect(await third.runOnce(new Date('2026-09-01T00:00:00Z'))).toMatchObject({ partitionsDropped: 1 });
    expect(await names('reports')).not.toContain('reports_p202606');
  });

  it('does not drop a month a report arrives in while it is being checked', async () => {
    await partitions.ensureMonth('reports', new Date('2026-03-01T00:00:00Z'));
    await insert('2026-03-03T00:00:00Z', true, 2);
    // A transaction holding a new, uncounted report of March, not yet committed: the drop waits for its lock, then sees it.
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO reports (reference, operator_id, gateway, gateway_message_id, reporter_pseudonym, short_code, body, received_at)
         VALUES ('LATE0001', 'demo-uk', 'kannel', 'late-1', 'p', '7726', 'late', '2026-03-04T00:00:00Z')`,
      );
      const dropping = partitions.dropCountedReportsPartition('reports_p202603');
      await new Promise((r) => setTimeout(r, 200));
      await client.query('COMMIT');
      await expect(dropping).resolves.toBe('uncounted');
    } finally {
      client.release();
    }
    expect(await countIn('reports_p202603')).toBe(3);
    await expect(partitions.dropCountedReportsPartition('reports_default')).resolves.toBe('missing');
  });
});
