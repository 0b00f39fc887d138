import type { Logger } from '@srs/logging';
import type { Redis } from 'ioredis';

/**
 * The intake acknowledges a gateway once Redis holds the job; that is durable
 * only if Redis persists every write (AOF with appendfsync always) and never
 * evicts keys. Say so loudly when it does not.
 */
export async function warnIfRedisIsNotDurable(redis: Redis, logger: Logger): Promise<void> {
  try {
    const [, aof] = (await redis.config('GET', 'appendonly')) as [string, string];
    const [, fsync] = (await redis.config('GET', 'appendfsync')) as [string, string];
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    if (aof !== 'yes' || fsync !== 'always' || policy !== 'noeviction') {
      logger.warn(
        { appendonly: aof, appendfsync: fsync, maxmemoryPolicy: policy },
        'Redis is not configured for durable queues (want appendonly yes, appendfsync always, maxmemory-policy noeviction)',
      );
    }
  } catch {
    // CONFIG may be disabled on managed Redis; nothing to check then.
  }
}
