/** How webhooks behave; each has an environment variable in the deployment (see the README table). */
export interface WebhookOptions {
  /** deliver to loopback, private, link-local and other non-public addresses (development and tests only) */
  allowPrivateTargets: boolean;
  /** one attempt, from connecting to the last byte of the answer */
  timeoutMs: number;
  /** attempts per delivery before it is given up as failed */
  attempts: number;
  /** the first retry's delay; each later one doubles it */
  backoffMs: number;
  /** the longest `Retry-After` honoured; a longer one is cut to this */
  maxRetryAfterMs: number;
  /** how often the dispatcher looks for new changes when no notification woke it (the fallback while notifications are lost) */
  pollMs: number;
  /** deliveries in flight at once, per process */
  concurrency: number;
  /** deliveries of one subscription in the queue at once (queued, running or waiting to retry), across every process */
  subscriptionInFlight: number;
  /** deliveries of one operator in the queue at once, across every process: all a slow receiver can hold up */
  operatorInFlight: number;
  /** a subscription whose oldest undelivered change is older than this is logged as falling behind */
  backlogWarnAfterMs: number;
  /** how long the previous secrets keep signing after a rotation, unless the rotation says otherwise */
  secretOverlapSeconds: number;
  maxSubscriptionsPerOperator: number;
  /** how often deliveries counted in the queue are checked against it (one whose job was lost is queued again) and backlogs are checked */
  requeueAfterMs: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  allowPrivateTargets: false,
  timeoutMs: 10_000,
  // 5 s doubling: the tenth attempt comes about 42 minutes after the first.
  attempts: 10,
  backoffMs: 5000,
  maxRetryAfterMs: 3600_000,
  pollMs: 5000,
  concurrency: 8,
  // A slow operator holds at most 4 of the deployment's workers (8 a process, 2 processes in infra/k8s).
  subscriptionInFlight: 2,
  operatorInFlight: 4,
  backlogWarnAfterMs: 300_000,
  secretOverlapSeconds: 24 * 3600,
  maxSubscriptionsPerOperator: 20,
  requeueAfterMs: 30_000,
};
