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
  /** how often the dispatcher looks for new changes */
  pollMs: number;
  /** deliveries in flight at once, per process */
  concurrency: number;
  /** how long the previous secrets keep signing after a rotation, unless the rotation says otherwise */
  secretOverlapSeconds: number;
  maxSubscriptionsPerOperator: number;
  /** a recorded delivery whose job did not reach Redis is queued again after this long */
  requeueAfterMs: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  allowPrivateTargets: false,
  timeoutMs: 10_000,
  // 5 s doubling: the tenth attempt comes about 42 minutes after the first.
  attempts: 10,
  backoffMs: 5000,
  maxRetryAfterMs: 3600_000,
  pollMs: 1000,
  concurrency: 8,
  secretOverlapSeconds: 24 * 3600,
  maxSubscriptionsPerOperator: 20,
  requeueAfterMs: 30_000,
};
