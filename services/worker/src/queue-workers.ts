import type { Config } from '@srs/config';
import { ReportsRepository, type NewReport, type Pool } from '@srs/db';
import type { Registry } from '@srs/http';
import type { Logger } from '@srs/logging';
import {
  JOB_NAMES,
  observeQueues,
  observeWorkers,
  OutboundSmsQueue,
  queueOptions,
  QUEUES,
  ReportsQueue,
  SentReplies,
  type RedisClient,
} from '@srs/queue';
import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import { carryOutConversationStep } from './handlers/conversation-step';
import { MicroBatcher } from './handlers/micro-batcher';
import { sendSms } from './handlers/send-sms';
import { completeAfterTimeout } from './handlers/sender-timeout';
import { ReplyDispatcher } from './outbound/reply-dispatcher';
import { SenderRegistry } from './outbound/sender-registry';
import type { WorkerMetrics } from './worker-metrics';

export interface QueueWorkerDeps {
  config: Config;
  logger: Logger;
  pool: Pool;
  /** blocking connection for the workers (maxRetriesPerRequest: null) */
  workerRedis: RedisClient;
  /** fail-fast connection for the queues the worker produces into */
  producerRedis: RedisClient;
  /** the reply markers' connection (see WorkerDeps); `producerRedis` when not given */
  markerRedis?: RedisClient;
  senders?: SenderRegistry;
  /** where the queue and worker gauges go; none are kept when not given */
  registry?: Registry;
  /** the worker's counters; none are kept when not given */
  metrics?: WorkerMetrics;
  /** A report was stored: the analyser looks now rather than after its idle pause. */
  onReportStored: () => void;
}

export interface QueueWorkers {
  workers: Worker[];
  /** the queues the workers take from, for the queue dashboard */
  queues: Queue[];
  /** Stops taking jobs, waits for the running ones, sends the replies they left going, and closes the queues. */
  close(): Promise<void>;
}

/**
 * The two queue workers: `reports` (conversation steps, sender timeouts) and
 * `outbound-sms` (replies the gateway did not take at once), with the reply
 * dispatcher they share.
 */
export function startQueueWorkers(deps: QueueWorkerDeps): QueueWorkers {
  const { config, logger, pool, workerRedis, producerRedis, metrics } = deps;
  const prefix = config.redis.prefix;
  const outbound = new OutboundSmsQueue({ connection: producerRedis, prefix }, config.worker.outboundAttempts);
  const reports = new ReportsRepository(pool);
  // Jobs running at once store their reports in one statement.
  const reportInserts = new MicroBatcher((batch: NewReport[]) => reports.insertManyOnce(batch), config.worker.concurrency);
  const senders = deps.senders ?? new SenderRegistry(config, { connection: producerRedis, prefix });
  // A job whose worker died is taken back (stalled); the handlers are idempotent, so
  // it may be taken back many times rather than failed for good after the second death.
  const common = { concurrency: config.worker.concurrency, maxStalledCount: 10 };
  const consuming = { connection: workerRedis, prefix };

  const sending = {
    senders,
    sent: new SentReplies(deps.markerRedis ?? producerRedis, prefix),
    encryptionKey: config.privacy.msisdnEncryptionKey,
    logger,
  };
  const replies = new ReplyDispatcher({
    ...sending,
    outbound,
    maxDirect: config.worker.concurrency,
    patienceMs: config.outbound.timeoutMs,
    ...(metrics ? { metrics } : {}),
  });
  const processReport = async (job: Job) => {
    switch (job.name) {
      case JOB_NAMES.conversationStep:
        return carryOutConversationStep(
          { reports, replies, logger, onReportStored: deps.onReportStored, insertReport: (r) => reportInserts.add(r) },
          job.data,
        );
      case JOB_NAMES.senderTimeout:
        return completeAfterTimeout({ reports, logger }, job.data);
      default:
        throw new UnrecoverableError(`unknown job ${job.name}`);
    }
  };
  const processReply = async (job: Job) => {
    await sendSms(sending, job.data, job.id);
  };
  const reportWorker = new Worker(QUEUES.reports, processReport, { ...common, ...queueOptions(consuming, QUEUES.reports) });
  const replyWorker = new Worker(QUEUES.outbound, processReply, { ...common, ...queueOptions(consuming, QUEUES.outbound) });

  const workers = [reportWorker, replyWorker];
  // The queues as seen by the dashboard and the depth gauges; producing stays with the intake.
  const reportsQueue = new ReportsQueue({ connection: producerRedis, prefix }, config.intake.dedupTtlSeconds);
  const queues = [reportsQueue.queue, outbound.queue];
  if (deps.registry) {
    observeWorkers(deps.registry, workers);
    observeQueues(deps.registry, queues);
  }
  for (const worker of workers) {
    worker.on('failed', (job, err) =>
      logger.warn({ queue: worker.name, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err }, 'job failed'),
    );
    worker.on('error', (err) => logger.error({ queue: worker.name, err }, 'worker error'));
  }
  return {
    workers,
    queues,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      // A reply the gateway may have taken is not left to be sent again once its claim lapses.
      await replies.drain();
      await outbound.close();
      await reportsQueue.close();
      // Senders handed in belong to the caller.
      if (!deps.senders) await senders.close();
    },
  };
}
