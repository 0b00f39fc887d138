import type { ApiKeysRepository } from '@srs/db';
import { AppError, keyRateLimit, keyUsage, requireApiKey } from '@srs/http';
import type { Logger } from '@srs/logging';
import type { RequestHandler } from 'express';
import type { RedisClient } from '@srs/queue';

export interface RegulatorAuthOptions {
  keys: ApiKeysRepository;
  redis: RedisClient;
  prefix: string;
  perMinute: number;
  logger: Logger;
}

/**
 * A regulator's key with the `stats` scope, then that key's rate limit.
 * Operator keys are refused: the statistics are the regulator's view, and
 * operators have the sharing API.
 */
export function regulatorAuth(options: RegulatorAuthOptions): RequestHandler[] {
  const onlyRegulators: RequestHandler = (req, _res, next) => {
    if (!req.apiKey?.regulatorId)
      throw new AppError(403, 'not_a_regulator', 'statistics are for regulator keys (srs regulators create)', 'authorization');
    next();
  };
  return [
    requireApiKey(
      (prefix) => options.keys.findActiveByPrefix(prefix),
      'stats',
      keyUsage((id) => options.keys.markUsed(id)),
    ),
    onlyRegulators,
    keyRateLimit({
      redis: options.redis,
      keyPrefix: `${options.prefix}:rl:stats-key`,
      perMinute: options.perMinute,
      logger: options.logger,
    }),
  ];
}
