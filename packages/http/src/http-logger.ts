import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * Access log: one line when a response finishes, with the request id, method,
 * path (never the query string or body: gateways put the subscriber's number
 * in both), status and duration. 5xx at error (a not-ready /readyz at warn),
 * 4xx at info, the rest at debug,
 * and nothing is built for a level that is off, so a busy service pays for the
 * lines it writes only.
 */
export function httpLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => logAccess(logger, { id: req.id, method: req.method, path: req.path }, res.statusCode, started));
    next();
  };
}

/** The access-log line of one finished response (`started` from process.hrtime.bigint()). */
export function logAccess(logger: Logger, req: { id: string; method: string; path: string }, status: number, started: bigint): void {
  // A readiness probe answering 503 is the service saying "not yet" (starting, or a
  // dependency away), which the probe's own check reports: a warning, not an error.
  const level = status >= 500 ? (req.path === '/readyz' ? 'warn' : 'error') : status >= 400 ? 'info' : 'debug';
  if (!logger.isLevelEnabled(level)) return;
  const responseTime = Number(process.hrtime.bigint() - started) / 1e6;
  // Only these three fields: a gateway's query string and body carry the subscriber's number.
  logger[level](
    { req: { id: req.id, method: req.method, path: req.path }, res: { statusCode: status }, responseTime },
    status >= 400 ? 'request failed' : 'request completed',
  );
}
