import type { Request } from 'express';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from './app-error';

/** Failed authentications one client address may make a minute when a service configures none. */
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 20;

export interface AuthFailureLimitOptions {
  perMinute: number;
  /** shared by every instance (and every service using the same prefix); without it, counted per process */
  redis?: Redis | Cluster;
  /** Redis key prefix, e.g. `srs:rl:auth-failures` */
  keyPrefix?: string;
  logger?: Logger;
}

/**
 * Failed API-key authentications (unknown, revoked or missing keys) by client
 * address. Once it failed `perMinute` times in a minute the address is refused with
 * 429 before its key is even looked at: otherwise a guess that hit would still
 * be told apart from the 429s, and the limit would stop nothing. Like the
 * per-key limit, it serves without limiting when Redis is unreachable.
 */
export interface AuthFailureLimit {
  /** throws 429 with Retry-After when the request's address is over the limit */
  check(req: Request): Promise<void>;
  /** counts a failed authentication of the request's address */
  fail(req: Request): Promise<void>;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** set by createServiceApp: the failed-authentication limit the API-key checks apply */
    authFailures?: AuthFailureLimit;
  }
}

export function authFailureLimit(options: AuthFailureLimitOptions): AuthFailureLimit {
  const common = { keyPrefix: options.keyPrefix ?? 'srs:rl:auth-failures', points: options.perMinute, duration: 60 };
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({ ...common, storeClient: options.redis, useRedisPackage: false })
    : new RateLimiterMemory(common);
  let lastWarning = 0;
  const unavailable = (err: unknown) => {
    if (Date.now() - lastWarning > 60_000) {
      lastWarning = Date.now();
      options.logger?.warn({ err }, 'failed-authentication limit unavailable; serving without it');
    }
  };
  const address = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';
  return {
    async check(req) {
      let state;
      try {
        state = await limiter.get(address(req));
      } catch (err) {
        return unavailable(err);
      }
      if (state && state.consumedPoints >= options.perMinute) {
        const seconds = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
        throw new AppError(
          429,
          'too_many_failed_authentications',
          `this address failed to authenticate ${options.perMinute} times within a minute (the limit); retry in ${seconds} s`,
          'authorization',
          { 'Retry-After': String(seconds) },
        );
      }
    },
    async fail(req) {
      // consume rejects once over the limit; the count still grows, which is all check needs.
      await limiter.consume(address(req)).catch((err: unknown) => (err instanceof Error ? unavailable(err) : undefined));
    },
  };
}
