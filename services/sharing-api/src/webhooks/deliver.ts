import type { WebhookDeliveryStatus, WebhooksRepository } from '@srs/db';
import type { Counter } from '@srs/http';
import type { Logger } from '@srs/logging';
import { deliverWebhookJob } from '@srs/queue';
import { postWebhook, type PostAnswer } from './http-post';
import type { WebhookOptions } from './options';
import { parseRetryAfter, RetryDeliveryError } from './retry-policy';
import { webhookHeaders } from './signing';

export interface DeliverDeps {
  repository: WebhooksRepository;
  options: Pick<WebhookOptions, 'allowPrivateTargets' | 'timeoutMs'>;
  logger: Logger;
  /** attempts by outcome: delivered, pending (to retry), failed */
  attempts?: Counter<'outcome'>;
}

/** Which attempt this is, as the queue counts them. */
export interface AttemptContext {
  /** attempts already made by this job */
  attemptsMade: number;
  /** attempts the job has in all */
  attempts: number;
}

/**
 * Makes one attempt at one delivery and records it. Idempotent: a delivery
 * that is gone, already delivered or failed, or replayed since the job was
 * queued is left alone, so a duplicate job does nothing. A 2xx delivers; 410
 * Gone disables the subscription; anything else is retried by the queue (429
 * and 503 after the receiver's `Retry-After`), and the last attempt's failure
 * fails the delivery.
 *
 * Returns the operator whose budget the delivery held once it is finished
 * (delivered, failed or not sent), so that its next one can be queued;
 * undefined when the job had nothing to do.
 */
export async function deliverWebhook(deps: DeliverDeps, payload: unknown, context: AttemptContext): Promise<string | undefined> {
  const job = deliverWebhookJob.parse(payload);
  const target = await deps.repository.deliveryTarget(job.deliveryId);
  if (!target || target.delivery.generation !== job.generation || target.delivery.status !== 'pending') return undefined;
  const { delivery, subscription, secrets } = target;
  if (subscription.status !== 'active') {
    await deps.repository.abandon(
      delivery.id,
      job.generation,
      `not sent: the subscription is disabled (${subscription.disabledReason ?? 'by the operator'})`,
    );
    return subscription.operatorId;
  }

  const attempt = context.attemptsMade + 1;
  const last = attempt >= context.attempts;
  const startedAt = new Date();
  let answer: PostAnswer | undefined;
  let error: string | null = null;
  try {
    answer = await postWebhook(
      new URL(subscription.url),
      delivery.payload,
      webhookHeaders(delivery.id, delivery.payload, secrets, startedAt),
      deps.options,
    );
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const durationMs = Date.now() - startedAt.getTime();
  const status = answer?.status ?? null;
  const ok = status !== null && status >= 200 && status < 300;
  const gone = status === 410;
  const outcome: WebhookDeliveryStatus = ok ? 'delivered' : gone || last ? 'failed' : 'pending';
  if (!ok && !error) error = `answered ${status}`;

  await deps.repository.recordAttempt({
    deliveryId: delivery.id,
    generation: job.generation,
    attempt,
    startedAt,
    durationMs,
    statusCode: status,
    error,
    responseBody: answer?.body || null,
    status: outcome,
    ...(gone ? { disableSubscription: 'the endpoint answered 410 Gone' } : {}),
  });
  deps.logger.info(
    { deliveryId: delivery.id, subscriptionId: subscription.id, operatorId: subscription.operatorId, attempt, status, durationMs, outcome },
    'webhook attempt',
  );
  deps.attempts?.inc({ outcome });
  if (outcome !== 'pending') return subscription.operatorId;
  const waitMs = status === 429 || status === 503 ? parseRetryAfter(answer?.retryAfter) : undefined;
  throw new RetryDeliveryError(error ?? 'delivery failed', waitMs);
}
