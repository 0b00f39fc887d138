import { z } from 'zod';

/**
 * The webhook delivery queue, its job and payload. The dispatcher and the
 * replay route produce it, the delivery worker consumes it; both parse with
 * this schema. The job carries ids only: the message, its target and its
 * secrets are read from PostgreSQL when it runs.
 */
export const WEBHOOK_QUEUE = 'webhook-deliveries';
export const DELIVER_WEBHOOK_JOB = 'deliver-webhook';

export const deliverWebhookJob = z.object({
  v: z.literal(1),
  deliveryId: z.string().regex(/^msg_[A-Za-z0-9_]{1,120}$/),
  /** the delivery's generation when queued: a replay makes the jobs of older ones obsolete */
  generation: z.number().int().min(0),
});
export type DeliverWebhookJob = z.infer<typeof deliverWebhookJob>;

/** One job per delivery and generation: queueing it again while it exists adds nothing. */
export function deliveryJobId(job: DeliverWebhookJob): string {
  return job.generation === 0 ? job.deliveryId : `${job.deliveryId}-r${job.generation}`;
}
