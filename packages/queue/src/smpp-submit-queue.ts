import { Queue } from 'bullmq';
import { JOB_NAMES, QUEUES, smppSubmitJob, type SmppSubmitJob } from './contracts';
import { dedupId, queueOptions, REPLY_DEDUP_SECONDS, type QueueSettings } from './producers';

const KEEP_FAILED = { age: 14 * 24 * 3600 };

/**
 * Replies on their way to an SMPP bind. The worker hands them here (Redis holds
 * them durably) and the SMPP process sends them at the pace of its window and
 * throughput, retrying while the link is down.
 */
export class SmppSubmitQueue {
  readonly queue: Queue;

  constructor(
    settings: QueueSettings,
    private readonly attempts: number,
  ) {
    this.queue = new Queue(QUEUES.smppSubmit, queueOptions(settings, QUEUES.smppSubmit));
    this.queue.on('error', () => undefined);
  }

  /** `id` names the reply: the same id is queued once, however often the worker hands it over. */
  async add(job: SmppSubmitJob, id: string): Promise<void> {
    const data = smppSubmitJob.parse(job);
    const dedup = dedupId('smpp-submit', id);
    await this.queue.add(JOB_NAMES.submitSm, data, {
      attempts: this.attempts,
      backoff: { type: 'exponential', delay: 2000 },
      // Completed jobs go at once: they carry the sealed address.
      removeOnComplete: true,
      removeOnFail: KEEP_FAILED,
      deduplication: { id: dedup, ttl: REPLY_DEDUP_SECONDS * 1000 },
    });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
