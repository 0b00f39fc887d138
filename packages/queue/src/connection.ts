import { Redis, type RedisOptions } from 'ioredis';

export type RedisRole = 'producer' | 'worker' | 'client';

/**
 * Redis connections per bullmq's production guide: producers fail fast when
 * Redis is down (so the intake can answer 503 at once and the gateway retries),
 * workers wait and reconnect forever.
 */
export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const base: RedisOptions = {
    lazyConnect: false,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
  const byRole: Record<RedisRole, RedisOptions> = {
    producer: { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 3000 },
    worker: { maxRetriesPerRequest: null, enableReadyCheck: false },
    client: { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 3000 },
  };
  const redis = new Redis(url, { ...base, ...byRole[role], ...extra });
  // Connection errors surface through commands and readiness; an unhandled 'error' event would kill the process.
  redis.on('error', () => undefined);
  return redis;
}
