import { apiKeyMatches, apiKeyPrefix } from '@srs/core';
import { AppError, type StoredApiKey } from '@srs/http';
import type { Request, RequestHandler } from 'express';

export type ApiKeyLookup = (prefix: string) => Promise<StoredApiKey | undefined>;

const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="taxii", charset="UTF-8", Bearer realm="taxii"' };

function unauthorized(message: string): AppError {
  return new AppError(401, 'unauthorized', message, 'authorization', CHALLENGE);
}

/** A failed authentication, counted against the client's address like the rest of the API's (see authFailureLimit). */
async function failed(req: Request, message: string): Promise<AppError> {
  await req.authFailures?.fail(req);
  return unauthorized(message);
}

/**
 * TAXII clients mostly speak HTTP Basic: the API key is the password (the user
 * name is ignored, so any client can be configured); a key alone in the user
 * name works too. Bearer works as on the rest of the API.
 */
function presentedKey(req: Request): string | undefined {
  const header = req.header('authorization') ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (bearer) return bearer;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header)?.[1];
  if (!basic) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  return password || user || undefined;
}

/** Operators' keys only: regulators read aggregates elsewhere, never intelligence. */
export function taxiiAuth(lookup: ApiKeyLookup, used?: (keyId: string) => void): RequestHandler {
  return async (req, _res, next) => {
    await req.authFailures?.check(req);
    const key = presentedKey(req);
    const prefix = key ? apiKeyPrefix(key) : undefined;
    if (!key || !prefix) throw await failed(req, 'send an operator API key as the HTTP Basic password, or as Authorization: Bearer <key>');
    const row = await lookup(prefix);
    if (!row || !row.operatorId || !apiKeyMatches(key, row.hash))
      throw await failed(req, 'the API key is unknown, revoked, expired or not an operator key');
    req.apiKey = row;
    used?.(row.id);
    next();
  };
}

/** Any one of the scopes will do. */
export function requireScope(...scopes: string[]): RequestHandler {
  return (req, _res, next) => {
    if (!scopes.some((scope) => req.apiKey?.scopes.includes(scope))) {
      throw new AppError(403, 'insufficient_scope', `this API key lacks the ${scopes.join(' or ')} scope`, 'authorization');
    }
    next();
  };
}

/** The operator the authenticated key belongs to. */
export function viewerOf(req: Request): string {
  const operatorId = req.apiKey?.operatorId;
  if (!operatorId) throw unauthorized('no operator API key on this request');
  return operatorId;
}
