import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

/** Access log without query strings or bodies: gateways put the subscriber's number in both. */
export function httpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req) => (req as Request).id,
    quietReqLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
    serializers: {
      req: (req: Request & { raw?: Request }) => ({ id: req.id, method: req.method, path: (req.raw ?? req).path ?? req.url?.split('?')[0] }),
      res: (res: Response) => ({ statusCode: res.statusCode }),
    },
  });
}
