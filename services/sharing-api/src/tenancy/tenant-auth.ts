import type { ApiKeysRepository } from '@srs/db';
import { AppError, requireApiKey } from '@srs/http';
import type { Logger } from '@srs/logging';
import type { RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface TenantAuthOptions {
  keys: ApiKeysRepository;
  redis: Redis;
  prefix: string;
  perMinute: number;
  logger: Logger;
}

export type Scope = 'read' | 'publish' | 'feedback' | 'admin';

/**
 * An operator's API key with the scope a route needs, then that key's rate
 * limit, shared by every instance through Redis. Answers carry the limit in
 * `RateLimit-*` headers; over it, 429 with `Retry-After`. Regulator keys are
 * not tenants here.
 */
export interface TenantAuth {
  (scope: Scope): RequestHandler[];
  /** the per-key rate limit alone, for routes that authenticate in their own way (TAXII) */
  limit: RequestHandler;
  /** an operator's live key by its prefix */
  lookup: (prefix: string) => ReturnType<ApiKeysRepository['findActiveByPrefix']>;
}

export function tenantAuth(options: TenantAuthOptions): TenantAuth {
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    useRedisPackage: false,
    keyPrefix: `${options.prefix}:rl:sharing-key`,
    points: options.perMinute,
    duration: 60,
  });
  const lookup = async (prefix: string) => {
    const key = await options.keys.findActiveByPrefix(prefix);
    return key?.operatorId ? key : undefined;
  };
  let lastWarning = 0;
  const limit: RequestHandler = async (req, res, next) => {
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
      // Redis unreachable: serve rather than refuse; the limit protects, the feed matters more.
      if (Date.now() - lastWarning > 60_000) {
        lastWarning = Date.now();
        options.logger.warn({ err }, 'rate limit unavailable; serving without it');
      }
    }
    next();
  };
  return Object.assign((scope: Scope) => [requireApiKey(lookup, scope), limit], { limit, lookup });
}

function setHeaders(res: Response, state: RateLimiterRes, limit: number): void {
  res.set('RateLimit-Limit', String(limit));
  res.set('RateLimit-Remaining', String(Math.max(0, state.remainingPoints)));
  res.set('RateLimit-Reset', String(Math.max(0, Math.ceil(state.msBeforeNext / 1000))));
  res.set('RateLimit-Policy', `${limit};w=60`);
}
