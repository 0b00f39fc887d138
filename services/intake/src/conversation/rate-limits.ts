import type { Config } from '@srs/config';
import type { RedisClient } from '@srs/queue';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export type ReporterVerdict = 'ok' | 'throttled_first' | 'throttled';
export interface ReporterLimits {
  perMinute: number;
  perDay: number;
}

/**
 * A subscriber over a limit is told once per window (`throttled_first`), then
 * dropped silently; their earlier messages were kept. The counts live with the
 * conversation in Redis (ConversationStore), shared by every intake instance.
 */
export function reporterVerdict(counts: { minute: number; day: number }, limits: ReporterLimits): ReporterVerdict {
  if (counts.minute > limits.perMinute) return counts.minute === limits.perMinute + 1 ? 'throttled_first' : 'throttled';
  if (counts.day > limits.perDay) return counts.day === limits.perDay + 1 ? 'throttled_first' : 'throttled';
  return 'ok';
}

/** A connection over its limit gets 429 and retries; the limit is in Redis, shared by every intake instance. */
export class ConnectionLimit {
  private readonly perSecond: RateLimiterRedis;

  constructor(redis: RedisClient, prefix: string, limits: Config['rateLimits']) {
    this.perSecond = new RateLimiterRedis({ storeClient: redis, useRedisPackage: false, keyPrefix: `${prefix}:rl:conn`, points: limits.connectionPerSecond, duration: 1 });
  }

  /** Seconds to wait when the connection is over its limit, undefined when it is not. */
  async wait(name: string): Promise<number | undefined> {
    try {
      await this.perSecond.consume(name);
      return undefined;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
  }
}
