import type { SubscriptionBacklog, WebhooksRepository } from '@srs/db';
import { Gauge, type Registry } from '@srs/http';
import type { Logger } from '@srs/logging';

export interface BacklogWatchDeps {
  repository: Pick<WebhooksRepository, 'backlog'>;
  logger: Logger;
  /** a subscription whose oldest undelivered change is older than this is falling behind */
  warnAfterMs: number;
}

/**
 * Logs a warning when a subscription falls behind, and again each
 * `warnAfterMs` while it stays behind; one line when it has caught up. Each
 * dispatcher warns on its own, so a deployment of several says it several
 * times: the metrics are what to alert on.
 */
export class BacklogWatch {
  /** subscriptions behind at the last check, and when each was last warned about */
  private readonly warned = new Map<string, number>();

  constructor(private readonly deps: BacklogWatchDeps) {}

  async check(now = Date.now()): Promise<void> {
    const { logger, warnAfterMs } = this.deps;
    const backlogs = await this.deps.repository.backlog();
    const active = new Set(backlogs.map((b) => b.subscriptionId));
    for (const id of this.warned.keys()) if (!active.has(id)) this.warned.delete(id);
    for (const b of backlogs) {
      const fields = {
        subscriptionId: b.subscriptionId,
        operatorId: b.operatorId,
        backlog: b.backlog,
        oldestUndeliveredSeconds: Math.round(b.oldestUndeliveredSeconds),
      };
      const last = this.warned.get(b.subscriptionId);
      if (b.oldestUndeliveredSeconds * 1000 < warnAfterMs) {
        if (last !== undefined) logger.info(fields, 'webhook subscription caught up');
        this.warned.delete(b.subscriptionId);
      } else if (last === undefined || now - last >= warnAfterMs) {
        this.warned.set(b.subscriptionId, now);
        logger.warn(fields, 'webhook subscription falling behind');
      }
    }
  }
}

/** Reads the backlogs at most once per scrape, however many gauges ask. */
function sharedRead(read: () => Promise<SubscriptionBacklog[]>, maxAgeMs = 1000): () => Promise<SubscriptionBacklog[]> {
  let last: { at: number; rows: Promise<SubscriptionBacklog[]> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > maxAgeMs) last = { at: Date.now(), rows: read() };
    return last.rows;
  };
}

/**
 * Each active subscription's backlog and the age of its oldest undelivered
 * change, read from PostgreSQL when Prometheus scrapes (so every instance
 * reports the same values: alert on the max by subscription). One series a
 * subscription, and an operator has at most maxSubscriptionsPerOperator.
 */
export function observeBacklog(registry: Registry, repository: Pick<WebhooksRepository, 'backlog'>): void {
  const read = sharedRead(() => repository.backlog());
  const gauge = (name: string, help: string, value: (b: SubscriptionBacklog) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['operator', 'subscription'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        try {
          for (const b of await read()) this.set({ operator: b.operatorId, subscription: b.subscriptionId }, value(b));
        } catch {
          // PostgreSQL unreachable: the readiness check says so; the scrape still answers.
        }
      },
    });
  gauge(
    'srs_webhook_backlog',
    'Webhook deliveries of each active subscription not yet delivered or given up (in the queue or waiting for a place in it)',
    (b) => b.backlog,
  );
  gauge(
    'srs_webhook_oldest_undelivered_seconds',
    'Age of each active subscription’s oldest undelivered change (0 when none is waiting)',
    (b) => b.oldestUndeliveredSeconds,
  );
}
