import type { ApiKeysRepository } from '@srs/db';
import { keyRateLimit, keyUsage, requireApiKey, type KeyRateLimit } from '@srs/http';
import type { Logger } from '@srs/logging';
import type { RequestHandler } from 'express';
import type { RedisClient } from '@srs/queue';

export interface TenantAuthOptions {
  keys: ApiKeysRepository;
  redis: RedisClient;
  prefix: string;
  perMinute: number;
  logger: Logger;
}

/** What an operator's key may do here; `report` and `attest` are the intake's, `stats` the regulators'. */
export const SHARING_SCOPES = ['read', 'publish', 'feedback', 'admin'] as const;
export type Scope = (typeof SHARING_SCOPES)[number];

/**
 * An operator's API key with the scope a route needs, then that key's rate
 * limit, shared by every instance through Redis. Regulator keys are not
 * tenants here.
 */
export interface TenantAuth {
  (scope: Scope): RequestHandler[];
  /** the per-key rate limit alone, for routes that authenticate in their own way (TAXII); `charge` spends more of it */
  limit: KeyRateLimit;
  /** an operator's live key by its prefix */
  lookup: (prefix: string) => ReturnType<ApiKeysRepository['findActiveByPrefix']>;
  /** to be told each key verified by routes that verify keys themselves (TAXII, the zone token): stamps its last use */
  used: (keyId: string) => void;
}

export function tenantAuth(options: TenantAuthOptions): TenantAuth {
  const limit = keyRateLimit({
    redis: options.redis,
    keyPrefix: `${options.prefix}:rl:sharing-key`,
    perMinute: options.perMinute,
    logger: options.logger,
  });
  const lookup = async (prefix: string) => {
    const key = await options.keys.findActiveByPrefix(prefix);
    return key?.operatorId ? key : undefined;
  };
  const used = keyUsage((id) => options.keys.markUsed(id));
  return Object.assign((scope: Scope) => [requireApiKey(lookup, scope, used), limit], { limit, lookup, used });
}
