import { campaignIncrements, indicatorIncrements, reportIncrements } from '@srs/core';
import type { StatsRollupRepository } from '@srs/db';
import type { Logger } from '@srs/logging';
import { PeriodicTask } from '../periodic-task';
import type { WorkerMetrics } from '../worker-metrics';

const BATCH = 1000;
const DAY_MS = 86_400_000;
/** Retention runs at most this often; it deletes in batches so it never holds long locks. */
const RETENTION_EVERY_MS = 3_600_000;

export interface RollupOutcome {
  reports: number;
  campaigns: number;
  indicators: number;
  deleted: number;
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

  /** Counts everything ready now; then, at most hourly, deletes raw reports past retention. */
  async runOnce(now = new Date()): Promise<RollupOutcome> {
    const { repository, logger, retentionDays } = this.deps;
    const outcome: RollupOutcome = { reports: 0, campaigns: 0, indicators: 0, deleted: 0 };
    outcome.reports = await drain(() => repository.rollUpReports(BATCH, reportIncrements));
    outcome.campaigns = await drain(() => repository.rollUpCampaigns(BATCH, campaignIncrements));
    outcome.indicators = await drain(() => repository.rollUpIndicators(BATCH, indicatorIncrements));
    if (retentionDays > 0 && now.getTime() - this.lastRetention >= RETENTION_EVERY_MS) {
      this.lastRetention = now.getTime();
      const before = new Date(now.getTime() - retentionDays * DAY_MS);
      outcome.deleted = await drain(() => repository.deleteCountedReportsBefore(before, BATCH));
    }
    for (const kind of ['reports', 'campaigns', 'indicators', 'deleted'] as const) this.deps.metrics?.statistics.inc({ kind }, outcome[kind]);
    if (outcome.reports || outcome.campaigns || outcome.indicators || outcome.deleted) logger.debug(outcome, 'statistics rolled up');
    return outcome;
  }
}

async function drain(step: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await step();
    total += n;
    if (n < BATCH) return total;
  }
}
