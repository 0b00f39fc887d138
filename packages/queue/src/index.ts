export * from './contracts';
export { createRedis, queuePrefix, redisServers, type RedisClient, type RedisRole, type RedisTarget } from './connection';
export { ReportsQueue, OutboundSmsQueue, dedupId, queueOptions, type QueueSettings } from './producers';
export { observeQueues, observeWorkers } from './queue-metrics';
