import type { Config } from '@srs/config';
import type { TextClassification } from '@srs/core';
import type { Pool } from '@srs/db';
import type { Registry } from '@srs/http';
import type { Logger } from '@srs/logging';
import type { RedisClient } from '@srs/queue';
import { startBackgroundTasks } from './background-tasks';
import type { SenderRegistry } from './outbound/sender-registry';
import { startQueueWorkers, type QueueWorkers } from './queue-workers';
import type { StatsRollup } from './statistics/stats-rollup';
import { workerMetrics } from './worker-metrics';

export interface WorkerDeps {
  config: Config;
  logger: Logger;
  pool: Pool;
  /** blocking connection for the workers (maxRetriesPerRequest: null) */
  workerRedis: RedisClient;
  /** fail-fast connection for the queues the worker produces into */
  producerRedis: RedisClient;
  /**
   * The reply markers (claimed, sent): a connection of their own with
   * auto-pipelining, so the two small commands of each of many concurrent
   * replies go out together (BullMQ keeps `producerRedis`, unpipelined).
   * `producerRedis` when not given.
   */
  markerRedis?: RedisClient;
  senders?: SenderRegistry;
  /** where the worker's metrics go; none are kept when not given */
  metrics?: Registry;
  /** the classifier; when not given, the active model version (`srs model activate`), swapped in without a restart */
  classify?: (text: string) => TextClassification;
}

export interface RunningWorkers extends Pick<QueueWorkers, 'workers' | 'queues' | 'inbox'> {
  statistics: StatsRollup;
  /** Stops taking jobs and waits for the running ones to finish, then stops the background tasks. */
  close(): Promise<void>;
}

/**
 * The worker's composition: the background tasks (queue-free: analyser,
 * expiry, partition maintenance, statistics rollup) and the queue workers,
 * which wake the analyser when they store a report.
 */
export function startWorkers(deps: WorkerDeps): RunningWorkers {
  const { config, logger, pool } = deps;
  const metrics = deps.metrics ? workerMetrics(deps.metrics) : undefined;
  const background = startBackgroundTasks({ config, logger, pool, metrics, classify: deps.classify });
  const queueWorkers = startQueueWorkers({
    config,
    logger,
    pool,
    workerRedis: deps.workerRedis,
    producerRedis: deps.producerRedis,
    markerRedis: deps.markerRedis,
    senders: deps.senders,
    registry: deps.metrics,
    metrics,
    onReportStored: () => background.analyser.wake(),
  });
  return {
    workers: queueWorkers.workers,
    inbox: queueWorkers.inbox,
    queues: queueWorkers.queues,
    statistics: background.statistics,
    close: async () => {
      // The jobs first: a running one may still store a report and wake the analyser.
      await queueWorkers.close();
      await background.stop();
    },
  };
}
