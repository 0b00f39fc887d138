import type { AuditRepository } from '@srs/db';
import type { Logger } from '@srs/logging';
import type { RequestHandler } from 'express';

/**
 * Records who read or wrote what, once the answer is sent: key, tenant,
 * method, path (no query), status. A route that makes something the path does
 * not name (a new key) sets `res.locals.auditPath` to the path that does.
 */
export function auditLog(audit: AuditRepository, logger: Logger): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      const key = req.apiKey;
      if (!key) return;
      audit
        .record({
          keyId: key.id,
          operatorId: key.operatorId,
          regulatorId: key.regulatorId,
          method: req.method,
          path: typeof res.locals.auditPath === 'string' ? res.locals.auditPath : req.path,
          status: res.statusCode,
          requestId: String(res.getHeader('x-request-id') ?? ''),
        })
        .catch((err: unknown) => logger.warn({ err }, 'audit record failed'));
    });
    next();
  };
}
