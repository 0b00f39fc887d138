import { Cluster, Redis, type ClusterNode, type ClusterOptions, type RedisOptions } from 'ioredis';

export type RedisRole = 'producer' | 'worker' | 'client';

/** One Redis server or a Redis Cluster: both speak the same commands to the code above. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: a URL, or the seed nodes of a cluster (which win when given). */
export interface RedisTarget {
  url: string;
  clusterNodes?: readonly string[];
}

/**
 * Redis connections per bullmq's production guide: producers fail fast when
 * Redis is down (so the intake can answer 503 at once and the gateway retries),
 * workers wait and reconnect forever.
 */
export function createRedis(target: RedisTarget | string, role: RedisRole, extra: RedisOptions = {}): RedisClient {
  const { url, clusterNodes = [] } = typeof target === 'string' ? { url: target } : target;
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
  const options = { ...base, ...byRole[role], ...extra };
  const redis = clusterNodes.length > 0 ? createCluster(clusterNodes, options) : new Redis(url, options);
  // Connection errors surface through commands and readiness; an unhandled 'error' event would kill the process.
  redis.on('error', () => undefined);
  return redis;
}

function createCluster(seeds: readonly string[], options: RedisOptions): Cluster {
  const nodes = seeds.map(parseNode);
  const credentials = nodes.find((n) => n.password !== undefined);
  const { enableOfflineQueue, enableReadyCheck, enableAutoPipelining, retryStrategy, lazyConnect, ...perNode } = options;
  const clusterOptions: ClusterOptions = {
    lazyConnect,
    enableOfflineQueue,
    enableReadyCheck,
    enableAutoPipelining,
    clusterRetryStrategy: (attempt) => (retryStrategy ? retryStrategy(attempt) : Math.min(attempt * 200, 2000)),
    // A failover moves slots: wait for the new master briefly rather than failing the command.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    redisOptions: {
      ...perNode,
      ...(credentials ? { username: credentials.username, password: credentials.password } : {}),
    },
  };
  return new Cluster(
    nodes.map(({ host, port }): ClusterNode => ({ host, port })),
    clusterOptions,
  );
}

interface ParsedNode {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

function parseNode(node: string): ParsedNode {
  const url = new URL(/^rediss?:\/\//.test(node) ? node : `redis://${node}`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const parsed: ParsedNode = { host, port: Number(url.port || 6379) };
  if (url.password)
    return { ...parsed, username: decodeURIComponent(url.username) || undefined, password: decodeURIComponent(url.password) };
  return parsed;
}

/**
 * The BullMQ prefix of one queue. Its hash tag puts every key of the queue in
 * one Redis Cluster slot, as BullMQ's Lua scripts need, while different queues
 * still spread over the masters. On a single Redis it only names the keys.
 */
export function queuePrefix(base: string, queue: string): string {
  return `${base}:{${queue}}`;
}

/** The servers to ask about themselves (CONFIG, SCAN): every master of a cluster, or the one server. */
export function redisServers(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}
