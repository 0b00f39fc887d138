/**
 * The calendar of monthly partitions, in UTC (the partitions' bounds are UTC
 * months whatever the server's time zone). Pure: the worker's maintenance and
 * retention decide with these, the database only carries the decisions out.
 */

import type { PartitionRow } from '@srs/db';

/** A partition as listed from the database; `from`/`to` null for the DEFAULT partition. */
export type MonthPartition = PartitionRow;

/** The first instant of the UTC month holding `at`. */
export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** The first instant of the UTC month `n` months after the one holding `at` (n may be negative). */
export function addMonths(at: Date, n: number): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + n, 1));
}

/** The months to have partitions for: the current one and `ahead` more, oldest first. */
export function monthsToMake(now: Date, ahead: number): Date[] {
  return Array.from({ length: ahead + 1 }, (_, i) => addMonths(now, i));
}

export interface RetentionPlan {
  /** months entirely received before the cutoff: dropped whole, once every report in them is counted */
  drop: MonthPartition[];
  /**
   * Rows received before this are deleted row by row (if counted): those of
   * months kept for an uncounted report. The month holding the cutoff waits to
   * be dropped whole, so this is its start; the DEFAULT partition is deleted
   * up to the cutoff itself.
   */
  rowsBefore: Date;
}

/**
 * What retention does with the partitions of `reports` for a cutoff (now less
 * the retention period): a month ending at or before it is dropped; the month
 * holding it is left whole until it ends, so a report is kept between the
 * retention period and a month longer.
 */
export function retentionPlan(partitions: MonthPartition[], cutoff: Date): RetentionPlan {
  const months = partitions.filter((p): p is MonthPartition & { from: Date; to: Date } => p.from !== null && p.to !== null);
  const drop = months.filter((p) => p.to.getTime() <= cutoff.getTime());
  const holding = months.find((p) => p.from.getTime() < cutoff.getTime() && cutoff.getTime() < p.to.getTime());
  return { drop, rowsBefore: holding ? holding.from : cutoff };
}

/**
 * The row deletion bound once the drops were tried: a month that could not be
 * dropped for now (its lock was busy) is not deleted row by row either; the
 * next run tries to drop it again.
 */
export function rowsBeforeAfterDrops(plan: RetentionPlan, busy: MonthPartition[]): Date {
  const earliest = Math.min(plan.rowsBefore.getTime(), ...busy.map((p) => p.from?.getTime() ?? Infinity));
  return new Date(earliest);
}
