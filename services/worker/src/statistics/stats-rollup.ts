import {
  campaignIncrements,
  indicatorIncrements,
  recategorisedCampaignIncrements,
  recategorisedIncrements,
  reportIncrements,
} from '@srs/core';
import type { PartitionsRepository, StatsRollupRepository } from '@srs/db';
import type { Logger } from '@srs/logging';
import { retentionPlan, rowsBeforeAfterDrops, type MonthPartition } from '../maintenance/partition-months';
import { PeriodicTask } from '../periodic-task';
import type { WorkerMetrics } from '../worker-metrics';

/**
 * Rows counted in one transaction. The rows of a batch are summed into one
 * increment per cell before they are written, so a larger batch writes fewer
 * cells per report: 20,000 bench reports cost PostgreSQL 44–61 µs each in
 * batches of 1,000 and 24–33 µs in batches of 5,000.
 */
export const COUNT_BATCH = 5000;
/** Rows deleted past retention in one statement: small, so it never holds long locks. */
const DELETE_BATCH = 1000;
const DAY_MS = 86_400_000;
/** Retention runs at most this often; it drops months, or deletes in batches, so it never holds long locks. */
const RETENTION_EVERY_MS = 3_600_000;

export interface RollupOutcome {
  reports: number;
  campaigns: number;
  indicators: number;
  /** reports and campaigns moved to the category their campaign's verdict gives now */
  moved: number;
  /** reports deleted row by row */
  deleted: number;
  /** months of reports dropped whole */
  partitionsDropped: number;
}

/**
 * Keeps the regulator statistics: adds every finished report, every cluster
 * that became a campaign and every newly shared indicator to the rollups, and
 * applies the retention of raw reports. Each row is counted in the same
 * transaction that marks it counted, so a crash or a second worker never
 * counts anything twice.
 */
export class StatsRollup {
  private readonly task: PeriodicTask;
  private lastRetention = 0;

  constructor(
    private readonly deps: {
      repository: StatsRollupRepository;
      /** the monthly partitions of reports; without them retention deletes row by row only */
      partitions?: PartitionsRepository;
      logger: Logger;
      intervalMs: number;
      retentionDays: number;
      metrics?: Pick<WorkerMetrics, 'statistics'>;
    },
  ) {
    this.task = new PeriodicTask('statistics rollup', deps.intervalMs, () => this.runOnce(), deps.logger);
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** Counts everything ready now; then, at most hourly, removes raw reports past retention. */
  async runOnce(now = new Date()): Promise<RollupOutcome> {
    const { repository, logger, retentionDays } = this.deps;
    const outcome: RollupOutcome = { reports: 0, campaigns: 0, indicators: 0, moved: 0, deleted: 0, partitionsDropped: 0 };
    outcome.reports = await drain(COUNT_BATCH, (limit) => repository.rollUpReports(limit, reportIncrements));
    outcome.campaigns = await drain(COUNT_BATCH, (limit) => repository.rollUpCampaigns(limit, campaignIncrements));
    outcome.indicators = await drain(COUNT_BATCH, (limit) => repository.rollUpIndicators(limit, indicatorIncrements));
    // A campaign's verdict moved counted reports (and itself) to another category.
    outcome.moved = await drain(COUNT_BATCH, (limit) => repository.moveRecategorisedReports(limit, recategorisedIncrements));
    outcome.moved += await drain(COUNT_BATCH, (limit) => repository.moveRecategorisedCampaigns(limit, recategorisedCampaignIncrements));
    if (retentionDays > 0 && now.getTime() - this.lastRetention >= RETENTION_EVERY_MS) {
      this.lastRetention = now.getTime();
      const before = new Date(now.getTime() - retentionDays * DAY_MS);
      const { dropped, rowsBefore } = await this.dropPastMonths(before);
      outcome.partitionsDropped = dropped;
      outcome.deleted = await drain(DELETE_BATCH, (limit) => repository.deleteCountedReportsBefore(before, limit, rowsBefore));
    }
    const kinds = {
      reports: outcome.reports,
      campaigns: outcome.campaigns,
      indicators: outcome.indicators,
      moved: outcome.moved,
      deleted: outcome.deleted,
      partitions_dropped: outcome.partitionsDropped,
    };
    for (const [kind, n] of Object.entries(kinds)) this.deps.metrics?.statistics.inc({ kind }, n);
    if (Object.values(kinds).some((n) => n > 0)) logger.debug(outcome, 'statistics rolled up');
    return outcome;
  }

  /**
   * Drops the months of reports that ended before the cutoff and whose every
   * report is counted; says up to when the rest is deleted row by row: counted
   * rows of a month kept for an uncounted report, and of the DEFAULT partition.
   */
  private async dropPastMonths(before: Date): Promise<{ dropped: number; rowsBefore: Date }> {
    const { partitions, logger } = this.deps;
    if (!partitions) return { dropped: 0, rowsBefore: before };
    const plan = retentionPlan(await partitions.list('reports'), before);
    const busy: MonthPartition[] = [];
    const dropped: string[] = [];
    for (const month of plan.drop) {
      const result = await partitions.dropCountedReportsPartition(month.name);
      if (result === 'dropped') dropped.push(month.name);
      if (result === 'busy') busy.push(month);
      if (result === 'uncounted')
        logger.info({ partition: month.name }, 'month past retention holds uncounted reports: its counted ones are deleted row by row');
    }
    if (dropped.length > 0) logger.info({ dropped }, 'months of reports past retention dropped');
    return { dropped: dropped.length, rowsBefore: rowsBeforeAfterDrops(plan, busy) };
  }
}

/** Runs `step` on batches of `batch` rows until one is not full. */
async function drain(batch: number, step: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await step(batch);
    total += n;
    if (n < batch) return total;
  }
}
