import { Redis, type Cluster } from 'ioredis';

/** Deletes every key under `prefix` (a test file's own QUEUE_PREFIX): its inbox, queues, markers and limits. */
export async function deleteRedisPrefix(redis: Redis | Cluster, prefix: string): Promise<void> {
  const servers = 'nodes' in redis && typeof redis.nodes === 'function' ? (redis as Cluster).nodes('master') : [redis as Redis];
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      // One key at a time: on a cluster the keys of one scan are in many slots.
      for (const key of keys) await server.del(key);
    } while (cursor !== '0');
  }
}

/**
 * Deletes every key under `prefix` on the Redis at `url` through a connection
 * of its own: for tests whose services run as processes, so the test itself
 * holds no connection to clean up with.
 */
export async function deleteRedisPrefixAt(prefix: string, url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await deleteRedisPrefix(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/**
 * The messages the intake recorded and no worker has decided yet, over every
 * partition of the inbox, oldest first within each: what a test without a
 * worker checks the intake by.
 */
export async function readInbox(redis: Redis | Cluster, prefix: string, partitions = 16): Promise<Array<Record<string, unknown>>> {
  const entries: Array<Record<string, unknown>> = [];
  for (let p = 0; p < partitions; p++) {
    const records = await redis.xrange(`${prefix}:{inbox-${p}}:stream`, '-', '+');
    for (const [, fields] of records) {
      const at = fields.indexOf('e');
      if (at >= 0) entries.push(JSON.parse(fields[at + 1]!) as Record<string, unknown>);
    }
  }
  return entries;
}
