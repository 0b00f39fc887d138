import { apiKeyMatches, apiKeyPrefix } from '@srs/core';
import type { ApiKeyRow, ApiKeysRepository, ApiScope } from '@srs/db';
import { AppError } from '@srs/http';
import type { RequestHandler } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    apiKey?: ApiKeyRow;
  }
}

/** `Authorization: Bearer srs_…` with the given scope; the key's operator is the tenant of the request. */
export function requireApiKey(keys: ApiKeysRepository, scope: ApiScope): RequestHandler {
  return async (req, _res, next) => {
    const header = req.header('authorization') ?? '';
    const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const prefix = key ? apiKeyPrefix(key) : undefined;
    if (!key || !prefix) throw unauthorized('send an API key as Authorization: Bearer <key>');
    const row = await keys.findActiveByPrefix(prefix);
    if (!row || !apiKeyMatches(key, row.hash)) throw unauthorized('the API key is unknown, revoked or expired');
    if (!row.scopes.includes(scope)) throw new AppError(403, 'insufficient_scope', `this API key lacks the ${scope} scope`, 'authorization');
    req.apiKey = row;
    next();
  };
}

function unauthorized(message: string): AppError {
  return new AppError(401, 'unauthorized', message, 'authorization', { 'WWW-Authenticate': 'Bearer' });
}
