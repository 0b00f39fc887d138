import { apiKeyMatches, apiKeyPrefix } from '@srs/core';
import type { Request, RequestHandler } from 'express';
import './auth-failure-limit';
import { AppError } from './app-error';

/** What the authentication needs of a stored key; the services look it up in their database. */
export interface StoredApiKey {
  id: string;
  prefix: string;
  hash: string;
  scopes: readonly string[];
  operatorId: string | null;
  regulatorId: string | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    apiKey?: StoredApiKey;
  }
}

/**
 * `Authorization: Bearer srs_…` with the given scope. The key's operator (or
 * regulator) is the tenant of the request; the hash is compared in constant time.
 */
export function requireApiKey(
  findActiveByPrefix: (prefix: string) => Promise<StoredApiKey | undefined>,
  scope: string,
  /** told the id of each key verified (see keyUsage) */
  used?: (keyId: string) => void,
): RequestHandler {
  return async (req, _res, next) => {
    await req.authFailures?.check(req);
    const header = req.header('authorization') ?? '';
    const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const prefix = key ? apiKeyPrefix(key) : undefined;
    if (!key || !prefix) throw await failed(req, 'send an API key as Authorization: Bearer <key>');
    const row = await findActiveByPrefix(prefix);
    if (!row || !apiKeyMatches(key, row.hash)) throw await failed(req, 'the API key is unknown, revoked or expired');
    // Known before the scope check, so an attempt beyond the key's scope is audited under its key.
    req.apiKey = row;
    used?.(row.id);
    if (!row.scopes.includes(scope))
      throw new AppError(403, 'insufficient_scope', `this API key lacks the ${scope} scope`, 'authorization');
    next();
  };
}

/** A failed authentication: counted against the client's address (see authFailureLimit), then answered 401. */
async function failed(req: Request, message: string): Promise<AppError> {
  await req.authFailures?.fail(req);
  return new AppError(401, 'unauthorized', message, 'authorization', { 'WWW-Authenticate': 'Bearer' });
}
