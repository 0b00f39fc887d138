import type { NewWebhookDelivery, WebhookSubscriptionRow, WebhooksRepository } from '@srs/db';
import type { Logger } from '@srs/logging';
import { matchesFilter, type ChangeFilter } from '../stream/change-filter';
import { changeJson, EVENT_TYPES, type Change, type ChangeKind, type ChangeReader } from '../stream/change-reader';
import type { WebhookDeliveryQueue } from './delivery-queue';

export interface DispatcherDeps {
  repository: WebhooksRepository;
  reader: ChangeReader;
  queue: WebhookDeliveryQueue;
  logger: Logger;
  pollMs: number;
  /** a recorded delivery whose job did not reach the queue is queued again after this long */
  requeueAfterMs: number;
}

/** Changes read per subscription in one transaction. */
const BATCH = 200;
/** Batches per subscription in one pass, so one subscription's backlog does not hold up the others for long. */
const BATCHES_PER_PASS = 10;

/** The message id and `webhook-id` of one change for one subscription: the same however often it is dispatched. */
export function deliveryId(subscriptionId: string, seq: bigint): string {
  return `msg_${subscriptionId.replace(/^wh_/, '')}_${seq}`;
}

/** The Standard Webhooks payload: type, the time of the change, and the change as the feed serves it. */
export function webhookPayload(change: Change): string {
  return JSON.stringify({ type: EVENT_TYPES[change.kind], timestamp: change.row.updatedAt, data: changeJson(change) });
}

export function subscriptionFilter(subscription: WebhookSubscriptionRow): ChangeFilter {
  const kinds = (Object.keys(EVENT_TYPES) as ChangeKind[]).filter((kind) => subscription.events.includes(EVENT_TYPES[kind]));
  return { kinds, indicatorTypes: subscription.indicatorTypes, categories: subscription.categories, minConfidence: subscription.minConfidence };
}

/**
 * Follows the change sequence for every active subscription from its stored
 * position, records one delivery per matching change and queues it. Several
 * dispatchers (one per sharing API instance) share the work: a subscription
 * is locked while one of them moves it on, and the others skip it. Position
 * and deliveries are committed together, and delivery ids are deterministic,
 * so a crash in between repeats nothing and loses nothing.
 */
export class WebhookDispatcher {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private lastRequeue = 0;

  constructor(private readonly deps: DispatcherDeps) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loop;
  }

  /** One pass over every active subscription; returns the deliveries queued. */
  async dispatchOnce(): Promise<number> {
    let queued = 0;
    for (const id of await this.deps.repository.activeSubscriptionIds()) {
      if (this.stopped) break;
      try {
        queued += await this.dispatchSubscription(id);
      } catch (err) {
        this.deps.logger.error({ err, subscriptionId: id }, 'webhook dispatch failed; will try again');
      }
    }
    if (Date.now() - this.lastRequeue >= this.deps.requeueAfterMs) {
      this.lastRequeue = Date.now();
      await this.requeueUnqueued();
    }
    return queued;
  }

  private async dispatchSubscription(id: string): Promise<number> {
    let queued = 0;
    for (let batch = 0; batch < BATCHES_PER_PASS; batch++) {
      let more = false;
      const recorded = await this.deps.repository.dispatch(id, async (subscription) => {
        const filter = subscriptionFilter(subscription);
        const read = await this.deps.reader.read({ afterSeq: BigInt(subscription.position), viewer: subscription.operatorId, kinds: filter.kinds, limit: BATCH });
        more = read.more;
        const deliveries: NewWebhookDelivery[] = read.changes
          .filter((change) => matchesFilter(filter, change))
          .map((change) => ({ id: deliveryId(subscription.id, change.seq), seq: change.seq, eventType: EVENT_TYPES[change.kind], payload: webhookPayload(change) }));
        return { deliveries, position: read.position };
      });
      if (!recorded) return queued;
      await this.enqueue(recorded);
      queued += recorded.length;
      if (!more) break;
    }
    return queued;
  }

  /** Queued after the commit; when Redis refuses, the deliveries wait in PostgreSQL for the next requeue. */
  private async enqueue(deliveries: Array<{ id: string; generation: number }>): Promise<void> {
    if (deliveries.length === 0) return;
    try {
      await this.deps.queue.add(deliveries);
      await this.deps.repository.markEnqueued(deliveries.map((d) => d.id));
    } catch (err) {
      this.deps.logger.warn({ err, deliveries: deliveries.length }, 'webhook deliveries not queued yet; they will be');
    }
  }

  private async requeueUnqueued(): Promise<void> {
    const waiting = await this.deps.repository.unqueued(this.deps.requeueAfterMs, 500);
    await this.enqueue(waiting);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.dispatchOnce();
      } catch (err) {
        this.deps.logger.error({ err }, 'webhook dispatch pass failed; will try again');
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.deps.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }
}
