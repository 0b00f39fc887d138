import type { Config } from '@srs/config';
import type { Registry } from '@srs/http';
import type { Logger } from '@srs/logging';
import type { RedisClient, ReportsQueue } from '@srs/queue';
import { intakeMetrics } from '../intake-metrics';
import { ConversationStore } from './conversation-store';
import type { InboundDeps } from './handle-inbound';
import { ConnectionLimit } from './rate-limits';

/**
 * What every inbound path shares: the HTTP gateways and the SMPP bind hand
 * their messages to handleInbound with these, so one subscriber's messages
 * meet the same state, limits and queue whichever way they came.
 */
export function createInboundDeps(deps: {
  config: Config;
  logger: Logger;
  redis: RedisClient;
  /** conversation state, dedup markers and rate limits; `redis` when not given */
  stateRedis?: RedisClient;
  reportsQueue: ReportsQueue;
  metrics: Registry;
}): InboundDeps {
  const { config, logger, redis, reportsQueue } = deps;
  const stateRedis = deps.stateRedis ?? redis;
  const store = new ConversationStore(
    stateRedis,
    config.redis.prefix,
    Math.max(2 * config.conversation.senderWindowMs, 86_400_000),
    config.intake.dedupTtlSeconds,
    {
      perMinute: config.rateLimits.reporterPerMinute,
      perDay: config.rateLimits.reporterPerDay,
    },
  );
  const connectionLimit = new ConnectionLimit(stateRedis, config.redis.prefix, config.rateLimits);
  return { config, logger, redis, queue: reportsQueue, store, connectionLimit, metrics: intakeMetrics(deps.metrics) };
}
