import { createHash } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import { queuePrefix, type RedisClient } from './connection';
import { JOB_NAMES, outboundSmsJob, QUEUES, type OutboundSmsJob } from './contracts';

export interface QueueSettings {
  connection: RedisClient;
  /** QUEUE_PREFIX: each queue adds its own hash tag to it */
  prefix: string;
}

/** The options of a BullMQ Queue, Worker or QueueEvents on `name`, wherever one is opened. */
export function queueOptions(settings: QueueSettings, name: string): { connection: RedisClient; prefix: string } {
  return { connection: settings.connection, prefix: queuePrefix(settings.prefix, name) };
}

/** Dedup keys are hashes: Redis never holds a gateway's raw identifiers as key names. */
export function dedupId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
}

/** The id of the reply named `key` (e.g. the acknowledgement of one report): the same key is sent once. */
export function replyId(key: string): string {
  return dedupId('reply', key);
}

/** How long a reply is remembered, queued or sent, so that a rerun does not send it again. */
export const REPLY_DEDUP_SECONDS = 7 * 24 * 3600;

const KEEP_FAILED = { age: 14 * 24 * 3600 };

export class OutboundSmsQueue {
  readonly queue: Queue;
  constructor(
    settings: QueueSettings,
    private readonly attempts: number,
  ) {
    this.queue = new Queue(QUEUES.outbound, queueOptions(settings, QUEUES.outbound));
    this.queue.on('error', () => undefined);
  }

  /** `key` names the reply (e.g. the acknowledgement of one report): the same key is queued once. */
  async add(job: OutboundSmsJob, key: string): Promise<void> {
    const id = replyId(key);
    const data = outboundSmsJob.parse({ ...job, replyId: id });
    const options: JobsOptions = {
      attempts: this.attempts,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: true,
      removeOnFail: KEEP_FAILED,
      deduplication: { id, ttl: REPLY_DEDUP_SECONDS * 1000 },
    };
    await this.queue.add(JOB_NAMES.sendSms, data, options);
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
