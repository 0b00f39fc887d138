import type { Config } from '@srs/config';
import { ReportsRepository, type NewReport, type Pool } from '@srs/db';
import type { Registry } from '@srs/http';
import type { Logger } from '@srs/logging';
import { Counter } from '@srs/http';
import { observeQueues, observeWorkers, OutboundSmsQueue, queueOptions, QUEUES, SentReplies, type RedisClient } from '@srs/queue';
import { Worker, type Job, type Queue } from 'bullmq';
import { carryOutConversationStep } from './handlers/conversation-step';
import { MicroBatcher } from './handlers/micro-batcher';
import { sendSms } from './handlers/send-sms';
import { completeAfterTimeout } from './handlers/sender-timeout';
import { InboxConsumer } from './inbox/inbox-consumer';
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
  /** the subscriber messages this worker decides, by partition */
  inbox: InboxConsumer;
  /** the queues the workers take from, for the queue dashboard */
  queues: Queue[];
  /** Stops taking jobs, waits for the running ones, sends the replies they left going, and closes the queues. */
  close(): Promise<void>;
}

/**
 * The inbox consumer (subscriber messages decided in order per subscriber,
 * their steps carried out, sender windows closed) and the `outbound-sms`
 * queue worker (replies the gateway did not take at once), with the reply
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
  const inbox = new InboxConsumer({
    config,
    logger,
    redis: workerRedis,
    carryOut: (job) =>
      carryOutConversationStep(
        { reports, replies, logger, onReportStored: deps.onReportStored, insertReport: (r) => reportInserts.add(r) },
        job,
      ),
    timeout: (timer) =>
      completeAfterTimeout(
        { reports, logger },
        { operatorId: timer.operatorId, gateway: timer.gateway, gatewayMessageId: timer.gatewayMessageId },
      ),
    ...(deps.registry
      ? {
          registry: deps.registry,
          decided: new Counter({
            name: 'srs_inbox_decided_total',
            help: 'Subscriber messages decided by this worker and committed, by what they were taken for (report_opened, sender_attached, help, throttled_first, …)',
            labelNames: ['outcome'] as const,
            registers: [deps.registry],
          }),
        }
      : {}),
  });
  void inbox.start().catch((err: unknown) => logger.error({ err }, 'inbox consumer could not start'));
  const processReply = async (job: Job) => {
    const result = await sendSms(sending, job.data, job.id);
    metrics?.replies.inc({ path: result === 'sent' ? 'outbound' : 'already_sent' });
  };
  const replyWorker = new Worker(QUEUES.outbound, processReply, { ...common, ...queueOptions(consuming, QUEUES.outbound) });

  const workers = [replyWorker];
  const queues = [outbound.queue];
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
    inbox,
    queues,
    close: async () => {
      await Promise.all([inbox.close(), ...workers.map((w) => w.close())]);
      // A reply the gateway may have taken is not left to be sent again once its claim lapses.
      await replies.drain();
      await outbound.close();
      // Senders handed in belong to the caller.
      if (!deps.senders) await senders.close();
    },
  };
}
