import type { Config } from '@srs/config';
import type { TextClassification } from '@srs/core';
import { AnalysisRepository, ExpiryRepository, ModelRepository, PartitionsRepository, ReportsRepository, StatsRollupRepository, type NewReport, type Pool } from '@srs/db';
import type { Logger } from '@srs/logging';
import type { Registry } from '@srs/http';
import { JOB_NAMES, observeQueues, observeWorkers, OutboundSmsQueue, queueOptions, QUEUES, SentReplies, type RedisClient } from '@srs/queue';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { ActiveModel } from './analysis/active-model';
import { MessageAnalysisPool } from './analysis/message-analysis-pool';
import { BatchAnalyser } from './analysis/batch-analyser';
import { AnalyserThreadHandle } from './analysis/analyser-thread-handle';
import { ExpirySweep } from './maintenance/expiry-sweep';
import { StatsRollup } from './statistics/stats-rollup';
import { PartitionMaintenance } from './maintenance/partition-maintenance';
import { carryOutConversationStep } from './handlers/conversation-step';
import { sendSms } from './handlers/send-sms';
import { completeAfterTimeout } from './handlers/sender-timeout';
import { MicroBatcher } from './handlers/micro-batcher';
import { ReplyDispatcher } from './outbound/reply-dispatcher';
import { SenderRegistry } from './outbound/sender-registry';
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

export interface RunningWorkers {
  workers: Worker[];
  /** the queues the workers take from, for the queue dashboard */
  queues: Queue[];
  statistics: StatsRollup;
  /** Stops taking jobs and waits for the running ones to finish. */
  close(): Promise<void>;
}

export function startWorkers(deps: WorkerDeps): RunningWorkers {
  const { config, logger, pool, workerRedis, producerRedis } = deps;
  const prefix = config.redis.prefix;
  const outbound = new OutboundSmsQueue({ connection: producerRedis, prefix }, config.worker.outboundAttempts);
  const reports = new ReportsRepository(pool);
  // Jobs running at once store their reports in one statement.
  const reportInserts = new MicroBatcher((batch: NewReport[]) => reports.insertManyOnce(batch), config.worker.concurrency);
  const senders = deps.senders ?? new SenderRegistry(config);
  // A job whose worker died is taken back (stalled); the handlers are idempotent, so
  // it may be taken back many times rather than failed for good after the second death.
  const common = { concurrency: config.worker.concurrency, maxStalledCount: 10 };
  const consuming = { connection: workerRedis, prefix };
  const metrics = deps.metrics ? workerMetrics(deps.metrics) : undefined;
  const analyser = startAnalyser(deps, metrics);
  const expiry = new ExpirySweep({ repository: new ExpiryRepository(pool), config, logger, intervalMs: 60_000 });
  expiry.start();
  const partitions = new PartitionsRepository(pool);
  const maintenance = new PartitionMaintenance({ partitions, reports, logger, premakeMonths: config.database.partitionPremakeMonths });
  maintenance.start();
  const statistics = new StatsRollup({
    repository: new StatsRollupRepository(pool),
    partitions,
    logger,
    intervalMs: config.stats.rollupIntervalMs,
    retentionDays: config.stats.reportRetentionDays,
    ...(metrics ? { metrics } : {}),
  });
  statistics.start();

  const sending = { senders, sent: new SentReplies(deps.markerRedis ?? producerRedis, prefix), encryptionKey: config.privacy.msisdnEncryptionKey, logger };
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
        return carryOutConversationStep({ reports, replies, logger, onReportStored: () => analyser.wake(), insertReport: (r) => reportInserts.add(r) }, job.data);
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
  const queues = [new Queue(QUEUES.reports, queueOptions({ connection: producerRedis, prefix }, QUEUES.reports)), outbound.queue];
  if (deps.metrics) {
    observeWorkers(deps.metrics, workers);
    observeQueues(deps.metrics, queues);
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
    statistics,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      // A reply the gateway may have taken is not left to be sent again once its claim lapses.
      await replies.drain();
      await analyser.stop();
      await expiry.stop();
      await statistics.stop();
      await maintenance.stop();
      await outbound.close();
      await queues[0]!.close();
    },
  };
}

/**
 * The analyser on a thread of its own when so configured and the service is
 * built; on the main thread otherwise, or when given a classifier of its own (tests).
 */
function startAnalyser(deps: WorkerDeps, metrics: ReturnType<typeof workerMetrics> | undefined): Pick<BatchAnalyser, 'wake' | 'stop'> {
  const { config, logger, pool } = deps;
  if (config.analysis.ownThread && !deps.classify && AnalyserThreadHandle.available()) {
    const inThread = new AnalyserThreadHandle(config, logger, metrics);
    inThread.start();
    return inThread;
  }
  const threads = config.analysis.threads > 0 && !deps.classify && MessageAnalysisPool.available() ? new MessageAnalysisPool(config.analysis.threads) : undefined;
  // The active model version, swapped in here and in the analysis threads when `srs model activate` changes it.
  const model = deps.classify
    ? undefined
    : new ActiveModel({ versions: new ModelRepository(pool), logger, intervalMs: config.analysis.modelRefreshMs, onChange: (change) => threads?.useModel(change.model) });
  const analyser = new BatchAnalyser({
    repository: new AnalysisRepository(pool),
    config,
    logger,
    classify: deps.classify ?? model!.classify,
    ...(threads ? { threads } : {}),
    ...(metrics ? { metrics } : {}),
  });
  // The first look decides the model before the first report is judged.
  let stopping = false;
  const started = (model?.start() ?? Promise.resolve()).then(() => !stopping && analyser.start());
  return {
    wake: () => analyser.wake(),
    stop: async () => {
      stopping = true;
      await started;
      await model?.stop();
      await analyser.stop();
      await threads?.close();
    },
  };
}
