import type { PartitionedTable, PartitionsRepository, ReportsRepository } from '@srs/db';
import type { Logger } from '@srs/logging';
import { PeriodicTask } from '../periodic-task';
import { monthsToMake } from './partition-months';

/** The months ahead are checked hourly: a month is made weeks before it starts, so a run that fails costs nothing. */
const EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;
/**
 * How long a report's idempotency key stays unique on its own (report_keys):
 * longer than a gateway keeps redelivering a message, than the intake
 * remembers one (INTAKE_DEDUP_TTL_SECONDS, 7 days by default) and than a
 * failed job is kept for a retry by hand (14 days).
 */
export const REPORT_KEY_DAYS = 35;
const KEY_BATCH = 5000;
const TABLES: PartitionedTable[] = ['reports', 'audit_log'];

export interface MaintenanceOutcome {
  made: string[];
  keysForgotten: number;
}

/**
 * Makes the monthly partitions of reports and audit_log ahead of time (the
 * current month and PARTITION_PREMAKE_MONTHS more), so rows land in their
 * month and not in the DEFAULT partition, and trims report_keys. Every worker
 * runs it: making a month is idempotent and serialised in the database.
 */
export class PartitionMaintenance {
  private readonly task: PeriodicTask;
  private first: Promise<unknown> | undefined;

  constructor(
    private readonly deps: {
      partitions: PartitionsRepository;
      reports: ReportsRepository;
      logger: Logger;
      premakeMonths: number;
      intervalMs?: number;
    },
  ) {
    this.task = new PeriodicTask('partition maintenance', deps.intervalMs ?? EVERY_MS, () => this.runOnce(), deps.logger);
  }

  /** Runs once at once (a fresh database gets its months before the first hour), then on the interval. */
  start(): void {
    this.first = this.runOnce().catch((err: unknown) => this.deps.logger.warn({ err }, 'partition maintenance failed; next run retries'));
    this.task.start();
  }

  async stop(): Promise<void> {
    await this.first;
    await this.task.stop();
  }

  async runOnce(now = new Date()): Promise<MaintenanceOutcome> {
    const { partitions, reports, logger, premakeMonths } = this.deps;
    const made: string[] = [];
    for (const table of TABLES) {
      for (const month of monthsToMake(now, premakeMonths)) {
        const name = await partitions.ensureMonth(table, month);
        if (name) made.push(name);
      }
    }
    if (made.length > 0) logger.info({ made }, 'monthly partitions made');
    const before = new Date(now.getTime() - REPORT_KEY_DAYS * DAY_MS);
    let keysForgotten = 0;
    for (;;) {
      const n = await reports.forgetKeysBefore(before, KEY_BATCH);
      keysForgotten += n;
      if (n < KEY_BATCH) return { made, keysForgotten };
    }
  }
}
