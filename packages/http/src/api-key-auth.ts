import { apiKeyMatches, apiKeyPrefix } from '@srs/core';
import type { RequestHandler } from 'express';
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
export function requireApiKey(findActiveByPrefix: (prefix: string) => Promise<StoredApiKey | undefined>, scope: string): RequestHandler {
  return async (req, _res, next) => {
    const header = req.header('authorization') ?? '';
    const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const prefix = key ? apiKeyPrefix(key) : undefined;
    if (!key || !prefix) throw unauthorized('send an API key as Authorization: Bearer <key>');
    const row = await findActiveByPrefix(prefix);
    if (!row || !apiKeyMatches(key, row.hash)) throw unauthorized('the API key is unknown, revoked or expired');
    // Known before the scope check, so an attempt beyond the key's scope is audited under its key.
    req.apiKey = row;
    if (!row.scopes.includes(scope)) throw new AppError(403, 'insufficient_scope', `this API key lacks the ${scope} scope`, 'authorization');
    next();
  };
}

function unauthorized(message: string): AppError {
  return new AppError(401, 'unauthorized', message, 'authorization', { 'WWW-Authenticate': 'Bearer' });
}
