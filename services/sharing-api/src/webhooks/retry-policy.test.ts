import { backoffDelay, deliveryBackoff, parseRetryAfter, RetryDeliveryError } from './retry-policy';

describe('webhook retry policy', () => {
  it('reads Retry-After in seconds or as an HTTP date, and ignores anything else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('doubles the delay with each retry, adding at most a quarter of jitter', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 1000, () => 0))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(3, 1000, () => 0.999)).toBeLessThanOrEqual(5000);
  });

  it('honours the receiver’s Retry-After over the backoff, up to the configured cap', () => {
    const strategy = deliveryBackoff({ backoffMs: 100, maxRetryAfterMs: 60_000 });
    expect(strategy(1, 'webhook', new RetryDeliveryError('429', 5000))).toBe(5000);
    expect(strategy(1, 'webhook', new RetryDeliveryError('429', 3_600_000))).toBe(60_000);
    expect(strategy(3, 'webhook', new RetryDeliveryError('500'))).toBeGreaterThanOrEqual(400);
    expect(strategy(3, 'webhook', new Error('network'))).toBeLessThanOrEqual(500);
  });
});
