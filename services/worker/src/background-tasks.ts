import type { Config } from '@srs/config';
import type { TextClassification } from '@srs/core';
import {
  AnalysisRepository,
  ExpiryRepository,
  FederationRepository,
  ModelRepository,
  PartitionsRepository,
  ReportsRepository,
  StatsRollupRepository,
  type Pool,
} from '@srs/db';
import type { Logger } from '@srs/logging';
import { ActiveModel } from './analysis/active-model';
import { AnalyserThreadHandle } from './analysis/analyser-thread-handle';
import { BatchAnalyser } from './analysis/batch-analyser';
import { MessageAnalysisPool } from './analysis/message-analysis-pool';
import { wakeOnStoredReports } from './analysis/stored-report-notices';
import { PeerPull } from './federation/peer-pull';
import { ExpirySweep } from './maintenance/expiry-sweep';
import { PartitionMaintenance } from './maintenance/partition-maintenance';
import { StatsRollup } from './statistics/stats-rollup';
import type { WorkerMetrics } from './worker-metrics';

export interface BackgroundTaskDeps {
  config: Config;
  logger: Logger;
  pool: Pool;
  /** the worker's counters; none are kept when not given */
  metrics?: WorkerMetrics;
  /** the classifier; when not given, the active model version (`srs model activate`), swapped in without a restart */
  classify?: (text: string) => TextClassification;
}

export interface BackgroundTasks {
  /** the analyser, woken when a report is stored */
  analyser: Pick<BatchAnalyser, 'wake'>;
  statistics: StatsRollup;
  /** Stops each task in turn, each once its run in progress is done (the analyser's batch commits). */
  stop(): Promise<void>;
}

/** How often the worker looks for peers whose pull is due; each peer's own interval is set with `srs peers add`. */
const PEER_PULL_POLL_MS = 10_000;

/**
 * What the worker runs beside its queues, on PostgreSQL alone: the analyser,
 * the expiry sweep, partition maintenance, the statistics rollup and the
 * federation pull of peer deployments.
 */
export function startBackgroundTasks(deps: BackgroundTaskDeps): BackgroundTasks {
  const { config, logger, pool, metrics } = deps;
  const analyser = startAnalyser(deps);
  const expiry = new ExpirySweep({ repository: new ExpiryRepository(pool), config, logger, intervalMs: 60_000 });
  expiry.start();
  const partitions = new PartitionsRepository(pool);
  const maintenance = new PartitionMaintenance({
    partitions,
    reports: new ReportsRepository(pool),
    logger,
    premakeMonths: config.database.partitionPremakeMonths,
  });
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
  const peerPull = new PeerPull({
    repository: new FederationRepository(pool),
    deploymentKey: config.privacy.msisdnEncryptionKey,
    logger,
    intervalMs: PEER_PULL_POLL_MS,
  });
  peerPull.start();
  return {
    analyser,
    statistics,
    stop: async () => {
      await analyser.stop();
      await expiry.stop();
      await statistics.stop();
      await maintenance.stop();
      await peerPull.stop();
    },
  };
}

/**
 * The analyser on a thread of its own when so configured and the service is
 * built; on the main thread otherwise, or when given a classifier of its own (tests).
 */
function startAnalyser(deps: BackgroundTaskDeps): Pick<BatchAnalyser, 'wake' | 'stop'> {
  const { config, logger, pool, metrics } = deps;
  if (config.analysis.ownThread && !deps.classify && AnalyserThreadHandle.available()) {
    const inThread = new AnalyserThreadHandle(config, logger, metrics);
    inThread.start();
    return inThread;
  }
  const threads =
    config.analysis.threads > 0 && !deps.classify && MessageAnalysisPool.available()
      ? new MessageAnalysisPool(config.analysis.threads)
      : undefined;
  // The active model version, swapped in here and in the analysis threads when `srs model activate` changes it.
  const model = deps.classify
    ? undefined
    : new ActiveModel({
        versions: new ModelRepository(pool),
        logger,
        intervalMs: config.analysis.modelRefreshMs,
        onChange: (change) => threads?.useModel(change.model),
      });
  const analyser = new BatchAnalyser({
    repository: new AnalysisRepository(pool),
    config,
    logger,
    classify: deps.classify ?? model!.classify,
    ...(threads ? { threads } : {}),
    ...(metrics ? { metrics } : {}),
  });
  // Reports stored by any worker process wake it (the leader) at once.
  const notices = wakeOnStoredReports(analyser, config.database.url, logger);
  // The first look decides the model before the first report is judged.
  let stopping = false;
  const started = (model?.start() ?? Promise.resolve()).then(() => !stopping && analyser.start());
  return {
    wake: () => analyser.wake(),
    stop: async () => {
      stopping = true;
      await notices.close();
      await started;
      await model?.stop();
      await analyser.stop();
      await threads?.close();
    },
  };
}
