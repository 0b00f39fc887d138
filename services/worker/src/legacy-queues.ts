import type { Logger } from '@srs/logging';
import type { RedisClient } from '@srs/queue';
import { Queue, Worker, type Processor, type WorkerOptions } from 'bullmq';

/**
 * Before each queue's prefix carried a hash tag, jobs were kept under the bare
 * QUEUE_PREFIX. Jobs an older intake acknowledged there must still run after
 * an upgrade: when a queue of the old layout holds jobs, a worker on it runs
 * them with the same handlers (they are idempotent) for as long as this
 * process lives. Such jobs can only exist on a single Redis: cluster support
 * came with the hash tags.
 */
export function drainLegacyQueues(options: {
  connection: RedisClient;
  prefix: string;
  processors: Record<string, Processor>;
  workerOptions: Omit<WorkerOptions, 'connection' | 'prefix'>;
  logger: Logger;
}): { close(): Promise<void> } {
  const { connection, prefix, logger } = options;
  const started: Worker[] = [];
  let closing = false;
  const looking = (async () => {
    if (connection.isCluster) return;
    for (const [name, processor] of Object.entries(options.processors)) {
      const queue = new Queue(name, { connection, prefix });
      try {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
        const pending = Object.values(counts).reduce((sum, n) => sum + n, 0);
        if (pending > 0 && !closing) {
          logger.info({ queue: name, pending }, 'running jobs queued before the queues had hash tags');
          const worker = new Worker(name, processor, { ...options.workerOptions, connection, prefix });
          worker.on('error', (err) => logger.error({ queue: name, err }, 'legacy queue worker error'));
          started.push(worker);
        }
      } finally {
        await queue.close();
      }
    }
  })().catch((err: unknown) => logger.warn({ err }, 'could not look for jobs queued before the queues had hash tags; will look at next start'));
  return {
    close: async () => {
      closing = true;
      await looking;
      await Promise.all(started.map((w) => w.close()));
    },
  };
}
