/**
 * A failed attempt to retry. `delayMs` is the receiver's own `Retry-After`,
 * when it gave one; otherwise the exponential backoff applies.
 */
export class RetryDeliveryError extends Error {
  constructor(
    message: string,
    readonly delayMs?: number,
  ) {
    super(message);
    this.name = 'RetryDeliveryError';
  }
}

/** `Retry-After` in seconds or as an HTTP date (RFC 9110 §10.2.3), in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * The delay before retry `attempt` (1 for the first retry): the base doubled
 * each time, plus up to a quarter more at random so that deliveries failed by
 * one outage do not all come back at the same instant. Never below the base
 * doubling, so a receiver can count on the schedule as a minimum.
 */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(exponential * (1 + random() / 4));
}

/** The BullMQ backoff strategy of the delivery queue: the receiver's `Retry-After` (capped) when it gave one, else exponential. */
export function deliveryBackoff(options: { backoffMs: number; maxRetryAfterMs: number }) {
  return (attemptsMade: number, _type?: string, err?: Error): number => {
    if (err instanceof RetryDeliveryError && err.delayMs !== undefined) return Math.min(Math.max(err.delayMs, 0), options.maxRetryAfterMs);
    return backoffDelay(attemptsMade, options.backoffMs);
  };
}
