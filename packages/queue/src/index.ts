export * from './contracts';
export { createRedis, queuePrefix, redisServers, type RedisClient, type RedisRole, type RedisTarget } from './connection';
export { ReportsQueue, OutboundSmsQueue, dedupId, queueOptions, replyId, REPLY_DEDUP_SECONDS, type QueueSettings } from './producers';
export { REPLY_ANSWER_WAIT_MS, SentReplies } from './sent-replies';
export { WebhookDeliveryQueue, type DeliveryRef } from './webhook-delivery-queue';
export { SmppSubmitQueue } from './smpp-submit-queue';
export { observeQueues, observeWorkers } from './queue-metrics';
