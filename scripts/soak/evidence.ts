import { existsSync, readFileSync } from 'node:fs';
import { QueueEvents } from 'bullmq';

/**
 * What the faults did to the reports queue, as BullMQ reports it: jobs taken
 * back from a dead worker (stalled) and jobs failed for good. Read from the
 * queue's event stream while the soak runs (a blocking reader that reconnects
 * after the Redis restart; events in the second Redis is down are missed).
 */
export class QueueWatch {
  readonly stalled = new Set<string>();
  readonly failedForGood = new Map<string, string>();
  private readonly events: QueueEvents;

  constructor(queueName: string, redisPort: number, prefix: string) {
    this.events = new QueueEvents(queueName, { connection: { host: '127.0.0.1', port: redisPort }, prefix });
    this.events.on('error', () => undefined);
    this.events.on('stalled', ({ jobId }) => this.stalled.add(jobId));
    this.events.on('failed', ({ jobId, failedReason }) => this.failedForGood.set(jobId, failedReason));
  }

  ready(): Promise<void> {
    return this.events.waitUntilReady().then(() => undefined);
  }

  close(): Promise<void> {
    return this.events.close();
  }
}

/**
 * Failed job attempts (later retried with backoff, or failed for good) as the
 * worker logged them ("job failed", one line per attempt), grouped by error.
 */
export function failedAttempts(workerLog: string): { total: number; byError: Map<string, number> } {
  const byError = new Map<string, number>();
  let total = 0;
  if (!existsSync(workerLog)) return { total, byError };
  for (const line of readFileSync(workerLog, 'utf8').split('\n')) {
    if (!line.includes('"job failed"')) continue;
    try {
      const entry = JSON.parse(line) as { queue?: string; err?: { message?: string } };
      const key = `${entry.queue ?? '?'}: ${(entry.err?.message ?? '?').slice(0, 80)}`;
      byError.set(key, (byError.get(key) ?? 0) + 1);
      total++;
    } catch {
      // not a JSON log line
    }
  }
  return { total, byError };
}
