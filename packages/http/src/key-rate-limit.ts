import type { RequestHandler, Response } from 'express';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from './app-error';

export interface KeyRateLimitOptions {
  redis: Redis | Cluster;
  /** Redis key prefix of this limit, e.g. `srs:rl:sharing-key` */
  keyPrefix: string;
  perMinute: number;
  logger: Logger;
}

/**
 * A per-API-key request limit shared by every instance through Redis; runs
 * after authentication. Answers carry the limit in `RateLimit-*` headers;
 * over it, 429 with `Retry-After`. When Redis is unreachable it serves
 * without the limit (and says so in the log once a minute): the limit
 * protects the service, refusing everyone would not.
 */
export function keyRateLimit(options: KeyRateLimitOptions): RequestHandler {
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    useRedisPackage: false,
    keyPrefix: options.keyPrefix,
    points: options.perMinute,
    duration: 60,
  });
  let lastWarning = 0;
  return async (req, res, next) => {
    try {
      setHeaders(res, await limiter.consume(req.apiKey!.id), options.perMinute);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        setHeaders(res, err, options.perMinute);
        const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        throw new AppError(429, 'rate_limited', `this key made more than ${options.perMinute} requests a minute; retry in ${seconds} s`, undefined, {
          'Retry-After': String(seconds),
        });
      }
      if (Date.now() - lastWarning > 60_000) {
        lastWarning = Date.now();
        options.logger.warn({ err }, 'rate limit unavailable; serving without it');
      }
    }
    next();
  };
}

function setHeaders(res: Response, state: RateLimiterRes, limit: number): void {
  res.set('RateLimit-Limit', String(limit));
  res.set('RateLimit-Remaining', String(Math.max(0, state.remainingPoints)));
  res.set('RateLimit-Reset', String(Math.max(0, Math.ceil(state.msBeforeNext / 1000))));
  res.set('RateLimit-Policy', `${limit};w=60`);
}
