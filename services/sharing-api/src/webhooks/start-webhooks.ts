import type { Config } from '@srs/config';
import { FeedRepository, WebhooksRepository, type Pool } from '@srs/db';
import { Counter, type Registry } from '@srs/http';
import type { Logger } from '@srs/logging';
import { createRedis, JOB_NAMES, observeQueues, observeWorkers, queueOptions, QUEUES, WebhookDeliveryQueue } from '@srs/queue';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { sealedIds, type SealedIds } from '../feed/sealed-ids';
import { ChangeNotices } from '../stream/change-notices';
import { ChangeReader } from '../stream/change-reader';
import { BacklogWatch, observeBacklog } from './backlog-watch';
import { deliverWebhook } from './deliver';
import { DeliveryBudget } from './delivery-budget';
import { WebhookDispatcher } from './dispatcher';
import { DEFAULT_WEBHOOK_OPTIONS, type WebhookOptions } from './options';
import { deliveryBackoff } from './retry-policy';

export interface WebhooksDeps {
  config: Pick<Config, 'redis' | 'scoring' | 'sharing'>;
  logger: Logger;
  pool: Pool;
  options?: Partial<WebhookOptions>;
  /** where delivery and queue metrics go; none are kept when not given */
  metrics?: Registry;
  /** committed changes as the process hears of them (its listener on srs_changes); when not given, the dispatcher and streams only poll */
  changes?: ChangeNotices;
}

/** What the routes need of the running webhooks, and what shutdown closes. */
export interface RunningWebhooks {
  repository: WebhooksRepository;
  queue: WebhookDeliveryQueue;
  /** lets each operator's deliveries into the queue a few at a time */
  budget: DeliveryBudget;
  /** the indicator and campaign feeds as one sequence (the stream reads it too) */
  reader: ChangeReader;
  /** what wakes the dispatcher and every open stream when a change commits */
  changes: ChangeNotices;
  /** seals cursors and ids (SHARING_ID_KEY) */
  ids: SealedIds;
  options: WebhookOptions;
  dispatcher: WebhookDispatcher;
  /** Stops dispatching, lets deliveries in flight finish, closes the queue and its Redis connections. */
  close(): Promise<void>;
}

/**
 * Starts the dispatcher (changes → deliveries, released into the queue under
 * each operator's budget) and the delivery worker (deliveries → signed POSTs)
 * on their own Redis connections: a fail-fast one for producing, a blocking
 * one for the worker.
 */
export function startWebhooks(deps: WebhooksDeps): RunningWebhooks {
  const { config, logger, pool } = deps;
  const options: WebhookOptions = { ...DEFAULT_WEBHOOK_OPTIONS, ...deps.options };
  const producerRedis = createRedis(config.redis, 'producer');
  const workerRedis = createRedis(config.redis, 'worker');
  const repository = new WebhooksRepository(pool);
  const reader = new ChangeReader(new FeedRepository(pool), repository, config.scoring.shareTextMinReporters);
  const queue = new WebhookDeliveryQueue({ connection: producerRedis, prefix: config.redis.prefix }, { attempts: options.attempts });
  const budget = new DeliveryBudget({ repository, queue, options, logger });
  const backlog = new BacklogWatch({ repository, logger, warnAfterMs: options.backlogWarnAfterMs });
  const ids = sealedIds(config.sharing.idKey);
  const changes = deps.changes ?? new ChangeNotices();
  const dispatcher = new WebhookDispatcher({
    repository,
    reader,
    ids,
    budget,
    backlog,
    logger,
    changes,
    pollMs: options.pollMs,
    requeueAfterMs: options.requeueAfterMs,
  });

  const attempts = deps.metrics
    ? new Counter({
        name: 'srs_webhook_attempts_total',
        help: 'Webhook delivery attempts by outcome: delivered, pending (to be retried), failed (given up or 410 Gone)',
        labelNames: ['outcome'] as const,
        registers: [deps.metrics],
      })
    : undefined;
  const worker = new Worker(
    QUEUES.webhooks,
    async (job: Job) => {
      if (job.name !== JOB_NAMES.deliverWebhook) throw new UnrecoverableError(`unknown job ${job.name}`);
      const finished = await deliverWebhook({ repository, options, logger, ...(attempts ? { attempts } : {}) }, job.data, {
        attemptsMade: job.attemptsMade,
        attempts: job.opts.attempts ?? 1,
      });
      // Its place in the budget is free: the operator's next delivery goes in now, not at the dispatcher's next pass.
      if (finished) await budget.release(finished);
    },
    {
      ...queueOptions({ connection: workerRedis, prefix: config.redis.prefix }, QUEUES.webhooks),
      concurrency: options.concurrency,
      settings: { backoffStrategy: deliveryBackoff(options) },
    },
  );
  worker.on('error', (err) => logger.error({ queue: QUEUES.webhooks, err }, 'webhook worker error'));
  worker.on('failed', (job, err) =>
    logger.debug({ jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'webhook attempt to retry'),
  );
  dispatcher.start();
  if (deps.metrics) {
    observeWorkers(deps.metrics, [worker]);
    observeQueues(deps.metrics, [queue.queue]);
    observeBacklog(deps.metrics, repository);
  }

  return {
    repository,
    queue,
    budget,
    reader,
    changes,
    ids,
    options,
    dispatcher,
    close: async () => {
      await dispatcher.stop();
      await worker.close();
      await queue.close();
      producerRedis.disconnect();
      workerRedis.disconnect();
    },
  };
}
