import type { Request, RequestHandler, Response } from 'express';
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
export interface KeyRateLimit extends RequestHandler {
  /**
   * Spends `points` more of the request's key budget, for requests whose cost
   * grows with their content (a TAXII envelope: one unit per object); over
   * the budget, the same 429 as the limit itself.
   */
  charge(req: Request, points: number): Promise<void>;
}

export function keyRateLimit(options: KeyRateLimitOptions): KeyRateLimit {
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    useRedisPackage: false,
    keyPrefix: options.keyPrefix,
    points: options.perMinute,
    duration: 60,
  });
  let lastWarning = 0;
  async function consume(req: Request, res: Response, points: number): Promise<void> {
    try {
      setHeaders(res, await limiter.consume(req.apiKey!.id, points), options.perMinute);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        setHeaders(res, err, options.perMinute);
        const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        throw new AppError(
          429,
          'rate_limited',
          `this key spent more than its ${options.perMinute} units a minute (a request, or an object of a TAXII envelope, is one); retry in ${seconds} s`,
          undefined,
          {
            'Retry-After': String(seconds),
          },
        );
      }
      if (Date.now() - lastWarning > 60_000) {
        lastWarning = Date.now();
        options.logger.warn({ err }, 'rate limit unavailable; serving without it');
      }
    }
  }
  const handler: RequestHandler = async (req, res, next) => {
    await consume(req, res, 1);
    next();
  };
  return Object.assign(handler, {
    charge: (req: Request, points: number) => (points > 0 ? consume(req, req.res!, points) : Promise.resolve()),
  });
}

function setHeaders(res: Response, state: RateLimiterRes, limit: number): void {
  res.set('RateLimit-Limit', String(limit));
  res.set('RateLimit-Remaining', String(Math.max(0, state.remainingPoints)));
  res.set('RateLimit-Reset', String(Math.max(0, Math.ceil(state.msBeforeNext / 1000))));
  res.set('RateLimit-Policy', `${limit};w=60`);
}
