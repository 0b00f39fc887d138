export * from './contracts';
export { createRedis, type RedisRole } from './connection';
export { ReportsQueue, OutboundSmsQueue, dedupId, type QueueSettings } from './producers';
export { observeQueues, observeWorkers } from './queue-metrics';
