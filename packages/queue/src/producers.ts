import { createHash } from 'node:crypto';
import { Queue, type JobsOptions } from 'bullmq';
import { queuePrefix, type RedisClient } from './connection';
import {
  conversationStepJob,
  JOB_NAMES,
  outboundSmsJob,
  QUEUES,
  senderTimeoutJob,
  type ConversationStepJob,
  type OutboundSmsJob,
  type SenderTimeoutJob,
} from './contracts';

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
const STEP_DEDUP_MAX_SECONDS = 3600;

export class ReportsQueue {
  readonly queue: Queue;
  constructor(
    settings: QueueSettings,
    private readonly dedupTtlSeconds: number,
  ) {
    this.queue = new Queue(QUEUES.reports, queueOptions(settings, QUEUES.reports));
    this.queue.on('error', () => undefined);
  }

  /**
   * Resolves once Redis holds the job. The same gateway message within the dedup
   * window resolves to the job already queued instead of adding a second one.
   * Completed jobs are removed at once: they carry the sealed address.
   * `timeouts`: sender-timeout jobs queued with the step, in the same round trip.
   */
  async addStep(job: ConversationStepJob, timeouts: readonly { job: SenderTimeoutJob; at: number }[] = []): Promise<{ jobId: string }> {
    const data = conversationStepJob.parse(job);
    const step = {
      name: JOB_NAMES.conversationStep,
      data,
      opts: {
        attempts: 10,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: true,
        removeOnFail: KEEP_FAILED,
        deduplication: {
          id: dedupId('step', data.operatorId, data.channel.gateway, data.gatewayMessageId),
          // Catches the same message queued twice at once (two intakes, a retry racing the first
          // attempt). Later redeliveries meet the intake's seen marker, which lasts the whole
          // dedup TTL, and the worker's idempotent steps: a second week-long key per message
          // would only double what Redis holds.
          ttl: Math.min(this.dedupTtlSeconds, STEP_DEDUP_MAX_SECONDS) * 1000,
        },
      } satisfies JobsOptions,
    };
    if (timeouts.length === 0) return { jobId: String((await this.queue.add(step.name, step.data, step.opts)).id) };
    const [added] = await this.queue.addBulk([step, ...timeouts.map(({ job: timeout, at }) => timeoutJob(timeout, at))]);
    return { jobId: String(added!.id) };
  }

  async addTimeout(job: SenderTimeoutJob, at: number): Promise<void> {
    const timeout = timeoutJob(job, at);
    await this.queue.add(timeout.name, timeout.data, timeout.opts);
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

function timeoutJob(job: SenderTimeoutJob, at: number): { name: string; data: SenderTimeoutJob; opts: JobsOptions } {
  const data = senderTimeoutJob.parse(job);
  return {
    name: JOB_NAMES.senderTimeout,
    data,
    opts: {
      delay: Math.max(0, at - Date.now()),
      attempts: 10,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: true,
      removeOnFail: KEEP_FAILED,
      deduplication: {
        id: dedupId('timeout', data.operatorId, data.report.gateway, data.report.gatewayMessageId),
        ttl: Math.max(at - Date.now(), 0) + 3600_000,
      },
    },
  };
}

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
