import type { Logger } from '@srs/logging';

/**
 * Runs a task every interval, never two runs at once; a failed run is logged
 * and the next one retries. `stop` waits for a run in progress.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly run: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.run()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn({ err }, `${this.name} failed; next run retries`))
        .finally(() => {
          this.running = undefined;
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
