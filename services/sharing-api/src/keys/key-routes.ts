import type { ApiKeysRepository } from '@srs/db';
import { AppError, jsonBody } from '@srs/http';
import type { Logger } from '@srs/logging';
import { Router, type Request, type RequestHandler } from 'express';
import { keyJson } from './key-json';
import { createKeyBody } from './key-requests';

export interface KeyRoutesDeps {
  keys: Pick<ApiKeysRepository, 'listForOperator' | 'countActiveForOperator' | 'issue' | 'revokeForOperator'>;
  /** scope `admin` */
  auth: RequestHandler[];
  logger: Logger;
}

/**
 * Bounds what a leaked or runaway admin key can make; an operator rotating
 * its keys needs a handful at a time.
 */
export const MAX_ACTIVE_KEYS_PER_OPERATOR = 100;

function caller(req: Request): { keyId: string; operatorId: string } {
  const key = req.apiKey;
  // tenantAuth admits operator keys only; this keeps a route mounted elsewhere from acting for nobody.
  if (!key?.operatorId)
    throw new AppError(403, 'not_an_operator', 'keys belong to operators; this key is not an operator key', 'authorization');
  return { keyId: key.id, operatorId: key.operatorId };
}

/**
 * /v1/keys: an operator's admin key lists, makes and revokes its operator's
 * keys. Every lookup is by the caller's operator, so another operator's key
 * ids answer 404 like ids that do not exist. The secret of a new key is in
 * the one answer that makes it and nowhere else: not stored, not logged.
 */
export function keyRoutes(deps: KeyRoutesDeps): Router {
  const { keys, auth, logger } = deps;
  const router = Router();
  const json = jsonBody({ limit: '4kb', strict: true });
  // The list names live keys and the answer to POST holds a secret: no cache keeps either.
  router.use('/v1/keys', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/v1/keys', ...auth, async (req, res) => {
    const { keyId, operatorId } = caller(req);
    const now = new Date();
    res.json({ data: (await keys.listForOperator(operatorId)).map((row) => keyJson(row, keyId, now)) });
  });

  router.post('/v1/keys', ...auth, ...json, async (req, res) => {
    const { keyId, operatorId } = caller(req);
    const body = createKeyBody.parse(req.body ?? {});
    if ((await keys.countActiveForOperator(operatorId)) >= MAX_ACTIVE_KEYS_PER_OPERATOR)
      throw new AppError(409, 'too_many_keys', `an operator may hold ${MAX_ACTIVE_KEYS_PER_OPERATOR} active keys; revoke one first`);
    const { row, key } = await keys.issue({ operatorId }, { name: body.name, scopes: body.scopes, expiresInDays: body.expires_in_days });
    logger.info(
      { keyId: row.id, operatorId, scopes: row.scopes, expiresAt: row.expiresAt, by: keyId, requestId: req.id },
      'api key created',
    );
    // The audit entry names the key made, which the request's path cannot.
    res.locals.auditPath = `/v1/keys/${row.id}`;
    res.status(201).json({ ...keyJson(row, keyId), key });
  });

  router.delete('/v1/keys/:id', ...auth, async (req, res) => {
    const { keyId, operatorId } = caller(req);
    const id = typeof req.params.id === 'string' ? req.params.id : '';
    // One click must not lock the operator out of its own administration.
    if (id === keyId)
      throw new AppError(
        409,
        'revoking_current_key',
        'this is the key making the request; revoke it with another admin key, or with the CLI (srs keys revoke)',
        'id',
      );
    const found = id.length <= 100 ? await keys.revokeForOperator(operatorId, id) : undefined;
    if (!found) throw AppError.notFound('no such key');
    if (found.revokedNow) logger.info({ keyId: id, operatorId, by: keyId, requestId: req.id }, 'api key revoked');
    res.json(keyJson(found.row, keyId));
  });

  return router;
}
