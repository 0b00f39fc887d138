import { NOTIFY_CHANNELS, PgListener } from '@srs/db';
import type { Logger } from '@srs/logging';
import type { BatchAnalyser } from './batch-analyser';

/**
 * Wakes the analyser when any worker process stores a report or gives one its
 * sender (NOTIFY srs_reports, sent at the storing transaction's commit): the
 * leader may be another process than the one that stored it, and without this
 * it would find the report only at its next idle look (ANALYSER_IDLE_MS).
 * One LISTEN connection beside the analyser's pool; while it is lost, the idle
 * look still finds everything.
 */
export function wakeOnStoredReports(analyser: Pick<BatchAnalyser, 'notified'>, databaseUrl: string, logger: Logger): PgListener {
  const listener = new PgListener({
    url: databaseUrl,
    channels: [NOTIFY_CHANNELS.reports],
    applicationName: 'srs-worker-listener',
    onError: (err, retryInMs) =>
      logger.warn(
        { err, retryInMs },
        'stored-report notifications lost; listening again (the analyser looks every ANALYSER_IDLE_MS meanwhile)',
      ),
  });
  listener.subscribe(NOTIFY_CHANNELS.reports, () => analyser.notified());
  return listener.start();
}
