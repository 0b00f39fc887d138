import type { WebhooksRepository } from '@srs/db';
import type { Logger } from '@srs/logging';
import type { WebhookDeliveryQueue } from '@srs/queue';
import type { WebhookOptions } from './options';

export interface DeliveryBudgetDeps {
  repository: WebhooksRepository;
  queue: WebhookDeliveryQueue;
  options: Pick<WebhookOptions, 'subscriptionInFlight' | 'operatorInFlight'>;
  logger: Logger;
}

/** Deliveries checked against the queue in one pass: more than every budget of a large consortium holds. */
const CHECKED_PER_PASS = 1000;

/**
 * Lets each operator's deliveries into the one delivery queue a few at a
 * time (see docs/SHARING.md, "Fair delivery"). The queue is first in, first
 * out, so whatever an operator has in it is ahead of everyone who comes
 * later: capped, a slow receiver holds its own places and nobody else's.
 * The rest wait in PostgreSQL, in change order, and go in as places free up:
 * when a delivery finishes, and on each pass of the dispatcher.
 */
export class DeliveryBudget {
  constructor(private readonly deps: DeliveryBudgetDeps) {}

  /** Queues what the operator's budget has room for; returns how many. Never throws: what stays waiting is released by the dispatcher's next pass. */
  async release(operatorId: string): Promise<number> {
    const { repository, queue, options } = this.deps;
    try {
      const released = await repository.release(
        operatorId,
        { perSubscription: options.subscriptionInFlight, perOperator: options.operatorInFlight },
        (d) => queue.add(d),
      );
      return released.length;
    } catch (err) {
      this.deps.logger.warn({ err, operatorId }, 'webhook deliveries not queued yet; they will be');
      return 0;
    }
  }

  /**
   * A delivery holds its place until it is delivered or given up. When its
   * job is gone from the queue (Redis lost it) or failed there without the
   * delivery being recorded (PostgreSQL was down on its last attempt), the
   * place would be held for ever: the first waits for a place again, the
   * second is given up, and the next release fills the place.
   */
  async reconcile(olderThanMs: number): Promise<void> {
    const { repository, queue, logger } = this.deps;
    for (const delivery of await repository.inFlightSince(olderThanMs, CHECKED_PER_PASS)) {
      const state = await queue.state(delivery);
      if (state === 'unknown') {
        logger.warn({ deliveryId: delivery.id }, 'webhook delivery no longer in the queue; queued again');
        await repository.requeue(delivery);
      } else if (state === 'failed') {
        await repository.abandon(delivery.id, delivery.generation, 'given up: its job failed without recording the attempt');
      }
    }
  }
}
