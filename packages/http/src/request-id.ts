import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
  }
}

/** An upstream X-Request-Id when it looks like one; otherwise a new one. */
export function requestIdFrom(upstream: string | undefined): string {
  return upstream && SAFE_ID.test(upstream) ? upstream : randomUUID();
}

/** Trusts an upstream X-Request-Id when it looks like one; otherwise makes one. Echoed on every response. */
export function requestId() {
  return (req: Request, res: Response, next: NextFunction): void => {
    req.id = requestIdFrom(req.header('x-request-id'));
    res.setHeader('X-Request-Id', req.id);
    next();
  };
}
