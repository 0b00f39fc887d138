import type { AuditRepository } from '@srs/db';
import type { Logger } from '@srs/logging';
import type { RequestHandler } from 'express';

/** Records who read or wrote what, once the answer is sent: key, tenant, method, path (no query), status. */
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
          path: req.path,
          status: res.statusCode,
          requestId: String(res.getHeader('x-request-id') ?? ''),
        })
        .catch((err: unknown) => logger.warn({ err }, 'audit record failed'));
    });
    next();
  };
}
