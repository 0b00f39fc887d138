import type { Logger } from 'pino';

/**
 * SIGTERM and SIGINT run `drain` once (stop taking work, finish what is in
 * flight, close connections) and exit 0; a drain that overruns `timeoutMs`
 * exits 1 so an orchestrator is not kept waiting.
 */
export function onShutdown(logger: Logger, timeoutMs: number, drain: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    const forced = setTimeout(() => {
      logger.error({ timeoutMs }, 'drain did not finish in time; exiting');
      process.exit(1);
    }, timeoutMs);
    forced.unref();
    try {
      await drain();
    } catch (err) {
      logger.error({ err }, 'error while draining');
      process.exit(1);
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
