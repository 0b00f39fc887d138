import { createHash } from 'node:crypto';
import { TLP_LEVELS } from '@srs/core';
import type { RpzRepository } from '@srs/db';
import { AppError, type KeyRateLimit, type StoredApiKey } from '@srs/http';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { renderZoneFile } from './zone-file';
import { asciiHost, zoneNames } from './zone-names';
import { ZoneTokens } from './zone-token';

export const zoneQuery = z.object({
  token: z.string().max(200).optional(),
  zone: z
    .string()
    .max(200)
    .default('rpz.srs.invalid')
    .transform((v, ctx) => asciiHost(v) ?? (ctx.addIssue({ code: 'custom', message: 'not a DNS zone name' }), z.NEVER)),
  max_tlp: z.enum(TLP_LEVELS).default('red'),
  walled_garden: z
    .string()
    .max(100)
    .transform((v) => v.split(','))
    .pipe(
      z
        .array(z.union([z.ipv4(), z.ipv6()]))
        .max(2)
        .refine((a) => new Set(a.map((x) => x.includes(':'))).size === a.length, 'at most one IPv4 and one IPv6 address'),
    )
    .optional(),
  refresh: z.coerce.number().int().min(1).max(86_400).default(300),
});

export interface RpzRouteOptions {
  zones: RpzRepository;
  /** SHARING_ID_KEY: the zone tokens are derived under it */
  idKey: string;
  /** Bearer authentication with the read scope, and its rate limit */
  bearer: RequestHandler[];
  /** an operator's live key by its prefix */
  lookup: (prefix: string) => Promise<StoredApiKey | undefined>;
  /** told each key verified by its zone token: stamps its last use */
  used?: (keyId: string) => void;
  limit: KeyRateLimit;
}

/** How long a resolver keeps a zone it can no longer fetch, and its records' TTL. */
const EXPIRE_SECONDS = 86_400;
const TTL_SECONDS = 60;

/**
 * GET /v1/rpz/zone: the DNS firewall feed, the shared domains and URL hosts
 * the key's operator sees, as a Response Policy Zone for its resolvers.
 * GET /v1/rpz/token: the token that opens it from a URL alone.
 */
export function rpzRoutes(options: RpzRouteOptions): Router {
  const router = Router();
  const tokens = new ZoneTokens(options.idKey);

  // Only this route takes a token from the query; everything else stays Bearer only.
  const byToken: RequestHandler = async (req, res, next) => {
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (token === undefined) return next('route');
    await req.authFailures?.check(req);
    const prefix = tokens.prefixOf(token);
    const key = prefix ? await options.lookup(prefix) : undefined;
    if (!key || !tokens.matches(token, key)) {
      await req.authFailures?.fail(req);
      throw new AppError(401, 'unauthorized', 'the zone token is unknown, or its key revoked or expired', 'token');
    }
    req.apiKey = key;
    options.used?.(key.id);
    if (!key.scopes.includes('read')) throw new AppError(403, 'insufficient_scope', 'this API key lacks the read scope', 'token');
    next();
  };

  const serveZone: RequestHandler = async (req, res) => {
    const q = zoneQuery.parse(req.query);
    const viewer = req.apiKey!.operatorId!;
    const { serial, names } = await options.zones.zone(viewer, q.max_tlp, zoneNames);
    const variant = createHash('sha256')
      .update(JSON.stringify([viewer, q.zone, q.max_tlp, q.walled_garden ?? [], q.refresh]))
      .digest('base64url')
      .slice(0, 12);
    const etag = `"${serial}-${variant}"`;
    res.set({ ETag: etag, 'Cache-Control': 'private, no-cache', Vary: 'Authorization' });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.type('text/dns').send(
      renderZoneFile({
        origin: q.zone,
        serial,
        names,
        timers: { refresh: q.refresh, retry: Math.min(q.refresh, 60), expire: EXPIRE_SECONDS, ttl: TTL_SECONDS },
        ...(q.walled_garden ? { walledGarden: q.walled_garden } : {}),
      }),
    );
  };
  router.get('/v1/rpz/zone', byToken, options.limit, serveZone);
  router.get('/v1/rpz/zone', ...options.bearer, serveZone);

  router.get('/v1/rpz/token', ...options.bearer, (req, res) => {
    const token = tokens.issue(req.apiKey!);
    res.json({ token, path: `/v1/rpz/zone?token=${token}` });
  });
  return router;
}
