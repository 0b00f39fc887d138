import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Config } from '@srs/config';
import type { Logger } from '@srs/logging';
import type { AnalyserMetrics } from './batch-analyser';

/** What the analyser's thread needs of the configuration: plain data, as a thread receives it. */
export type AnalyserThreadConfig = Pick<Config, 'analysis' | 'scoring' | 'verdict' | 'allowlist' | 'routing' | 'logLevel'> & {
  databaseUrl: string;
};

/** What the thread tells the worker: counts for its metrics, and that it has stopped. */
export type AnalyserThreadEvent =
  { type: 'analysed'; result: 'analysed' | 'failed'; value: number } | { type: 'campaigns'; value: number } | { type: 'stopped' };

export type AnalyserThreadCommand = 'wake' | 'stop';

const THREAD_SCRIPT = path.join(__dirname, 'analyser-thread-entry.js');
const RESTART_MS = 1000;

/**
 * The main thread's handle on the analyser's own thread (entry point:
 * analyser-thread-entry.ts): starts it, starts it again when it dies, wakes
 * it, stops it, and counts what it reports. Each batch makes about a dozen
 * round trips to PostgreSQL, one after another, and each waits for its thread's
 * event loop: on the worker's main thread, busy with queue jobs and replies,
 * that loop lagged 18 ms on average at 500 reports/s, which made each batch's
 * transaction take a quarter of a second, most of it waiting. Here the wait is
 * the analyser's own. Only the built service has the thread script; run from
 * sources (tests), the worker runs the analyser on its main thread instead.
 */
export class AnalyserThreadHandle {
  private thread: Worker | undefined;
  private stopping = false;
  private stopped: (() => void) | undefined;
  private wakePosted = false;

  static available(): boolean {
    return existsSync(THREAD_SCRIPT);
  }

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly metrics?: AnalyserMetrics,
  ) {}

  start(): void {
    const data: AnalyserThreadConfig = {
      analysis: this.config.analysis,
      scoring: this.config.scoring,
      verdict: this.config.verdict,
      allowlist: this.config.allowlist,
      routing: this.config.routing,
      logLevel: this.config.logLevel,
      databaseUrl: this.config.database.url,
    };
    const thread = new Worker(THREAD_SCRIPT, { workerData: data });
    thread.on('message', (event: AnalyserThreadEvent) => {
      if (event.type === 'analysed') this.metrics?.reportsAnalysed.inc({ result: event.result }, event.value);
      else if (event.type === 'campaigns') this.metrics?.campaignsCreated.inc(event.value);
      else this.stopped?.();
    });
    thread.on('error', (err) => this.logger.error({ err }, 'analyser thread failed'));
    // The analyser's work waits in the reports table: a thread that died starts again and picks it up.
    thread.on('exit', (code) => {
      this.thread = undefined;
      if (this.stopping) return this.stopped?.();
      this.logger.error({ code }, 'analyser thread exited; starting it again');
      setTimeout(() => !this.stopping && this.start(), RESTART_MS).unref();
    });
    this.thread = thread;
  }

  /**
   * A report was just stored: look now rather than after the idle pause. The
   * jobs of one stored batch all ask at once; one message a turn of the event
   * loop answers them all (one message per job cost the main thread 4 % of its time,
   * and woke the analyser's thread as often).
   */
  wake(): void {
    if (this.wakePosted) return;
    this.wakePosted = true;
    setImmediate(() => {
      this.wakePosted = false;
      this.thread?.postMessage('wake' satisfies AnalyserThreadCommand);
    });
  }

  /** Lets the batch being written commit, then ends the thread. */
  async stop(): Promise<void> {
    this.stopping = true;
    const thread = this.thread;
    if (!thread) return;
    await new Promise<void>((resolve) => {
      this.stopped = resolve;
      thread.postMessage('stop' satisfies AnalyserThreadCommand);
    });
    await thread.terminate();
  }
}
