import { Queue } from 'bullmq';
import { deliverWebhookJob, deliveryJobId, JOB_NAMES, QUEUES } from './contracts';
import { queueOptions, type QueueSettings } from './producers';

const KEEP_FAILED = { age: 14 * 24 * 3600 };

/** A delivery as PostgreSQL holds it: its id and how many times it was replayed. */
export interface DeliveryRef {
  id: string;
  generation: number;
}

/** Produces webhook delivery jobs. PostgreSQL holds each delivery's state, so completed jobs need not be kept. */
export class WebhookDeliveryQueue {
  readonly queue: Queue;

  constructor(
    settings: QueueSettings,
    private readonly retry: { attempts: number },
  ) {
    this.queue = new Queue(QUEUES.webhooks, queueOptions(settings, QUEUES.webhooks));
    this.queue.on('error', () => undefined);
  }

  /** Queues each delivery once per generation: a job id that is already queued is not queued again. */
  async add(deliveries: readonly DeliveryRef[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queue.addBulk(
      deliveries.map((d) => {
        const data = deliverWebhookJob.parse({ v: 1, deliveryId: d.id, generation: d.generation });
        return {
          name: JOB_NAMES.deliverWebhook,
          data,
          opts: {
            jobId: deliveryJobId(data),
            attempts: this.retry.attempts,
            // 'webhook': the delivery worker's own strategy, which honours Retry-After
            backoff: { type: 'webhook' },
            removeOnComplete: true,
            removeOnFail: KEEP_FAILED,
          },
        };
      }),
    );
  }

  /** Where the delivery's job is: waiting, active, delayed (to retry), failed, or 'unknown' when the queue no longer holds it. */
  async state(delivery: DeliveryRef): Promise<string> {
    return this.queue.getJobState(deliveryJobId({ v: 1, deliveryId: delivery.id, generation: delivery.generation }));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
