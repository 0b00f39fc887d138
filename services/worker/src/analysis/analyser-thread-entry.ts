import { parentPort, workerData } from 'node:worker_threads';
import { AnalysisRepository, createPool, ModelRepository } from '@srs/db';
import { createLogger } from '@srs/logging';
import { ActiveModel } from './active-model';
import { BatchAnalyser } from './batch-analyser';
import type { AnalyserThreadCommand, AnalyserThreadConfig, AnalyserThreadEvent } from './analyser-thread-handle';
import { MessageAnalysisPool } from './message-analysis-pool';
import { wakeOnStoredReports } from './stored-report-notices';

/**
 * Entry point of the analyser's own thread (started by AnalyserThreadHandle):
 * the batch analyser with a pool of its own, and its message-analysis threads
 * beside it, so its round trips to PostgreSQL wait for nothing but its own work.
 */
const config = workerData as AnalyserThreadConfig;
const port = parentPort!;
const post = (event: AnalyserThreadEvent) => port.postMessage(event);
const logger = createLogger({ name: 'worker', level: config.logLevel });
// The leader's lock holds one connection; a batch's transaction and the next batch's read take two more.
const pool = createPool({ url: config.databaseUrl, max: 4, applicationName: 'srs-worker-analyser' });
const threads =
  config.analysis.threads > 0 && MessageAnalysisPool.available() ? new MessageAnalysisPool(config.analysis.threads) : undefined;
// The active model version, swapped in here and in the analysis threads when `srs model activate` changes it.
const model = new ActiveModel({
  versions: new ModelRepository(pool),
  logger,
  intervalMs: config.analysis.modelRefreshMs,
  onChange: (change) => threads?.useModel(change.model),
});
const analyser = new BatchAnalyser({
  repository: new AnalysisRepository(pool),
  config,
  logger,
  classify: model.classify,
  ...(threads ? { threads } : {}),
  metrics: {
    reportsAnalysed: { inc: ({ result }, value) => post({ type: 'analysed', result, value }) },
    campaignsCreated: { inc: (value) => post({ type: 'campaigns', value }) },
  },
});
// Reports stored by any worker process wake it (the leader) at once.
const notices = wakeOnStoredReports(analyser, config.databaseUrl, logger);
// The first look decides the model before the first report is judged.
let stopping = false;
void model.start().then(() => !stopping && analyser.start());

port.on('message', (command: AnalyserThreadCommand) => {
  if (command === 'wake') return analyser.wake();
  stopping = true;
  void notices
    .close()
    .then(() => model.stop())
    .then(() => analyser.stop())
    .then(() => threads?.close())
    .then(() => pool.end())
    .catch((err: unknown) => logger.warn({ err }, 'analyser thread did not stop cleanly'))
    .finally(() => post({ type: 'stopped' }));
});
