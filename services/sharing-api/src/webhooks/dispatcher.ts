import type { NewWebhookDelivery, WebhookSubscriptionRow, WebhooksRepository } from '@srs/db';
import type { Logger } from '@srs/logging';
import type { SealedIds } from '../feed/sealed-ids';
import { matchesFilter, type ChangeFilter } from '../stream/change-filter';
import type { ChangeNotices } from '../stream/change-notices';
import { changeJson, EVENT_TYPES, type Change, type ChangeKind, type ChangeReader } from '../stream/change-reader';
import type { BacklogWatch } from './backlog-watch';
import type { DeliveryBudget } from './delivery-budget';

export interface DispatcherDeps {
  repository: WebhooksRepository;
  reader: ChangeReader;
  /** seals the change's position in message ids and the ids in payloads */
  ids: SealedIds;
  budget: DeliveryBudget;
  backlog: BacklogWatch;
  logger: Logger;
  /** committed changes as the process hears of them: a pass follows each, polling only as a fallback */
  changes: ChangeNotices;
  /** how often a pass runs when no notification woke the dispatcher */
  pollMs: number;
  /** how often deliveries counted in the queue are checked against it, and backlogs checked */
  requeueAfterMs: number;
}

/** Changes read per subscription in one transaction. */
const BATCH = 200;
/** Batches per subscription in one pass, so one subscription's backlog does not hold up the others for long. */
const BATCHES_PER_PASS = 10;

/**
 * The message id and `webhook-id` of one change for one subscription: the same
 * however often it is dispatched. The change's position is sealed (in hex, as
 * message ids allow), so message ids do not count the changes in between.
 */
export function deliveryId(ids: SealedIds, subscriptionId: string, seq: bigint): string {
  return `msg_${subscriptionId.replace(/^wh_/, '')}_${Buffer.from(ids.seal('cursor', seq), 'base64url').toString('hex')}`;
}

/** The Standard Webhooks payload: type, the time of the change, and the change as the feed serves it. */
export function webhookPayload(change: Change, ids: SealedIds): string {
  return JSON.stringify({ type: EVENT_TYPES[change.kind], timestamp: change.row.updatedAt, data: changeJson(change, ids) });
}

export function subscriptionFilter(subscription: WebhookSubscriptionRow): ChangeFilter {
  const kinds = (Object.keys(EVENT_TYPES) as ChangeKind[]).filter((kind) => subscription.events.includes(EVENT_TYPES[kind]));
  return {
    kinds,
    indicatorTypes: subscription.indicatorTypes,
    categories: subscription.categories,
    minConfidence: subscription.minConfidence,
  };
}

/**
 * Follows the change sequence for every active subscription from its stored
 * position and records one delivery per matching change; then lets each
 * operator's waiting deliveries into the queue as far as its budget allows.
 * Several dispatchers (one per sharing API instance) share the work: a
 * subscription is locked while one of them moves it on, and the others skip
 * it. Position and deliveries are committed together, and delivery ids are
 * deterministic, so a crash in between repeats nothing and loses nothing.
 * A pass runs when a change commits (ChangeNotices), and every `pollMs`
 * besides: that pass also lets waiting deliveries in and reconciles.
 */
export class WebhookDispatcher {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private lastCheck = 0;

  constructor(private readonly deps: DispatcherDeps) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    await this.loop;
  }

  /** One pass over every active subscription; returns the deliveries queued. */
  async dispatchOnce(): Promise<number> {
    const subscriptions = await this.deps.repository.activeSubscriptions();
    for (const { id } of subscriptions) {
      if (this.stopped) break;
      try {
        await this.dispatchSubscription(id);
      } catch (err) {
        this.deps.logger.error({ err, subscriptionId: id }, 'webhook dispatch failed; will try again');
      }
    }
    if (Date.now() - this.lastCheck >= this.deps.requeueAfterMs) {
      this.lastCheck = Date.now();
      try {
        await this.deps.budget.reconcile(this.deps.requeueAfterMs);
        await this.deps.backlog.check();
      } catch (err) {
        this.deps.logger.error({ err }, 'webhook queue and backlog check failed; will try again');
      }
    }
    let queued = 0;
    for (const operatorId of new Set(subscriptions.map((s) => s.operatorId))) {
      if (this.stopped) break;
      queued += await this.deps.budget.release(operatorId);
    }
    return queued;
  }

  /** Records the subscription's new deliveries; they wait in PostgreSQL until the budget lets them into the queue. */
  private async dispatchSubscription(id: string): Promise<void> {
    for (let batch = 0; batch < BATCHES_PER_PASS; batch++) {
      let more = false;
      const recorded = await this.deps.repository.dispatch(id, async (subscription) => {
        const filter = subscriptionFilter(subscription);
        const read = await this.deps.reader.read({
          afterSeq: BigInt(subscription.position),
          viewer: subscription.operatorId,
          kinds: filter.kinds,
          limit: BATCH,
        });
        more = read.more;
        const deliveries: NewWebhookDelivery[] = read.changes
          .filter((change) => matchesFilter(filter, change))
          .map((change) => ({
            id: deliveryId(this.deps.ids, subscription.id, change.seq),
            seq: change.seq,
            eventType: EVENT_TYPES[change.kind],
            payload: webhookPayload(change, this.deps.ids),
          }));
        return { deliveries, position: read.position };
      });
      if (!recorded || !more) return;
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const mark = this.deps.changes.mark();
      try {
        await this.dispatchOnce();
      } catch (err) {
        this.deps.logger.error({ err }, 'webhook dispatch pass failed; will try again');
      }
      if (this.stopped) break;
      // The next pass follows the next commit (NOTIFY srs_changes), or comes after pollMs.
      await this.deps.changes.wait({ mark, ms: this.deps.pollMs, signal: this.stopping.signal });
    }
  }
}
