import type { QueuedDelivery } from '@srs/db';
import { Queue } from 'bullmq';
import { queueOptions, type QueueSettings } from '@srs/queue';
import { DELIVER_WEBHOOK_JOB, deliverWebhookJob, deliveryJobId, WEBHOOK_QUEUE } from './contracts';

const KEEP_FAILED = { age: 14 * 24 * 3600 };

/** Produces delivery jobs. PostgreSQL holds each delivery's state, so completed jobs need not be kept. */
export class WebhookDeliveryQueue {
  readonly queue: Queue;

  constructor(
    settings: QueueSettings,
    private readonly retry: { attempts: number },
  ) {
    this.queue = new Queue(WEBHOOK_QUEUE, queueOptions(settings, WEBHOOK_QUEUE));
    this.queue.on('error', () => undefined);
  }

  /** Queues each delivery once per generation: a job id that is already queued is not queued again. */
  async add(deliveries: readonly QueuedDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queue.addBulk(
      deliveries.map((d) => {
        const data = deliverWebhookJob.parse({ v: 1, deliveryId: d.id, generation: d.generation });
        return {
          name: DELIVER_WEBHOOK_JOB,
          data,
          opts: {
            jobId: deliveryJobId(data),
            attempts: this.retry.attempts,
            // 'webhook': the worker's own strategy, which honours Retry-After (see retry-policy.ts)
            backoff: { type: 'webhook' },
            removeOnComplete: true,
            removeOnFail: KEEP_FAILED,
          },
        };
      }),
    );
  }

  /** Where the delivery's job is: waiting, active, delayed (to retry), failed, or 'unknown' when the queue no longer holds it. */
  async state(delivery: QueuedDelivery): Promise<string> {
    return this.queue.getJobState(deliveryJobId({ v: 1, deliveryId: delivery.id, generation: delivery.generation }));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
