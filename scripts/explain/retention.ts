import { PartitionsRepository, StatsRollupRepository, type Pool } from '@srs/db';
import type { PlanRecorder } from './capture';
import type { Operation } from './operations';

export interface RetentionComparison {
  rowByRow: { partition: string; rows: number; seconds: number; batches: number; walBytes: number; vacuumSeconds: number };
  dropped: { partition: string; rows: number; ms: number; outcome: string; walBytes: number };
}

/**
 * Retention both ways on two months of the same size: the oldest month
 * deleted row by row, as the worker did before partitioning (batches of
 * 1,000, the worker's), and the next month dropped whole, as it does now.
 */
export async function compareRetention(recorder: PlanRecorder, pool: Pool, ops: Operation[]): Promise<RetentionComparison> {
  const months = (await new PartitionsRepository(pool).list('reports')).filter((p) => p.from && p.to);
  const [first, second] = months;
  const rowsIn = async (name: string) =>
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM reports WHERE tableoid::regclass::text = $1`, [name])).rows[0]!.n;
  const rollup = new StatsRollupRepository(pool);
  const lsn = async () => (await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
  const walSince = async (from: string) =>
    Number(
      (await pool.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS bytes', [from])).rows[0]!
        .bytes,
    );

  const firstRows = await rowsIn(first!.name);
  const walBefore = await lsn();
  const started = Date.now();
  const recorded = await recorder.record((p) => new StatsRollupRepository(p).deleteCountedReportsBefore(first!.to!, 1000, first!.to!));
  ops.push({
    title: 'Retention row by row: one batch of 1,000',
    why: 'How retention deleted before partitioning (and still deletes a month kept for an uncounted report, and the DEFAULT partition).',
    statements: recorded.statements,
    wallMs: Date.now() - started,
  });
  let batches = 1;
  while ((await rollup.deleteCountedReportsBefore(first!.to!, 1000, first!.to!)) > 0) batches++;
  const seconds = (Date.now() - started) / 1000;
  const walBytes = await walSince(walBefore);
  // What the deleted rows leave behind: VACUUM reads the month and every index of it again.
  if (!/^reports_p\d{6}$/.test(first!.name)) throw new Error(`unexpected partition ${first!.name}`);
  const vacuumStarted = Date.now();
  await pool.query(`VACUUM ${first!.name}`);
  const vacuumSeconds = (Date.now() - vacuumStarted) / 1000;

  const secondRows = await rowsIn(second!.name);
  const dropWalBefore = await lsn();
  const dropStarted = Date.now();
  const drop = await recorder.record((p) => new PartitionsRepository(p).dropCountedReportsPartition(second!.name));
  const ms = Date.now() - dropStarted;
  const dropWal = await walSince(dropWalBefore);
  ops.push({
    title: `Retention: dropping a month (${secondRows.toLocaleString('en')} reports)`,
    why: 'Checks that every report of the month is counted (an index probe), then detaches and drops it in one short transaction.',
    statements: drop.statements,
    wallMs: ms,
    note: drop.result,
  });
  return {
    rowByRow: { partition: first!.name, rows: firstRows, seconds, batches, walBytes, vacuumSeconds },
    dropped: { partition: second!.name, rows: secondRows, ms, outcome: drop.result, walBytes: dropWal },
  };
}
