import type { Logger } from '@srs/logging';
import { redisServers, type RedisClient } from '@srs/queue';

/**
 * The intake acknowledges a gateway once Redis holds the job; that is durable
 * only if Redis persists every write (AOF with appendfsync always) and never
 * evicts keys. Say so loudly when it does not, for every master of a cluster.
 */
export async function warnIfRedisIsNotDurable(redis: RedisClient, logger: Logger): Promise<void> {
  for (const server of redisServers(redis)) {
    try {
      const [, aof] = (await server.config('GET', 'appendonly')) as [string, string];
      const [, fsync] = (await server.config('GET', 'appendfsync')) as [string, string];
      const [, policy] = (await server.config('GET', 'maxmemory-policy')) as [string, string];
      if (aof !== 'yes' || fsync !== 'always' || policy !== 'noeviction') {
        logger.warn(
          { server: `${server.options.host}:${server.options.port}`, appendonly: aof, appendfsync: fsync, maxmemoryPolicy: policy },
          'Redis is not configured for durable queues (want appendonly yes, appendfsync always, maxmemory-policy noeviction)',
        );
      }
    } catch {
      // CONFIG may be disabled on managed Redis; nothing to check then.
    }
  }
}
