import { createTestDatabase, testReport, uniqueSuffix, type TestDatabase } from '@srs/testkit';
import { PartitionsRepository, ReportsRepository, REFERENCE_TAKEN_CONSTRAINT, type NewReport } from '../src';

/** Reports partitioned by month (migration 009): making months, where rows land, idempotency across months. */
describe('reports partitioned by month', () => {
  let db: TestDatabase;
  let reports: ReportsRepository;
  let partitions: PartitionsRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    reports = new ReportsRepository(db.pool);
    partitions = new PartitionsRepository(db.pool);
  });
  afterAll(() => db.drop());

  const utcMonth = (at: Date, add = 0) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + add, 1));
  const suffix = (month: Date) => `${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
  const report = (receivedAt: Date, id = `m-${uniqueSuffix()}`): NewReport => testReport({ receivedAt, gatewayMessageId: id });
  const partitionOf = async (gatewayMessageId: string) =>
    (
      await db.pool.query<{ p: string }>('SELECT tableoid::regclass::text AS p FROM reports WHERE gateway_message_id = $1', [
        gatewayMessageId,
      ])
    ).rows.map((r) => r.p);

  it('has the current month and three ahead from the migration, and a DEFAULT partition', async () => {
    const names = (await partitions.list('reports')).map((p) => p.name);
    const now = new Date();
    for (let i = 0; i <= 3; i++) expect(names).toContain(`reports_p${suffix(utcMonth(now, i))}`);
    expect(names[names.length - 1]).toBe('reports_default');
    expect((await partitions.list('audit_log')).map((p) => p.name)).toContain(`audit_log_p${suffix(utcMonth(now))}`);
  });

  it('makes a month ahead once, with every index of reports, even when asked concurrently', async () => {
    const month = utcMonth(new Date(), 7);
    const made = await Promise.all([
      partitions.ensureMonth('reports', month),
      partitions.ensureMonth('reports', month),
      partitions.ensureMonth('reports', month),
    ]);
    expect(made.filter((m) => m !== null)).toEqual([`reports_p${suffix(month)}`]);
    await expect(partitions.ensureMonth('reports', month)).resolves.toBeNull();
    const listed = (await partitions.list('reports')).find((p) => p.name === `reports_p${suffix(month)}`);
    expect(listed).toEqual({ name: `reports_p${suffix(month)}`, from: month, to: utcMonth(month, 1) });
    const indexes = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'reports'::regclass)
          AND c.relname LIKE $1`,
      [`reports_p${suffix(month)}%`],
    );
    const parentIndexes = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_index WHERE indrelid = 'reports'::regclass`,
    );
    expect(indexes.rows[0]!.n).toBe(parentIndexes.rows[0]!.n);
  });

  it('routes a report to its month, and one outside every month to the DEFAULT partition', async () => {
    const now = new Date();
    const current = report(now);
    const ancient = report(new Date('2001-03-04T05:06:07Z'));
    const beyond = report(utcMonth(now, 20));
    const results = await reports.insertManyOnce([current, ancient, beyond]);
    expect(results.map((r) => r.created)).toEqual([true, true, true]);
    expect(await partitionOf(current.gatewayMessageId)).toEqual([`reports_p${suffix(utcMonth(now))}`]);
    expect(await partitionOf(ancient.gatewayMessageId)).toEqual(['reports_default']);
    expect(await partitionOf(beyond.gatewayMessageId)).toEqual(['reports_default']);

    // Making that month later moves its rows out of the DEFAULT partition, ids and all.
    await partitions.ensureMonth('reports', utcMonth(now, 20));
    expect(await partitionOf(beyond.gatewayMessageId)).toEqual([`reports_p${suffix(utcMonth(now, 20))}`]);
    expect((await reports.findByKey(beyond))!.id).toBe(results[2]!.row.id);
  });

  it('stores a message once even when it comes back with another received_at, in another month', async () => {
    const first = report(new Date());
    const stored = await reports.insertOnce(first);
    // A gateway redelivery whose first delivery was queued: a second job, a new received_at (a month earlier).
    const again = await reports.insertManyOnce([{ ...first, reference: 'TAGAIN01', receivedAt: utcMonth(new Date(), -1) }]);
    expect(again[0]).toEqual({ row: stored.row, created: false });
    expect(await partitionOf(first.gatewayMessageId)).toHaveLength(1);
  });

  it('still stores a rerun of the same job once after its key left report_keys', async () => {
    const first = report(new Date());
    const stored = await reports.insertOnce(first);
    await db.pool.query('DELETE FROM report_keys WHERE gateway_message_id = $1', [first.gatewayMessageId]);
    // The job's payload is the same, so is received_at: the unique key of reports catches it.
    const rerun = await reports.insertOnce({ ...first, reference: `R${uniqueSuffix().slice(0, 7).toUpperCase()}` });
    expect(rerun).toEqual({ row: stored.row, created: false });
    expect(await partitionOf(first.gatewayMessageId)).toHaveLength(1);
  });

  it('refuses a reference another report holds, recent or older than the keys kept', async () => {
    const old = report(utcMonth(new Date(), -2));
    await reports.insertOnce(old);
    const recentClash = reports.insertOnce({ ...report(new Date()), reference: old.reference });
    await expect(recentClash).rejects.toMatchObject({ code: '23505', constraint: REFERENCE_TAKEN_CONSTRAINT });
    await db.pool.query('DELETE FROM report_keys WHERE reference = $1', [old.reference]);
    const olderClash = reports.insertOnce({ ...report(new Date()), reference: old.reference });
    await expect(olderClash).rejects.toMatchObject({ code: '23505', constraint: REFERENCE_TAKEN_CONSTRAINT });
  });

  it('stores a report received long ago (a backfill) without taking its own reference for a clash', async () => {
    const backfilled = report(new Date(Date.now() - 40 * 86_400_000));
    const [stored] = await reports.insertManyOnce([backfilled, report(new Date(Date.now() - 90 * 86_400_000))]);
    expect(stored).toMatchObject({ created: true, row: { reference: backfilled.reference } });
  });

  it('finds reports by key and by reference across months, and updates them in place', async () => {
    const old = report(utcMonth(new Date(), -1));
    const { row } = await reports.insertOnce({ ...old, sender: undefined });
    await reports.attachSender(old, { kind: 'msisdn', value: '+447700900123', display: '+447700900123' });
    expect(await reports.findByReference(row.reference)).toMatchObject({ id: row.id, senderValue: '+447700900123', completion: 'sender' });
    expect(await reports.findForReporter(row.reference, 'demo-uk', 'p')).toMatchObject({ id: row.id });
  });

  it('forgets keys older than asked, a batch at a time', async () => {
    const r = report(new Date());
    await reports.insertOnce(r);
    await db.pool.query(`UPDATE report_keys SET created_at = now() - interval '40 days' WHERE gateway_message_id = $1`, [
      r.gatewayMessageId,
    ]);
    const forgotten = await reports.forgetKeysBefore(new Date(Date.now() - 35 * 86_400_000), 100);
    expect(forgotten).toBe(1);
    expect((await db.pool.query('SELECT 1 FROM report_keys WHERE gateway_message_id = $1', [r.gatewayMessageId])).rowCount).toBe(0);
  });
});
