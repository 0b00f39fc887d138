import type { Config } from '@srs/config';
import type { Registry } from '@srs/http';
import type { Logger } from '@srs/logging';
import { InboxWriter, type RedisClient } from '@srs/queue';
import { intakeMetrics } from '../intake-metrics';
import { ConnectionLimit } from './connection-limit';
import type { InboundDeps } from './handle-inbound';

/**
 * What every inbound path shares: the HTTP gateways and the SMPP bind hand
 * their messages to handleInbound with these, so one subscriber's messages
 * reach the same partition of the inbox whichever way they came.
 */
export function createInboundDeps(deps: { config: Config; logger: Logger; redis: RedisClient; metrics: Registry }): InboundDeps {
  const { config, logger, redis } = deps;
  const inbox = new InboxWriter(redis, config.redis.prefix, config.inbox.partitions, config.intake.dedupTtlSeconds);
  const connectionLimit = new ConnectionLimit(redis, config.redis.prefix, config.rateLimits);
  return { config, logger, redis, inbox, connectionLimit, metrics: intakeMetrics(deps.metrics) };
}
