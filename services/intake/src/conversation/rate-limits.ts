import type { Config } from '@srs/config';
import type { RedisClient } from '@srs/queue';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export type ReporterVerdict = 'ok' | 'throttled_first' | 'throttled';

/**
 * Limits in Redis, shared by every intake instance. A subscriber over the limit
 * is told once per window (`throttled_first`), then dropped silently; their
 * earlier messages were kept. A connection over its limit gets 429 and retries.
 */
export class RateLimits {
  private readonly perMinute: RateLimiterRedis;
  private readonly perDay: RateLimiterRedis;
  private readonly perConnection: RateLimiterRedis;

  constructor(redis: RedisClient, prefix: string, limits: Config['rateLimits']) {
    const common = { storeClient: redis, useRedisPackage: false };
    this.perMinute = new RateLimiterRedis({ ...common, keyPrefix: `${prefix}:rl:reporter-min`, points: limits.reporterPerMinute, duration: 60 });
    this.perDay = new RateLimiterRedis({ ...common, keyPrefix: `${prefix}:rl:reporter-day`, points: limits.reporterPerDay, duration: 86_400 });
    this.perConnection = new RateLimiterRedis({ ...common, keyPrefix: `${prefix}:rl:conn`, points: limits.connectionPerSecond, duration: 1 });
  }

  async reporter(pseudonym: string): Promise<ReporterVerdict> {
    for (const [limiter, points] of [
      [this.perMinute, this.perMinute.points],
      [this.perDay, this.perDay.points],
    ] as const) {
      const verdict = await consume(limiter, pseudonym);
      if (verdict !== undefined) return verdict.consumedPoints === points + 1 ? 'throttled_first' : 'throttled';
    }
    return 'ok';
  }

  /** Seconds to wait when the connection is over its limit, undefined when it is not. */
  async connection(name: string): Promise<number | undefined> {
    const verdict = await consume(this.perConnection, name);
    return verdict ? Math.max(1, Math.ceil(verdict.msBeforeNext / 1000)) : undefined;
  }
}

async function consume(limiter: RateLimiterRedis, key: string): Promise<RateLimiterRes | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return rejection;
    throw rejection;
  }
}
