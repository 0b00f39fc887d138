import type { Config } from '@srs/config';
import { isPublishable, scoreIndicator } from '@srs/core';
import type { ExpiryRepository } from '@srs/db';
import type { Logger } from '@srs/logging';
import { PeriodicTask } from '../periodic-task';

/** Indicators last reported longer ago than this are rescored with their decay. */
const STALE_AFTER_MS = 24 * 3600_000;

/**
 * What time alone changes in the shared intelligence: published indicators
 * past their validity expire, and consortium indicators whose score decayed
 * below the sharing threshold are withdrawn. Both appear in the feed (and so
 * reach webhooks, the stream and TAXII). Runs on an interval in the worker;
 * every run is idempotent, so several workers may run it.
 */
export class ExpirySweep {
  private readonly task: PeriodicTask;

  constructor(
    private readonly deps: { repository: ExpiryRepository; config: Pick<Config, 'scoring'>; logger: Logger; intervalMs: number },
  ) {
    this.task = new PeriodicTask('expiry sweep', deps.intervalMs, () => this.runOnce(), deps.logger);
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  async runOnce(now = new Date()): Promise<{ expired: number; withdrawn: number }> {
    const { repository, config, logger } = this.deps;
    const expired = await repository.expirePublished(now);
    const withdrawn = await repository.withdrawDecayed(now, STALE_AFTER_MS, (row) => {
      const score = scoreIndicator(
        {
          reporters: row.reporters,
          operators: row.operators,
          confidence: row.maxConfidence,
          lastSeen: row.lastSeen,
          feedback: row.feedback,
        },
        config.scoring,
        now,
      );
      return {
        score,
        publishable: isPublishable({ score, reporters: row.reporters, allowlisted: row.allowlisted, status: 'active' }, config.scoring),
      };
    });
    if (expired || withdrawn) logger.info({ expired, withdrawn }, 'expired and decayed indicators withdrawn');
    return { expired, withdrawn };
  }
}
